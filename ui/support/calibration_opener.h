#pragma once
// One place that turns the user's --calib choice into a calibration source, for the CLI and the
// GUI alike: nothing → the 8 synthetic samples; a folder of images → ImageCalibrationSource;
// ONNX test-data or .npy folders → the core's sources.
#include "image_calibration_source.h"
#include "calibration/calibration_source.h"

#include <QString>

#include <memory>

std::unique_ptr<bg::CalibrationSource> openCalibration(const QString& path, const bg::Graph& graph,
                                                       const ImageCalibrationOptions& imageOptions = {});

// Whether a 4-D input of `graph` has a height or width that is not fixed (symbolic or unknown):
// then the input size (ImageCalibrationOptions height/width) decides the shapes analysed.
bool hasDynamicSpatialInput(const bg::Graph& graph);
// The H×W synthetic samples take for such an input when no size is given (the core's default).
int defaultDynamicDimSize();
