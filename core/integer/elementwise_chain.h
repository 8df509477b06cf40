#pragma once
// Runs of consecutive element-wise float operators of the integer pipeline (Add, Sub, Mul, Div,
// Clip, Relu), evaluated block by block instead of one whole tensor after another. PaddleOCR writes
// each layer's affine and HardSwish out as eight such nodes (Mul, Add, Add, Clip, Mul, Div, Mul,
// Add); run one at a time, each reads and writes a whole tensor three times (the formula, then §4's
// quantization and dequantization of its output), which made the detector's float operators half
// of its integer run. A block of a few thousand elements goes through every stage while it is in
// cache, and a tensor only later stages of the chain read is never written out.
//
// The bits are those of the node-by-node run: every stage applies its operator's formula
// (runtime/kernels/elementwise_formulas.h) to the same float operands in the same order, and
// quantizes and dequantizes its output with the same ActivationCodec, element by element.
#include "integer/activation_quantizer.h"
#include "model/graph.h"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace bg {

enum class ChainOp : uint8_t { Add, Sub, Mul, Div, Clip, Relu };

// Where a stage's operand comes from.
struct ChainOperand {
    enum class Kind : uint8_t { Input, Stage, Constant };
    Kind kind = Kind::Input;
    size_t index = 0;                 // Input: into ElementwiseChain::inputs; Stage: an earlier stage
    const Tensor* constant = nullptr;  // Constant: a scalar or one value per channel (axis 1)
};

struct ChainStage {
    size_t node = 0;  // index in the graph
    ChainOp op = ChainOp::Add;
    std::vector<ChainOperand> operands;  // one (Clip, Relu) or two, in the node's order
    float lo = 0.0f, hi = 0.0f;          // Clip's bounds
    std::string output;
    bool readAfter = false;  // read by a node after the chain, or a graph output: written out
};

struct ElementwiseChain {
    std::vector<ChainStage> stages;   // consecutive nodes of the graph, in its order
    std::vector<std::string> inputs;  // the tensors from before the chain the stages read
};

// The chains of `graph`: maximal runs of consecutive nodes that may join one (an operator above, in
// the default domain, with one output, Clip's bounds constant scalars of opset 11+, binary operands
// not both constant). `floatNode[n]` says node n runs as a float operator of the integer pipeline;
// `twoTensorMul` says whether a Mul of two tensors may join (not with the onnxruntime arithmetic,
// which runs it as QLinearMul).
std::vector<ElementwiseChain> planElementwiseChains(const Graph& graph, const std::vector<bool>& floatNode,
                                                    bool twoTensorMul);

// What a run keeps of each stage: nothing (only later stages read it), its codes (only integer
// kernels read it: the value is left to whoever asks for it later), or its value and codes.
enum class ChainWrite : uint8_t { None, Codes, Values };

// One stage's result: its dequantized value (its float value when `quant` was empty) and codes.
struct ChainStageResult {
    Tensor value;             // with ChainWrite::Values
    QuantActivation codes;    // with Codes or Values, when quantized
    bool quantized = false;
};

// A chain input as the run holds it: its codes when it is quantized, and its float values (which
// may be absent when the codes are there: the blocks then dequantize them).
struct ChainInput {
    const Tensor* value = nullptr;
    const QuantActivation* codes = nullptr;   // with quant: value[i] is quant's dequantization of codes[i]
    std::optional<ActivationQuant> quant;
};

// Evaluates the chain on `inputs` (one per chain input) with §4's quantization `quant[s]` of each
// stage's output (none: kept in float), keeping of stage s what write[s] says (Codes only for a
// quantized stage). A chain of one quantized input of large planes is evaluated once per channel
// on the 256 codes and looked up; any other block by block. Returns false, computing nothing, when
// the operands do not fit: an input not a float32 tensor of the first one's shape, a constant
// neither a scalar nor one value per channel of that shape, more than maxElements elements, or
// none; the caller then runs the nodes one at a time. `tables` false: block by block always (the
// tests compare the two).
bool runElementwiseChain(const ElementwiseChain& chain, const std::vector<ChainInput>& inputs,
                         const std::vector<std::optional<ActivationQuant>>& quant, const std::vector<ChainWrite>& write,
                         int64_t maxElements, std::vector<ChainStageResult>& results, bool tables = true);

// Whether every constant operand of the chain is a scalar or one value per channel of `shape`.
bool chainConstantsFit(const ElementwiseChain& chain, const Shape& shape);

// A chain of one quantized input (§4's `input`) as a lookup of that input's code: table[t·256 + q]
// is stage `stage`'s code where the input's code is q, in channel t (t = 0 for every channel when no
// constant is per channel). runElementwiseChain's formulas on the same floats (its own tables are
// made the same way), hence its codes; what a producer applies to its codes when only that stage's
// codes are read after the chain. Empty when the chain has more than one input, the stage is not
// quantized, or a constant is neither a scalar nor `channels` values.
std::vector<uint8_t> chainCodeTable(const ElementwiseChain& chain, const ActivationQuant& input,
                                    const std::vector<std::optional<ActivationQuant>>& quant, size_t stage, int64_t channels);

} // namespace bg
