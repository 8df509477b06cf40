#pragma once
// The start of every command that calibrates, written once: load MODEL, find its structure (pairs,
// fusion groups), open --calib and calibrate. What follows (the analysis, the integer runtimes, the
// comparison, the exports) reads these values instead of finding them again.
#include "cli_parser.h"

#include "calibration/calibration_source.h"
#include "calibration/range_table.h"
#include "folding/model_structure.h"

#include <memory>

namespace bgcli {

struct CalibratedModel {
    std::shared_ptr<const bg::ModelStructure> model;
    std::unique_ptr<bg::CalibrationSource> calibration;  // also the comparison's inputs without --inputs
    bg::RangeTable ranges;
    const bg::Graph& graph() const { return model->graph; }
};

// MODEL is cli.positional(); --calib and the image options as addCalibrationOptions() defines them.
// With --encodings the ranges are read from that file (export/encodings_reader.h) instead.
// Prints the calibration's progress on stderr. Throws bg::Error naming the file at fault.
CalibratedModel loadAndCalibrate(const CliParser& cli);
// The same for a model already loaded (run reads its inputs before it knows it will calibrate),
// with the image options the caller parsed before loading it.
CalibratedModel calibrateModel(const CliParser& cli, const ImageCalibrationOptions& imageOptions,
                               std::shared_ptr<const bg::ModelStructure> model);

// --inputs when given (opened like --calib), else the calibration set.
std::unique_ptr<bg::CalibrationSource> openComparisonInputs(const CliParser& cli, const bg::Graph& graph);

} // namespace bgcli
