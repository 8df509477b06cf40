#include "calibration_opener.h"

#include "quantization/calibration_source_factory.h"
#include "quantization/calibration_synthetic_source.h"

std::unique_ptr<bg::CalibrationSource> openCalibration(const QString& path, const bg::Graph& graph,
                                                       const ImageCalibrationOptions& imageOptions)
{
    if (path.isEmpty())
        return std::make_unique<bg::SyntheticCalibrationSource>(graph);
    const std::string dir = path.toStdString();
    if (bg::detectCalibrationFolder(dir) == bg::CalibrationFolderKind::Images)
        return std::make_unique<ImageCalibrationSource>(path, graph, imageOptions);
    return bg::openCalibrationSource(dir, graph);
}
