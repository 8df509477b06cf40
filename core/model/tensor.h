#pragma once
// A dense row-major tensor. Two element types are enough for the runtime: float32 for data and
// int64 for shape arithmetic and indices. The loader widens every integer/bool type to int64 and
// narrows float16/bfloat16/double to float32, recording the original ONNX type in elemType so
// that outputs can be written back as what the model declared.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace bg {

enum class DType : uint8_t { Float32, Int64 };

using Shape = std::vector<int64_t>;

// Number of elements; throws bg::Error(TensorTooLarge) on a negative dim or int64 overflow.
int64_t shapeNumel(const Shape& shape);
std::string shapeToString(const Shape& shape);
// Row-major strides in elements.
std::vector<int64_t> shapeStrides(const Shape& shape);

// Whether an ONNX TensorProto data type is a floating one (FLOAT, DOUBLE, FLOAT16, BFLOAT16): the
// types the runtime holds as float32. The one such test; it takes the number so that code without
// protobuf headers can ask it too.
bool isFloatElemType(int64_t onnxType);

class Tensor {
public:
    Tensor() = default;  // empty float tensor of shape [0]
    Tensor(Shape shape, std::vector<float> values);
    Tensor(Shape shape, std::vector<int64_t> values);
    static Tensor zeros(DType dtype, Shape shape);
    static Tensor scalar(float v) { return Tensor(Shape{}, std::vector<float>{v}); }
    static Tensor scalarInt(int64_t v) { return Tensor(Shape{}, std::vector<int64_t>{v}); }

    DType dtype() const { return dtype_; }
    bool isFloat() const { return dtype_ == DType::Float32; }
    const Shape& shape() const { return shape_; }
    int rank() const { return static_cast<int>(shape_.size()); }
    int64_t dim(int axis) const { return shape_.at(static_cast<size_t>(axis)); }
    int64_t numel() const { return numel_; }

    // Typed views; throw bg::Error(UnsupportedType) when the dtype does not match.
    std::span<float> floats();
    std::span<const float> floats() const;
    std::span<int64_t> ints();
    std::span<const int64_t> ints() const;

    // Values converted whatever the dtype (shape arithmetic reads ints, metrics read floats).
    std::vector<int64_t> toInt64Vector() const;
    std::vector<float> toFloatVector() const;

    // Same data, new shape (element count must match).
    Tensor reshaped(Shape shape) const&;
    // The same, taking this tensor's storage instead of copying it.
    Tensor reshaped(Shape shape) &&;

    // ONNX TensorProto data type this tensor came from (1 = FLOAT, 7 = INT64, ...).
    int32_t elemType() const { return elemType_; }
    void setElemType(int32_t t) { elemType_ = t; }

private:
    DType dtype_ = DType::Float32;
    Shape shape_{0};
    int64_t numel_ = 0;
    std::vector<float> f_;
    std::vector<int64_t> i_;
    int32_t elemType_ = 1;
};

} // namespace bg
