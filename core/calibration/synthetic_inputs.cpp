#include "calibration/synthetic_inputs.h"

#include "io/error.h"

#include <vector>

namespace bg {

Shape syntheticInputShape(const ValueInfo& input, const SyntheticShapeOptions& options)
{
    const std::string subject = "synthetic input '" + input.name + "'";
    if (!input.hasShape)
        throw Error(ErrorCode::BadInput, subject,
                    "the model does not declare the input's rank; give a calibration folder instead");
    Shape shape;
    for (size_t axis = 0; axis < input.dims.size(); ++axis) {
        const Dim& d = input.dims[axis];
        int64_t size = d.value;
        if (!d.known()) {
            const auto byAxis = options.dimSizes.find(input.name + ":" + std::to_string(axis));
            const auto byName = d.param.empty() ? options.dimSizes.end() : options.dimSizes.find(d.param);
            if (byAxis != options.dimSizes.end())
                size = byAxis->second;
            else if (byName != options.dimSizes.end())
                size = byName->second;
            else
                size = axis == 0 ? options.batch : options.otherDim;
        }
        if (size <= 0)
            throw Error(ErrorCode::BadInput, subject,
                        "dimension " + std::to_string(axis) + " would be " + std::to_string(size)
                            + "; synthetic inputs need positive sizes");
        shape.push_back(size);
    }
    const int64_t numel = shapeNumel(shape);
    if (numel > options.maxElements)
        throw Error(ErrorCode::TensorTooLarge, subject,
                    "shape " + shapeToString(shape) + " has " + std::to_string(numel) + " elements, over the limit of "
                        + std::to_string(options.maxElements));
    return shape;
}

std::vector<Shape> syntheticInputShapes(const Graph& graph, const SyntheticShapeOptions& options)
{
    std::vector<Shape> shapes;
    for (const ValueInfo& input : graph.inputs) {
        if (!input.takesFloat())
            throw Error(ErrorCode::BadInput, "synthetic input '" + input.name + "'",
                        "is not a float tensor; give a calibration folder instead");
        shapes.push_back(syntheticInputShape(input, options));
    }
    return shapes;
}

std::map<std::string, Tensor> syntheticSample(const Graph& graph, int index, const SyntheticShapeOptions& options)
{
    if (index < 0)
        throw Error(ErrorCode::BadSetting, "synthetic inputs", "negative sample index " + std::to_string(index));
    // Check every input before generating any, so an error never follows a large allocation.
    const std::vector<Shape> shapes = syntheticInputShapes(graph, options);
    SplitMix64 rng(kSyntheticSeed + static_cast<uint64_t>(index));
    std::map<std::string, Tensor> sample;
    for (size_t k = 0; k < graph.inputs.size(); ++k) {
        std::vector<float> values(static_cast<size_t>(shapeNumel(shapes[k])));
        for (float& v : values)
            v = rng.nextSymmetricUnit();
        sample.emplace(graph.inputs[k].name, Tensor(shapes[k], std::move(values)));
    }
    return sample;
}

} // namespace bg
