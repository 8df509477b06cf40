#pragma once
// Writes the QDQ model of QUANT_SPEC §10: the input model with BiasGuard's own integer decisions in
// QuantizeLinear / DequantizeLinear form, so that ONNX Runtime (or any QDQ-aware toolchain) runs
// what BiasGuard's integer mode computes.
//
//   every tensor the integer pipeline quantizes (graph inputs, fusion-group outputs, float
//   operators' outputs; §4):          T_float → QuantizeLinear(s, zp) → DequantizeLinear → T
//   a fusion group L [N] [act] whose channels are all clamp or widen (Conv, Gemm; ONNX Runtime
//   fuses it into one QLinearConv / QGemm):
//                                     L(DQ(x), DQ(q_w; s_w,c, axis), DQ(pre_c int32; s_x·s_w,c)) [→ act] → Q/DQ
//   one with separated or constant channels, or a MatMul (quantized_group.h, QdqLayerForm):
//                                     ConvInteger / MatMulInteger(Q(x), q_w + 128 uint8, zp_x, 128)
//                                     → Add(pre_c int32) → Cast → Mul(k_c = s_x·s_w,c·a_c)
//                                     [→ Add(DQ(post_c int32; s_y))] [→ act] → Q/DQ
//   (a ConvTranspose, which ONNX has no integer form of and ONNX Runtime does not fuse, is the first
//   form, run in float32; with separated or constant channels followed by Mul(a_c) → Add(DQ(post_c)).)
//
// The BatchNormalization is folded away. clamp and widen channels hold their saturated n_b-bit
// bias in the layer; separated channels hold the split's pre part in the layer and its post part
// in the Add, after the per-channel Mul by a_c and before the single rounding of the output's
// QuantizeLinear (§7: M_c·(acc + pre) + post); constant channels have zero weights and their
// constant in the Add. Layers BiasGuard runs in float stay float between a DQ and a Q. The
// differences of ONNX Runtime's arithmetic from §6 (round half to even, float32 scales) are in
// docs/SPEC_NOTES.md, "QDQ export".
#include "integer/integer_runtime.h"

#include <cstdint>
#include <string>

namespace bg {

struct QdqExportSummary {
    int64_t quantizedTensors = 0;   // QuantizeLinear/DequantizeLinear pairs on activations
    int64_t integerLayers = 0;      // fusion groups written with integer weights and biases
    int64_t postBiasLayers = 0;     // of those, layers with the Mul/Add of separated or constant channels
    int64_t integerChainLayers = 0; // of those, layers written as ConvInteger / MatMulInteger chains
    int64_t convertedFromOpset = 0;   // the model's opset when it was converted to 13 (per-axis DQ), else 0
    int64_t floatSoftmaxOutputs = 0;  // Softmax graph outputs left float for ONNX Runtime's sake (SPEC_NOTES)
};

// Writes `outputPath` atomically after onnx::checker and a strict shape inference accept the model.
// `runtime` is the integer runtime built for the model read from `inputPath` (its plan, settings
// and ranges are what the model carries). Throws bg::Error: BadSetting when `outputPath` is the
// input model, UnsupportedType / UnsupportedOp naming the tensor or layer the QDQ form cannot
// express, InvalidModel when the checker refuses the result, WriteFailed naming the output path.
QdqExportSummary exportQdqModel(const std::string& inputPath, const std::string& outputPath,
                                const IntegerRuntime& runtime);

} // namespace bg
