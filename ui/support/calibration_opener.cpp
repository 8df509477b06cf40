#include "calibration_opener.h"

#include "calibration/calibration_source_factory.h"
#include "calibration/synthetic_inputs.h"

std::unique_ptr<bg::CalibrationSource> openCalibration(const QString& path, const bg::Graph& graph,
                                                       const ImageCalibrationOptions& imageOptions)
{
    if (path.isEmpty())
        return bg::openSyntheticCalibration(graph, imageOptions.height, imageOptions.width);
    const std::string dir = path.toStdString();
    if (bg::detectCalibrationFolder(dir) == bg::CalibrationFolderKind::Images)
        return std::make_unique<ImageCalibrationSource>(path, graph, imageOptions);
    return bg::openCalibrationSource(dir, graph);
}

bool hasDynamicSpatialInput(const bg::Graph& graph)
{
    for (const bg::ValueInfo& in : graph.inputs)
        if (in.hasShape && in.dims.size() == 4 && (!in.dims[2].known() || !in.dims[3].known()))
            return true;
    return false;
}

int defaultDynamicDimSize()
{
    return static_cast<int>(bg::SyntheticShapeOptions{}.otherDim);
}
