#pragma once
// Calibration samples from a folder of images (QUANT_SPEC §4 (c)). Lives in the app layer because
// decoding PNG/JPEG needs QImage; the core only sees a bg::CalibrationSource.
#include "model/graph.h"
#include "calibration/calibration_source.h"
#include "image_calibration_options.h"

#include <QString>
#include <QStringList>

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
