#pragma once
// Every failure BiasGuard reports is a bg::Error: a code a program can switch on, and a message a
// person can act on. The message always starts with the file (or setting) it is about.
#include <stdexcept>
#include <string>

namespace bg {

enum class ErrorCode {
    FileNotFound,
    FileUnreadable,
    NotOnnx,          // not a ModelProto at all (garbage, wrong file type)
    Truncated,        // a protobuf that ends early
    InvalidModel,     // structurally wrong: no graph, duplicate outputs, dangling inputs ...
    MissingTensor,    // an input names a tensor nobody produces
    UnsupportedOp,
    UnsupportedType,
    BadAttribute,
    TensorTooLarge,   // declared size over the configured limit (checked before allocating)
    ExternalData,     // external data missing, short, or escaping the model's folder
    CyclicGraph,
    ShapeMismatch,
    BadInput,         // a user-supplied input tensor that does not fit the model
    BadSetting,
    WriteFailed,
    Cancelled,
};

const char* errorCodeName(ErrorCode code);

class Error : public std::runtime_error {
public:
    Error(ErrorCode code, std::string subject, const std::string& problem)
        : std::runtime_error(subject.empty() ? problem : subject + ": " + problem),
          code_(code), subject_(std::move(subject)) {}
    ErrorCode code() const noexcept { return code_; }
    // The file, tensor or setting the error is about.
    const std::string& subject() const noexcept { return subject_; }

private:
    ErrorCode code_;
    std::string subject_;
};

} // namespace bg
