#include "integer/elementwise_chain.h"

#include "runtime/kernels/elementwise_formulas.h"
#include "runtime/kernels/parallel_ranges.h"
#include "runtime/kernels/shape_util.h"

#include <algorithm>
#include <limits>
#include <map>
#include <set>

namespace bg {

namespace {

// Elements of one block: every stage's block (4 KiB each) of an eight-stage chain stays in L1.
constexpr int64_t kBlock = 1024;

std::optional<ChainOp> chainOpOf(const std::string& opType)
{
    static const std::map<std::string, ChainOp> ops = {{"Add", ChainOp::Add}, {"Sub", ChainOp::Sub},
                                                       {"Mul", ChainOp::Mul}, {"Div", ChainOp::Div},
                                                       {"Clip", ChainOp::Clip}, {"Relu", ChainOp::Relu}};
    auto it = ops.find(opType);
    if (it == ops.end())
        return std::nullopt;
    return it->second;
}

// A constant float32 scalar (Clip's bounds as clip.cpp reads them at opset 11+).
std::optional<float> constantScalar(const Graph& graph, const std::string& name)
{
    const Tensor* t = graph.constant(name);
    if (!t || !t->isFloat() || t->numel() != 1)
        return std::nullopt;
    return t->floats()[0];
}

// Node n as a stage, its operands not yet resolved; none when it cannot join a chain.
std::optional<ChainStage> stageOf(const Graph& graph, size_t n, bool twoTensorMul)
{
    const Node& node = graph.nodes[n];
    const std::optional<ChainOp> op = chainOpOf(node.opType);
    if (!op || !isDefaultDomain(node.domain) || node.outputs.size() != 1 || node.outputs[0].empty())
        return std::nullopt;
    ChainStage stage;
    stage.node = n;
    stage.op = *op;
    stage.output = node.outputs[0];
    const auto operand = [&](const std::string& name) {
        ChainOperand o;
        if (const Tensor* c = graph.constant(name)) {
            o.kind = ChainOperand::Kind::Constant;
            o.constant = c;
        }
        stage.operands.push_back(o);
    };
    // Clip and Relu read one tensor; a binary operator at least one.
    const bool unary = *op == ChainOp::Clip || *op == ChainOp::Relu;
    if (node.inputs.empty() || node.inputs[0].empty() || (unary && graph.isConstant(node.inputs[0])))
        return std::nullopt;
    switch (*op) {
    case ChainOp::Relu:
        if (node.inputs.size() != 1)
            return std::nullopt;
        operand(node.inputs[0]);
        break;
    case ChainOp::Clip: {
        if (graph.opset < 11 || node.inputs.size() > 3)
            return std::nullopt;
        stage.lo = -std::numeric_limits<float>::infinity();
        stage.hi = std::numeric_limits<float>::infinity();
        for (size_t i = 1; i < node.inputs.size(); ++i) {
            if (node.inputs[i].empty())
                continue;
            const std::optional<float> bound = constantScalar(graph, node.inputs[i]);
            if (!bound)
                return std::nullopt;
            (i == 1 ? stage.lo : stage.hi) = *bound;
        }
        operand(node.inputs[0]);
        break;
    }
    default: {
        if (node.inputs.size() != 2 || node.inputs[0].empty() || node.inputs[1].empty())
            return std::nullopt;
        const bool c0 = graph.isConstant(node.inputs[0]), c1 = graph.isConstant(node.inputs[1]);
        if (c0 && c1)
            return std::nullopt;
        if (*op == ChainOp::Mul && !c0 && !c1 && !twoTensorMul)
            return std::nullopt;
        operand(node.inputs[0]);
        operand(node.inputs[1]);
        break;
    }
    }
    return stage;
}

// Whether a constant operand broadcasts to `shape` without changing it, as a scalar or as one value
// per channel (axis 1): the only forms the blocked loop reads.
bool constantFits(const Tensor& c, const Shape& shape)
{
    if (!c.isFloat() || c.elemType() != kOnnxFloat || c.rank() > static_cast<int>(shape.size()))
        return false;
    if (c.numel() == 1)
        return true;
    const int offset = static_cast<int>(shape.size()) - c.rank();  // numpy broadcasting aligns the last axes
    for (int d = 0; d < c.rank(); ++d)
        if (c.dim(d) != (offset + d == 1 ? shape[1] : 1))
            return false;
    return true;
}

// One operand over one block: a pointer to its values, or one value for the whole block.
struct BlockOperand {
    const float* values = nullptr;
    float value = 0.0f;
};

template <class F> void binaryBlock(const BlockOperand& a, const BlockOperand& b, float* out, int64_t len, F f)
{
    if (a.values && b.values) {
        for (int64_t i = 0; i < len; ++i)
            out[i] = f(a.values[i], b.values[i]);
    } else if (a.values) {
        const float y = b.value;
        for (int64_t i = 0; i < len; ++i)
            out[i] = f(a.values[i], y);
    } else {
        const float x = a.value;
        for (int64_t i = 0; i < len; ++i)
            out[i] = f(x, b.values[i]);
    }
}

void stageBlock(const ChainStage& stage, const BlockOperand* ops, float* out, int64_t len)
{
    switch (stage.op) {
    case ChainOp::Add:
        binaryBlock(ops[0], ops[1], out, len, [](float a, float b) { return addFloat(a, b); });
        break;
    case ChainOp::Sub:
        binaryBlock(ops[0], ops[1], out, len, [](float a, float b) { return subFloat(a, b); });
        break;
    case ChainOp::Mul:
        binaryBlock(ops[0], ops[1], out, len, [](float a, float b) { return mulFloat(a, b); });
        break;
    case ChainOp::Div:
        binaryBlock(ops[0], ops[1], out, len, [](float a, float b) { return divFloat(a, b); });
        break;
    case ChainOp::Clip: {
        const float* x = ops[0].values;
        const float lo = stage.lo, hi = stage.hi;
        for (int64_t i = 0; i < len; ++i)
            out[i] = clipFloat(x[i], lo, hi);
        break;
    }
    case ChainOp::Relu: {
        const float* x = ops[0].values;
        for (int64_t i = 0; i < len; ++i)
            out[i] = reluFloat(x[i]);
        break;
    }
    }
}

} // namespace

std::vector<ElementwiseChain> planElementwiseChains(const Graph& graph, const std::vector<bool>& floatNode,
                                                    bool twoTensorMul)
{
    std::vector<ElementwiseChain> chains;
    ElementwiseChain current;
    std::map<std::string, size_t> producedBy;  // tensor -> stage of `current`
    const auto close = [&] {
        if (!current.stages.empty())
            chains.push_back(std::move(current));
        current = ElementwiseChain{};
        producedBy.clear();
    };
    for (size_t n = 0; n < graph.nodes.size(); ++n) {
        std::optional<ChainStage> stage;
        if (n < floatNode.size() && floatNode[n])
            stage = stageOf(graph, n, twoTensorMul);
        if (!stage) {
            close();
            continue;
        }
        const Node& node = graph.nodes[n];
        for (size_t k = 0; k < stage->operands.size(); ++k) {
            ChainOperand& o = stage->operands[k];
            if (o.kind == ChainOperand::Kind::Constant)
                continue;
            const std::string& name = node.inputs[k];
            if (auto it = producedBy.find(name); it != producedBy.end()) {
                o.kind = ChainOperand::Kind::Stage;
                o.index = it->second;
                continue;
            }
            auto in = std::find(current.inputs.begin(), current.inputs.end(), name);
            o.index = static_cast<size_t>(in - current.inputs.begin());
            if (in == current.inputs.end())
                current.inputs.push_back(name);
        }
        producedBy[stage->output] = current.stages.size();
        current.stages.push_back(std::move(*stage));
    }
    close();

    for (ElementwiseChain& chain : chains) {
        std::set<size_t> members;
        for (const ChainStage& s : chain.stages)
            members.insert(s.node);
        for (ChainStage& s : chain.stages) {
            s.readAfter = graph.isGraphOutput(s.output);
            for (size_t reader : graph.consumersOf(s.output))
                s.readAfter = s.readAfter || !members.count(reader);
        }
    }
    return chains;
}

namespace {

// Evaluates the stages on one block of `len` elements of one channel: each stage's values go to
// out[s] (its codes, when quantized, to codes[s]), which later stages read. The one evaluation of
// a chain's formulas, for tensor blocks and for the tables alike.
struct BlockEvaluator {
    const ElementwiseChain& chain;
    std::vector<ActivationCodec> codecs;
    std::vector<int> codecOf;  // per stage: index into codecs, or -1 (kept in float)

