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

// A TestDataCalibrationSource or NpyCalibrationSource; for an image folder, bg::Error(BadInput)
// saying that images are opened by the application. `graph` must outlive the source.
std::unique_ptr<CalibrationSource> openCalibrationSource(const std::string& dir, const Graph& graph);

} // namespace bg
