#pragma once
// The integer tensors of the integer pipeline (QUANT_SPEC §3, §6): u8 activations with a zero
// point, s8 narrow-range weights, and the int32 accumulators the linear kernels produce.
// They are separate from bg::Tensor on purpose: the float runtime's Tensor holds float32/int64
// only, and an integer kernel must never silently read a float tensor as codes.
#include "model/tensor.h"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace bg {

// Largest tensor an integer kernel creates: 2^28 elements (same bound as the float kernels).
constexpr int64_t kMaxIntKernelElements = int64_t{1} << 28;

// Activation codes q in [0, 2^bits - 1]; the real value is (q - zeroPoint) * scale (§4).
// The scale is not needed by the linear kernels and lives with the caller.
struct QuantActivation {
    Shape shape;
    std::vector<uint8_t> values;
    int64_t zeroPoint = 0;
    int bits = 8;
    // Values ordered [N, spatial..., C] while `shape` stays [N, C, spatial...]: what a group
    // writes when only fast convolutions read its output (they work in NHWC), so that neither side
    // transposes. Every other reader takes activationChannelsFirst.
    bool channelsLast = false;
};

// The same codes ordered as their shape ([N, C, spatial...]); unchanged when already so.
QuantActivation activationChannelsFirst(QuantActivation x);
// The same codes ordered [N, spatial..., C]; unchanged when already so.
QuantActivation activationChannelsLast(QuantActivation x);

// Weight codes q in [-Q_w, Q_w], Q_w = 2^(bits-1) - 1 (narrow range, §3), in the ONNX layout of
// the weight the kernel is for (Conv: [C_out, C_in/g, kH, kW]; ConvTranspose: [C_in, C_out/g, kH,
// kW]; Gemm/MatMul: 2-D).
struct QuantWeight {
    Shape shape;
    std::vector<int8_t> values;
    int bits = 8;
};

// Which implementation produced a result: tests and the runtime's statistics want to know
// whether oneDNN ran (on the codes as they are, or on their split halves: see
// int_dnnl_support.h) or the exactness guards sent the call to the reference loops.
enum class IntKernelPath : uint8_t { Reference, OneDnn, OneDnnSplit };

// "reference", "onednn", "onednn-split": for messages and `biasguard-cli --version`.
const char* intKernelPathName(IntKernelPath path);

// Output of a linear kernel: acc of §6 per output element, as the signed 32-bit accumulator holds
// it. The kernels compute every sum exactly (int64); an element whose exact sum does not fit int32
// is SATURATED to INT32_MIN/INT32_MAX and counted in overflowCount (never wrapped, never silent).
struct IntAccumulators {
    Shape shape;
    std::vector<int32_t> values;
    int64_t overflowCount = 0;
    IntKernelPath path = IntKernelPath::Reference;
    // overflowCount split by output channel (the kernel's channel axis). Every kernel of
    // core/integer/int_conv*, int_matmul* sizes it to the channel count; empty means the
    // producer did not track channels.
    std::vector<int64_t> channelOverflows;
    // Values ordered [N, spatial..., C] (oneDNN's nhwc) while `shape` stays [N, C, spatial...]: what
    // a fast convolution produces, so that requantize reads it without a transposition of int32s.
    bool channelsLast = false;
};

// The same accumulators ordered as their shape ([N, C, spatial...]); unchanged when already so.
IntAccumulators accumulatorsChannelsFirst(IntAccumulators acc);

// max(codes) (0 when empty), on the thread team: the exactness guards and validateActivation read it
// once per kernel call, over tensors of millions of codes.
uint8_t maxActivationCode(std::span<const uint8_t> codes);

// exact -> int32: saturates and increments overflowCount when exact is outside the int32 range.
int32_t narrowAccumulator(int64_t exact, int64_t& overflowCount);
// The same, counting into acc.overflowCount and acc.channelOverflows[channel] (when tracked).
int32_t narrowAccumulator(int64_t exact, IntAccumulators& acc, int64_t channel);

// Checks that values match the shape, bits is in 2..8, the zero point and every code lie in
// [0, 2^bits - 1]. Fails with bg::Error(BadInput / ShapeMismatch / BadSetting) naming `subject`.
// Returns the largest code (0 when empty), which the fast kernels' guards read: one scan, not two.
// Codes ordered channels-last (QuantActivation::channelsLast) fail (BadSetting) unless the kernel
// reads that order (channelsLastAllowed): never a silent wrong number.
uint8_t validateActivation(const QuantActivation& x, const std::string& subject, bool channelsLastAllowed = false);
// Checks shape/values agreement, bits in 2..8 and every code in [-Q_w, Q_w].
void validateWeight(const QuantWeight& w, const std::string& subject);
// Element count of an output shape the kernel is about to allocate; fails (TensorTooLarge) over
// kMaxIntKernelElements, (ShapeMismatch) on a non-positive dim.
int64_t checkedIntOutputNumel(const Shape& shape, const std::string& subject);

} // namespace bg
