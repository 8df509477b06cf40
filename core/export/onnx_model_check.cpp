#include "export/onnx_model_check.h"

#include "io/error.h"

#include <onnx/checker.h>
#include <onnx/shape_inference/implementation.h>

namespace bg {

void checkModelFully(const onnx::ModelProto& model, const std::string& outputPath)
{
    try {
        onnx::checker::check_model(model);
        onnx::ModelProto copy = model;
        onnx::ShapeInferenceOptions strict{true, 1, false};
        onnx::shape_inference::InferShapes(copy, onnx::OpSchemaRegistry::Instance(), strict);
    } catch (const std::exception& e) {
        throw Error(ErrorCode::InvalidModel, outputPath,
                    std::string("internal: the exported model fails ONNX's full check, so it was not written: ") + e.what());
    }
}

} // namespace bg
