#pragma once
// How a folder of images becomes input tensors (QUANT_SPEC §4 (c)): channel order, normalisation
// and the size for symbolic H/W. A plain struct, apart from ImageCalibrationSource (which needs
// QImage), so that biasguard-cli parses these options with Qt Core alone (app/cli/gui_libraries.h).
#include <array>

struct ImageCalibrationOptions {
    bool bgr = false;  // channel order of the model's input
    // x = (pixel / 255 - mean[c]) / std[c]; the defaults map [0, 255] onto [-1, 1] (PaddleOCR's).
    std::array<float, 3> mean{0.5f, 0.5f, 0.5f};
    std::array<float, 3> std{0.5f, 0.5f, 0.5f};
    // Size for inputs whose H/W are symbolic (e.g. the PaddleOCR models); 0 = unset. Also sizes the
    // synthetic samples when no calibration folder is given.
    int height = 0;
    int width = 0;
};
