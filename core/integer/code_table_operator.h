#pragma once
// Float operators of the integer pipeline that are functions of one element (Sigmoid, HardSwish,
// Tanh, …) or of one element and its channel (BatchNormalization with constant parameters), run
// on their input's codes: the output code of every input code is computed once, by the
// operator's own kernel on the 256 dequantized values (per channel) followed by §4's quantization
// of the output, and each element looks its code up. The node-by-node run computes the same
// kernel on the same float, then the same quantization, element by element: the same codes, and
// the same values (the output is its codes' dequantization either way), without the input's float
// values or the output's float pass.
#include "arithmetic/quant_math.h"
#include "integer/int_tensor.h"
#include "model/graph.h"
#include "runtime/op_registry.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace bg {

enum class CodeTableKind : uint8_t { Element, PerChannel };

// How `node` runs on codes: a table for all elements, one per channel (axis 1), or not (an
// operator outside the list, a parameter that is not a constant, an optional output asked for).
std::optional<CodeTableKind> codeTableKind(const Graph& graph, const Node& node);

// The output codes of every input code: table[t·256 + q], t the channel (PerChannel, `channels`
// tables) or 0. `def` is the node's kernel, run as the integer pipeline runs float operators
// (KernelChoice::Reference) on the values of `in`'s 256 codes; `out` the output's quantization.
std::vector<uint8_t> operatorCodeTable(const OpDef& def, const Graph& graph, const Node& node, CodeTableKind kind,
                                       int64_t channels, const ActivationQuant& in, const ActivationQuant& out);

// y[i] = table[t(i)·256 + x[i]] with t(i) the channel of element i (PerChannel) or 0; x channels
// first. The codes carry `out`'s zero point and bits.
QuantActivation applyCodeTable(const QuantActivation& x, const std::vector<uint8_t>& table, CodeTableKind kind,
                               const ActivationQuant& out);

} // namespace bg
