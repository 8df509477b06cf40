#include "image_calibration_source.h"

#include "io/error.h"

#include <QDir>
#include <QImage>

QStringList ImageCalibrationSource::imageFiles(const QString& dir)
{
    QStringList files = QDir(dir).entryList({"*.png", "*.jpg", "*.jpeg", "*.bmp", "*.PNG", "*.JPG", "*.JPEG", "*.BMP"},
                                            QDir::Files, QDir::Name);
    for (QString& f : files)
        f = QDir(dir).filePath(f);
    return files;
}

ImageCalibrationSource::ImageCalibrationSource(const QString& dir, const bg::Graph& graph,
                                               ImageCalibrationOptions options)
    : dir_(dir), files_(imageFiles(dir)), options_(options)
{
    const std::string subject = dir.toStdString();
    if (files_.isEmpty())
        throw bg::Error(bg::ErrorCode::BadInput, subject, "no PNG/JPEG/BMP images in the folder");
    if (graph.inputs.size() != 1)
        throw bg::Error(bg::ErrorCode::BadInput, subject,
                        "image calibration needs a model with one input; this one has " + std::to_string(graph.inputs.size()));
    const bg::ValueInfo& in = graph.inputs.front();
    if (!in.hasShape || in.dims.size() != 4)
        throw bg::Error(bg::ErrorCode::BadInput, subject, "input '" + in.name + "' is not a 4-D NCHW tensor");
    inputName_ = in.name;
    channels_ = in.dims[1].known() ? static_cast<int>(in.dims[1].value) : 3;
    if (channels_ != 1 && channels_ != 3)
        throw bg::Error(bg::ErrorCode::BadInput, subject, "input '" + in.name + "' has " + std::to_string(channels_)
                                                              + " channels; images give 1 or 3");
    height_ = in.dims[2].known() ? static_cast<int>(in.dims[2].value) : options.height;
    width_ = in.dims[3].known() ? static_cast<int>(in.dims[3].value) : options.width;
    if (height_ <= 0 || width_ <= 0)
        throw bg::Error(bg::ErrorCode::BadInput, subject,
                        "input '" + in.name + "' has a dynamic height/width: give the image size (e.g. --input-size 640x640)");
}

std::map<std::string, bg::Tensor> ImageCalibrationSource::sample(size_t i)
{
    const QString file = files_.at(static_cast<qsizetype>(i));
    QImage image(file);
    if (image.isNull())
        throw bg::Error(bg::ErrorCode::BadInput, file.toStdString(), "cannot be decoded as an image");
    // Smooth (bilinear) resize to the model's size, ignoring aspect ratio like most deploy pipelines.
    image = image.convertToFormat(QImage::Format_RGB888)
                .scaled(width_, height_, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    bg::Tensor t = bg::Tensor::zeros(bg::DType::Float32, {1, channels_, height_, width_});
    auto out = t.floats();
    const size_t plane = static_cast<size_t>(height_) * static_cast<size_t>(width_);
    for (int y = 0; y < height_; ++y) {
        const uchar* row = image.constScanLine(y);
        for (int x = 0; x < width_; ++x) {
            const uchar* px = row + 3 * x;
            const size_t at = static_cast<size_t>(y) * static_cast<size_t>(width_) + static_cast<size_t>(x);
            if (channels_ == 1) {
                const float gray = (0.299f * px[0] + 0.587f * px[1] + 0.114f * px[2]) / 255.0f;
                out[at] = (gray - options_.mean[0]) / options_.std[0];
                continue;
            }
            for (int c = 0; c < 3; ++c) {
                const int src = options_.bgr ? 2 - c : c;
                out[static_cast<size_t>(c) * plane + at] = (px[src] / 255.0f - options_.mean[c]) / options_.std[c];
            }
        }
    }
    return {{inputName_, std::move(t)}};
}

std::string ImageCalibrationSource::description() const
{
    return std::to_string(files_.size()) + " images from " + dir_.toStdString() + " (" + (options_.bgr ? "BGR" : "RGB")
        + ", " + std::to_string(width_) + "x" + std::to_string(height_) + ")";
}
