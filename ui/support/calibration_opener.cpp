#include "calibration_opener.h"

#include "calibration/calibration_source_factory.h"
#include "calibration/calibration_synthetic_source.h"

std::unique_ptr<bg::CalibrationSource> openCalibration(const QString& path, const bg::Graph& graph,
                                                       const ImageCalibrationOptions& imageOptions)
{
    if (path.isEmpty()) {
        // The same H×W choice as for images: dynamic spatial axes of 4-D inputs take it.
        bg::SyntheticShapeOptions shapes;
        if (imageOptions.height > 0 && imageOptions.width > 0)
            for (const bg::ValueInfo& in : graph.inputs)
                if (in.hasShape && in.dims.size() == 4) {
                    shapes.dimSizes[in.name + ":2"] = imageOptions.height;
                    shapes.dimSizes[in.name + ":3"] = imageOptions.width;
                }
        return std::make_unique<bg::SyntheticCalibrationSource>(graph, shapes);
    }
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