    BlockEvaluator(const ElementwiseChain& c, const std::vector<std::optional<ActivationQuant>>& quant)
        : chain(c), codecOf(c.stages.size(), -1)
    {
        for (size_t s = 0; s < quant.size(); ++s)
            if (quant[s]) {
                codecOf[s] = static_cast<int>(codecs.size());
                codecs.emplace_back(*quant[s]);
            }
    }

    // inputs[k]: input k's block, or its one value there (an input of one value per plane).
    void run(const BlockOperand* inputs, int64_t channel, int64_t len, float* const* out, uint8_t* const* codes) const
    {
        BlockOperand ops[2];
        for (size_t s = 0; s < chain.stages.size(); ++s) {
            const ChainStage& stage = chain.stages[s];
            for (size_t k = 0; k < stage.operands.size(); ++k) {
                const ChainOperand& o = stage.operands[k];
                ops[k] = BlockOperand{};
                if (o.kind == ChainOperand::Kind::Input)
                    ops[k] = inputs[o.index];
                else if (o.kind == ChainOperand::Kind::Stage)
                    ops[k].values = out[o.index];
                else
                    ops[k].value = o.constant->floats()[o.constant->numel() == 1 ? 0 : static_cast<size_t>(channel)];
            }
            stageBlock(stage, ops, out[s], len);
            if (codecOf[s] >= 0) {
                const ActivationCodec& codec = codecs[static_cast<size_t>(codecOf[s])];
                codec.quantize(out[s], len, codes[s]);
                codec.dequantize(codes[s], len, out[s]);
            }
        }
    }
};

bool hasPerChannelConstant(const ElementwiseChain& chain)
{
    for (const ChainStage& stage : chain.stages)
        for (const ChainOperand& o : stage.operands)
            if (o.kind == ChainOperand::Kind::Constant && o.constant->numel() != 1)
                return true;
    return false;
}

// Planes from which a chain of one quantized input goes through tables: building them evaluates 256
// elements per channel, so they pay where a channel has many more elements than that.
constexpr int64_t kTablePlane = 1024;

// The chain evaluated on the 256 codes of its input `full` (of `inputs`), once per table t in
// [0, T), on the thread team: operandsOf(t, ops) sets the other inputs' one value of table t in ops
// (an input of one value per plane) and returns t's channel; keep(t, values, codes) gets every
// stage's 256 values and codes (values[s], codes[s]) of table t.
template <class Operands, class Keep>
void evaluateOnEveryCode(const BlockEvaluator& evaluator, size_t inputs, size_t full, const ActivationQuant& input,
                         size_t T, const Operands& operandsOf, const Keep& keep)
{
    const size_t S = evaluator.chain.stages.size();
    const std::array<float, 256> inputValues = valueOfEveryCode(input);
    parallelRanges(static_cast<int64_t>(T), 256 * static_cast<int64_t>(S), [&](int64_t t0, int64_t t1) {
        std::vector<float> scratch(S * 256);
        std::vector<uint8_t> codeScratch(S * 256);
        std::vector<float*> out(S);
        std::vector<uint8_t*> outCodes(S);
        for (size_t s = 0; s < S; ++s) {
            out[s] = scratch.data() + s * 256;
            outCodes[s] = codeScratch.data() + s * 256;
        }
        std::vector<BlockOperand> ops(inputs);
        ops[full].values = inputValues.data();
        for (int64_t t = t0; t < t1; ++t) {
            const int64_t channel = operandsOf(static_cast<size_t>(t), ops);
            evaluator.run(ops.data(), channel, 256, out.data(), outCodes.data());
            keep(static_cast<size_t>(t), out, outCodes);
        }
    });
}

} // namespace

bool chainConstantsFit(const ElementwiseChain& chain, const Shape& shape)
{
    for (const ChainStage& stage : chain.stages)
        for (const ChainOperand& o : stage.operands)
            if (o.kind == ChainOperand::Kind::Constant && !constantFits(*o.constant, shape))
                return false;
    return true;
}

std::vector<uint8_t> chainCodeTable(const ElementwiseChain& chain, const ActivationQuant& input,
                                    const std::vector<std::optional<ActivationQuant>>& quant, size_t stage, int64_t channels)
{
    if (chain.inputs.size() != 1 || quant.size() != chain.stages.size() || stage >= quant.size() || !quant[stage]
        || channels <= 0)
        return {};
    for (const ChainStage& st : chain.stages)
        for (const ChainOperand& o : st.operands)
            if (o.kind == ChainOperand::Kind::Constant && o.constant->numel() != 1 && o.constant->numel() != channels)
                return {};
    const size_t T = hasPerChannelConstant(chain) ? static_cast<size_t>(channels) : 1;
    std::vector<uint8_t> table(T * 256);
    evaluateOnEveryCode(BlockEvaluator(chain, quant), 1, 0, input, T,
                        [](size_t t, std::vector<BlockOperand>&) { return static_cast<int64_t>(t); },
                        [&](size_t t, const std::vector<float*>&, const std::vector<uint8_t*>& codes) {
                            std::copy(codes[stage], codes[stage] + 256, table.data() + t * 256);
                        });
    return table;
}

bool runElementwiseChain(const ElementwiseChain& chain, const std::vector<ChainInput>& inputs,
                         const std::vector<std::optional<ActivationQuant>>& quant, const std::vector<ChainWrite>& write,
                         int64_t maxElements, std::vector<ChainStageResult>& results, bool tables)
{
    const size_t S = chain.stages.size();
    if (inputs.empty() || inputs.size() != chain.inputs.size() || quant.size() != S || write.size() != S)
        return false;
    // An input's shape: its value's, or its codes' when only those are there.
    const auto shapeOf = [](const ChainInput& in) -> const Shape* {
        if (in.value)
            return in.value->isFloat() && in.value->elemType() == kOnnxFloat ? &in.value->shape() : nullptr;
        return in.codes && in.quant ? &in.codes->shape : nullptr;
    };
    // The chain's shape is its largest input's; every other input is of that shape too or has one
    // value per plane ([N, C, 1...], a squeeze-and-excitation's scale).
    const Shape* largest = nullptr;
    for (const ChainInput& in : inputs) {
        const Shape* sh = shapeOf(in);
        if (!sh || (in.value && in.codes && in.codes->shape != *sh))
            return false;
        if (!largest || shapeNumel(*sh) > shapeNumel(*largest))
            largest = sh;
    }
    const Shape shape = *largest;
    const int64_t n = shapeNumel(shape);
    if (n <= 0 || n > maxElements)
        return false;
    std::vector<bool> perPlane(inputs.size(), false);
    for (size_t k = 0; k < inputs.size(); ++k) {
        const Shape& sh = *shapeOf(inputs[k]);
        if (sh == shape)
            continue;
        if (sh.size() != shape.size() || shape.size() < 3 || sh[0] != shape[0] || sh[1] != shape[1]
            || shapeNumel(sh) != shape[0] * shape[1])
            return false;
        perPlane[k] = true;
    }
    // Every stage must read an input of the chain's shape, or a stage that does: a stage of
    // per-plane inputs and constants alone has the per-plane shape in the node-by-node run.
    std::vector<bool> full(S, false);
    for (size_t s = 0; s < S; ++s) {
        for (const ChainOperand& o : chain.stages[s].operands)
            full[s] = full[s] || (o.kind == ChainOperand::Kind::Input && !perPlane[o.index])
                || (o.kind == ChainOperand::Kind::Stage && full[o.index]);
        if (!full[s])
            return false;
    }
    for (size_t s = 0; s < S; ++s)
        if (write[s] == ChainWrite::Codes && !quant[s])
            return false;
    if (!chainConstantsFit(chain, shape))
        return false;

    // Blocks never cross a channel's plane, so that a per-channel constant and a per-plane input are
    // one value per block.
    const int64_t channels = shape.size() >= 2 ? shape[1] : 1;
    int64_t plane = shape.size() >= 2 ? 1 : n;
    for (size_t d = 2; d < shape.size(); ++d)
        plane *= shape[d];
    if (plane == 0)
        return false;
    const int64_t planes = n / plane, blocksPerPlane = (plane + kBlock - 1) / kBlock;
    // Block b: its plane (n·C + c), its first element and its length.
    struct Block {
        int64_t plane, offset, len;
    };
    const auto blockAt = [plane, blocksPerPlane](int64_t b) {
        const int64_t p = b / blocksPerPlane, inPlane = (b % blocksPerPlane) * kBlock;
        return Block{p, p * plane + inPlane, std::min(kBlock, plane - inPlane)};
    };

    // The per-plane inputs' values (dequantized here when only their codes are there).
    std::vector<std::vector<float>> planeScratch(inputs.size());
    std::vector<const float*> planeValues(inputs.size(), nullptr);
    for (size_t k = 0; k < inputs.size(); ++k) {
        if (!perPlane[k])
            continue;
        if (inputs[k].value) {
            planeValues[k] = inputs[k].value->floats().data();
            continue;
        }
        planeScratch[k].resize(static_cast<size_t>(planes));
        ActivationCodec(*inputs[k].quant).dequantize(inputs[k].codes->values.data(), planes, planeScratch[k].data());
        planeValues[k] = planeScratch[k].data();
    }
    const bool anyPerPlane = std::find(perPlane.begin(), perPlane.end(), true) != perPlane.end();

    results.assign(S, ChainStageResult{});
    std::vector<float*> values(S, nullptr);
    std::vector<uint8_t*> codes(S, nullptr);
    for (size_t s = 0; s < S; ++s) {
        ChainStageResult& r = results[s];
        r.quantized = quant[s].has_value();
        if (write[s] == ChainWrite::Values) {
            r.value = Tensor(shape, std::vector<float>(static_cast<size_t>(n)));
            values[s] = r.value.floats().data();
        }
        if (write[s] != ChainWrite::None && r.quantized) {
            r.codes.shape = shape;
            r.codes.zeroPoint = quant[s]->zeroPoint;
            r.codes.bits = quant[s]->bits;
            r.codes.values.resize(static_cast<size_t>(n));
            codes[s] = r.codes.values.data();
        }
    }
    const BlockEvaluator evaluator(chain, quant);

    // One quantized input of the chain's shape (the others one value per plane): every stage is a
    // function of its code and the plane, so the chain is evaluated once on the 256 codes per plane
    // (per channel with per-channel constants, once with scalars only) and each element looks its
    // results up. The same formulas on the same floats, hence the same bits, at a lookup per
    // element and stage written.
    const size_t fullInputs = static_cast<size_t>(std::count(perPlane.begin(), perPlane.end(), false));
    const size_t f = static_cast<size_t>(std::find(perPlane.begin(), perPlane.end(), false) - perPlane.begin());
    const ChainInput& in0 = inputs[f];
    if (tables && fullInputs == 1 && in0.codes && in0.quant && plane >= kTablePlane) {
        const size_t T = anyPerPlane ? static_cast<size_t>(planes) : hasPerChannelConstant(chain) ? static_cast<size_t>(channels) : 1;
        const auto tableOfPlane = [&](int64_t p) {
            return static_cast<size_t>(anyPerPlane ? p : T == 1 ? 0 : p % channels);
        };
        std::vector<size_t> tableOf(S, 0);  // per written stage: its tables' index
        size_t written = 0;
        for (size_t s = 0; s < S; ++s)
            if (values[s] || codes[s])
                tableOf[s] = written++;
        std::vector<float> valueTable(written * T * 256);    // [written stage][table][code]
        std::vector<uint8_t> codeTable(written * T * 256);
        const auto operandsOf = [&](size_t t, std::vector<BlockOperand>& ops) {
            for (size_t k = 0; k < inputs.size(); ++k)
                if (perPlane[k])
                    ops[k].value = planeValues[k][t];  // T is the planes here
            return static_cast<int64_t>(anyPerPlane ? t % static_cast<size_t>(channels) : t);
        };
        evaluateOnEveryCode(evaluator, inputs.size(), f, *in0.quant, T, operandsOf,
                            [&](size_t t, const std::vector<float*>& out, const std::vector<uint8_t*>& outCodes) {
                                for (size_t s = 0; s < S; ++s)
                                    if (values[s] || codes[s]) {
                                        const size_t at = (tableOf[s] * T + t) * 256;
                                        std::copy(out[s], out[s] + 256, valueTable.data() + at);
                                        std::copy(outCodes[s], outCodes[s] + 256, codeTable.data() + at);
                                    }
                            });
        const uint8_t* inCodes = in0.codes->values.data();
        parallelRanges(planes * blocksPerPlane, kBlock * static_cast<int64_t>(written), [&](int64_t b0, int64_t b1) {
            for (int64_t b = b0; b < b1; ++b) {
                const auto [p, offset, len] = blockAt(b);
                const size_t t = tableOfPlane(p);
                const uint8_t* q = inCodes + offset;
                for (size_t s = 0; s < S; ++s) {
                    const size_t at = (tableOf[s] * T + t) * 256;
                    if (values[s]) {
                        const float* vt = valueTable.data() + at;
                        float* v = values[s] + offset;
                        for (int64_t i = 0; i < len; ++i)
                            v[i] = vt[q[i]];
                    }
                    if (codes[s]) {
                        const uint8_t* ct = codeTable.data() + at;
                        uint8_t* c = codes[s] + offset;
                        for (int64_t i = 0; i < len; ++i)
                            c[i] = ct[q[i]];
                    }
                }
            }
        });
        return true;
    }

    // Inputs held as codes only are dequantized a block at a time.
    std::vector<const float*> inputValues;
    std::vector<std::optional<ActivationCodec>> inputCodecs;
    for (const ChainInput& in : inputs) {
        inputValues.push_back(in.value ? in.value->floats().data() : nullptr);
        inputCodecs.push_back(in.value ? std::nullopt : std::optional<ActivationCodec>(*in.quant));
    }
    parallelRanges(planes * blocksPerPlane, kBlock * static_cast<int64_t>(S), [&](int64_t b0, int64_t b1) {
        std::vector<float> scratch(S * kBlock), inScratch(inputs.size() * kBlock);
        std::vector<uint8_t> codeScratch(S * kBlock);
        std::vector<BlockOperand> in(inputs.size());
        std::vector<float*> out(S);
        std::vector<uint8_t*> outCodes(S);
        for (int64_t b = b0; b < b1; ++b) {
            const auto [p, offset, len] = blockAt(b);
            for (size_t k = 0; k < in.size(); ++k) {
                if (perPlane[k]) {
                    in[k] = BlockOperand{nullptr, planeValues[k][p]};
                } else if (inputValues[k]) {
                    in[k] = BlockOperand{inputValues[k] + offset, 0.0f};
                } else {
                    float* v = inScratch.data() + k * kBlock;
                    inputCodecs[k]->dequantize(inputs[k].codes->values.data() + offset, len, v);
                    in[k] = BlockOperand{v, 0.0f};
                }
            }
            for (size_t s = 0; s < S; ++s) {
                out[s] = values[s] ? values[s] + offset : scratch.data() + s * kBlock;
                outCodes[s] = codes[s] ? codes[s] + offset : codeScratch.data() + s * kBlock;
            }
            evaluator.run(in.data(), p % channels, len, out.data(), outCodes.data());
        }
    });
    return true;
}

} // namespace bg
