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
    OverLimit,        // graph or memory over a ResourceLimits limit (io/resource_limits.h)
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
          code_(code), subject_(std::move(subject)), problem_(problem) {}
    ErrorCode code() const noexcept { return code_; }
    // The file, tensor or setting the error is about.
    const std::string& subject() const noexcept { return subject_; }
    const std::string& problem() const noexcept { return problem_; }

private:
    ErrorCode code_;
    std::string subject_;
    std::string problem_;
};

// The same error said of `file`: a node or tensor subject becomes "file: subject", so that a user
// running BiasGuard over many models can tell which one failed. Unchanged when the subject already
// names `file` or is itself an existing file (a calibration input, a plan) or there is no file.
Error inFile(const Error& e, const std::string& file);

// Runs `step`, saying of every bg::Error it throws which file it was processing (inFile): the
// stages that take a whole model (calibration, analysis, runtimes) wrap their work in it.
template <typename Step>
auto withFile(const std::string& file, Step&& step) -> decltype(step())
{
    try {
        return step();
    } catch (const Error& e) {
        throw inFile(e, file);
    }
}

} // namespace bg
