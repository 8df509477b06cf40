#include "model/tensor.h"

#include "io/error.h"

#include <limits>
#include <sstream>

namespace bg {

bool isFloatElemType(int64_t onnxType)
{
    // TensorProto::FLOAT = 1, FLOAT16 = 10, DOUBLE = 11, BFLOAT16 = 16 (onnx.proto's numbering).
    return onnxType == 1 || onnxType == 10 || onnxType == 11 || onnxType == 16;
}

int64_t shapeNumel(const Shape& shape)
{
    int64_t n = 1;
    for (int64_t d : shape) {
        if (d < 0)
            throw Error(ErrorCode::ShapeMismatch, "", "negative dimension in shape " + shapeToString(shape));
        if (d != 0 && n > std::numeric_limits<int64_t>::max() / d)
            throw Error(ErrorCode::TensorTooLarge, "", "element count of shape " + shapeToString(shape) + " overflows");
        n *= d;
    }
    return n;
}

std::string shapeToString(const Shape& shape)
{
    std::ostringstream os;
    os << '[';
    for (size_t i = 0; i < shape.size(); ++i)
        os << (i ? "," : "") << shape[i];
    os << ']';
    return os.str();
}

std::vector<int64_t> shapeStrides(const Shape& shape)
{
    std::vector<int64_t> strides(shape.size(), 1);
    for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i)
        strides[i] = strides[i + 1] * shape[i + 1];
    return strides;
}

Tensor::Tensor(Shape shape, std::vector<float> values)
    : dtype_(DType::Float32), shape_(std::move(shape)), numel_(shapeNumel(shape_)), f_(std::move(values)), elemType_(1)
{
    if (static_cast<int64_t>(f_.size()) != numel_)
        throw Error(ErrorCode::ShapeMismatch, "", "tensor of shape " + shapeToString(shape_) + " given "
                        + std::to_string(f_.size()) + " values");
}

Tensor::Tensor(Shape shape, std::vector<int64_t> values)
    : dtype_(DType::Int64), shape_(std::move(shape)), numel_(shapeNumel(shape_)), i_(std::move(values)), elemType_(7)
{
    if (static_cast<int64_t>(i_.size()) != numel_)
        throw Error(ErrorCode::ShapeMismatch, "", "tensor of shape " + shapeToString(shape_) + " given "
                        + std::to_string(i_.size()) + " values");
}

Tensor Tensor::zeros(DType dtype, Shape shape)
{
    const auto n = static_cast<size_t>(shapeNumel(shape));
    if (dtype == DType::Float32)
        return Tensor(std::move(shape), std::vector<float>(n, 0.0f));
    return Tensor(std::move(shape), std::vector<int64_t>(n, 0));
}

static void requireType(DType have, DType want)
{
    if (have != want)
        throw Error(ErrorCode::UnsupportedType, "",
                    std::string("tensor holds ") + (have == DType::Float32 ? "float32" : "int64") + ", expected "
                        + (want == DType::Float32 ? "float32" : "int64"));
}

std::span<float> Tensor::floats() { requireType(dtype_, DType::Float32); return f_; }
std::span<const float> Tensor::floats() const { requireType(dtype_, DType::Float32); return f_; }
std::span<int64_t> Tensor::ints() { requireType(dtype_, DType::Int64); return i_; }
std::span<const int64_t> Tensor::ints() const { requireType(dtype_, DType::Int64); return i_; }

std::vector<int64_t> Tensor::toInt64Vector() const
{
    if (dtype_ == DType::Int64)
        return i_;
    std::vector<int64_t> out(f_.size());
    for (size_t k = 0; k < f_.size(); ++k)
        out[k] = static_cast<int64_t>(f_[k]);
    return out;
}

std::vector<float> Tensor::toFloatVector() const
{
    if (dtype_ == DType::Float32)
        return f_;
    std::vector<float> out(i_.size());
    for (size_t k = 0; k < i_.size(); ++k)
        out[k] = static_cast<float>(i_[k]);
    return out;
}

Tensor Tensor::reshaped(Shape shape) const&
{
    return Tensor(*this).reshaped(std::move(shape));
}

Tensor Tensor::reshaped(Shape shape) &&
{
    if (shapeNumel(shape) != numel_)
        throw Error(ErrorCode::ShapeMismatch, "", "cannot reshape " + shapeToString(shape_) + " to " + shapeToString(shape));
    Tensor t = std::move(*this);
    t.shape_ = std::move(shape);
    return t;
}

} // namespace bg
