#include "io/error.h"

#include <filesystem>
#include <system_error>

namespace bg {

const char* errorCodeName(ErrorCode code)
{
    switch (code) {
    case ErrorCode::FileNotFound: return "file-not-found";
    case ErrorCode::FileUnreadable: return "file-unreadable";
    case ErrorCode::NotOnnx: return "not-onnx";
    case ErrorCode::Truncated: return "truncated";
    case ErrorCode::InvalidModel: return "invalid-model";
    case ErrorCode::MissingTensor: return "missing-tensor";
    case ErrorCode::UnsupportedOp: return "unsupported-op";
    case ErrorCode::UnsupportedType: return "unsupported-type";
    case ErrorCode::BadAttribute: return "bad-attribute";
    case ErrorCode::TensorTooLarge: return "tensor-too-large";
    case ErrorCode::OverLimit: return "over-limit";
    case ErrorCode::ExternalData: return "external-data";
    case ErrorCode::CyclicGraph: return "cyclic-graph";
    case ErrorCode::ShapeMismatch: return "shape-mismatch";
    case ErrorCode::BadInput: return "bad-input";
    case ErrorCode::BadSetting: return "bad-setting";
    case ErrorCode::WriteFailed: return "write-failed";
    case ErrorCode::Cancelled: return "cancelled";
    }
    return "unknown";
}

Error inFile(const Error& e, const std::string& file)
{
    const std::string& subject = e.subject();
    if (file.empty() || subject.rfind(file, 0) == 0)
        return e;
    std::error_code ec;
    if (!subject.empty() && std::filesystem::exists(subject, ec))
        return e;
    return Error(e.code(), subject.empty() ? file : file + ": " + subject, e.problem());
}

} // namespace bg
