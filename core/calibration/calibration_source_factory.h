#pragma once
// Opens a calibration folder by looking at what it holds. Images are recognised but not opened
// here: reading them needs QImage and the resize/normalisation settings, so the app layer checks
// detectCalibrationFolder() first and builds its own image source for CalibrationFolderKind::Images.
#include "model/graph.h"
#include "calibration/calibration_source.h"

#include <memory>
#include <string>

namespace bg {

enum class CalibrationFolderKind {
    TestData,  // test_data_set_*/input_K.pb, or input_K.pb directly
    Npy,       // *.npy
    Images,    // *.png, *.jpg, *.jpeg, *.bmp (case-insensitive)
};

// Throws bg::Error naming the folder: FileNotFound (missing, or a file rather than a folder),
// BadInput (nothing usable in it, or more than one kind mixed).
CalibrationFolderKind detectCalibrationFolder(const std::string& dir);

// The default calibration set (SyntheticCalibrationSource) for `graph`; with height and width > 0
// the height and width of every 4-D input take them (0: the core's default for unknown axes, fixed
// axes keep their size). `graph` must outlive the source.
std::unique_ptr<CalibrationSource> openSyntheticCalibration(const Graph& graph, int64_t height = 0, int64_t width = 0);

// A TestDataCalibrationSource or NpyCalibrationSource; for an image folder, bg::Error(BadInput)
// saying that images are opened by the application. `graph` must outlive the source.
std::unique_ptr<CalibrationSource> openCalibrationSource(const std::string& dir, const Graph& graph);

} // namespace bg
