#pragma once
// Calibration samples from a folder of images (QUANT_SPEC §4 (c)). Lives in the app layer because
// decoding PNG/JPEG needs QImage; the core only sees a bg::CalibrationSource.
#include "model/graph.h"
#include "calibration/calibration_source.h"

#include <QString>
#include <QStringList>

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

class ImageCalibrationSource : public bg::CalibrationSource {
public:
    // Throws bg::Error(BadInput) when the model's single input is not [N,C,H,W] with C 1 or 3 and
    // known (or given) H and W, or the folder holds no image.
    ImageCalibrationSource(const QString& dir, const bg::Graph& graph, ImageCalibrationOptions options);

    size_t count() const override { return static_cast<size_t>(files_.size()); }
    std::map<std::string, bg::Tensor> sample(size_t i) override;
    std::string description() const override;

    static QStringList imageFiles(const QString& dir);

private:
    QString dir_;
    QStringList files_;
    std::string inputName_;
    int channels_ = 3;
    int height_ = 0;
    int width_ = 0;
    ImageCalibrationOptions options_;
};
