#include "integer/integer_runtime.h"
#include "integer/ort_qlinear_mul.h"

#include "runtime/memory_guard.h"

#include "io/error.h"
#include "integer/activation_quantizer.h"
#include "integer/code_table_operator.h"
#include "integer/global_average_pool_codes.h"
#include "integer/group_executor.h"
#include "runtime/kernels/shape_util.h"

#include <algorithm>
#include <unordered_map>

namespace bg {

namespace {

// Float tensors read only as an operator's parameters (Resize scales, Clip bounds, Pad values ...)
// are left in float: quantizing a scale factor would change output shapes, not simulate an
// integer datapath.
bool isParameterInput(const Node& n, size_t input)
{
    static const std::set<std::string> kParamOps = {"Resize", "Upsample", "Clip", "Pad", "Reshape", "Expand",
                                                    "Tile", "Slice", "ConstantOfShape", "Range", "TopK",
                                                    "Squeeze", "Unsqueeze", "ReduceSum", "ReduceMean"};
    return input >= 1 && kParamOps.count(n.opType) != 0;
}

} // namespace

IntegerRuntime::IntegerRuntime(const ModelStructure& model, const RangeTable& ranges, const FoldAnalysis& analysis,
                               const FixPlan& plan)
    : graph_(model.graph), pairs_(model.pairs), groups_(model.groups), analysis_(analysis), ranges_(ranges),
      settings_(analysis.settings)
{
    withFile(graph_.path, [&] { prepare(plan); });
}

// Quantizes every group with the plan and indexes the nodes: the constructor's work.
void IntegerRuntime::prepare(const FixPlan& plan)
{
    const Graph& graph = graph_;
    if (std::string missing = unsupportedOps(graph); !missing.empty())
        throw Error(ErrorCode::UnsupportedOp, graph.path, "unsupported operator(s): " + missing);
    if (analysis_.layers.size() != pairs_.pairs.size())
        throw Error(ErrorCode::InvalidModel, graph.path,
                    "internal: an analysis of " + std::to_string(analysis_.layers.size()) + " pairs for a model of "
                        + std::to_string(pairs_.pairs.size()));

    const size_t nodeCount = graph.nodes.size();
    groupOfNode_.assign(nodeCount, -1);
    insideGroup_.assign(nodeCount, false);
    defs_.assign(nodeCount, nullptr);
    for (const Strategy s : {Strategy::Clamp, Strategy::Separate, Strategy::Constant, Strategy::Widen})
        static_.channelsPerStrategy[s] = 0;
    for (const Strategy s : {Strategy::Clamp, Strategy::Separate, Strategy::Widen})
        static_.unfoldedPerStrategy[s] = 0;

    plan.checkAgainst(groupChannels(groups_));

    quantized_.reserve(groups_.groups.size());
    for (size_t gi = 0; gi < groups_.groups.size(); ++gi) {
        const FusionGroup& g = groups_.groups[gi];
        const size_t C = static_cast<size_t>(g.params.channels);
        const ActivationQuant input = activationQuant(g.input);
        const ActivationQuant output = activationQuant(g.groupOutput);
        // A BN group's derivation is the fold analysis's layer; a group without BN derives its own
        // by the same function (a = 1, no constant test).
        const LayerAnalysis* layer = nullptr;
        LayerAnalysis unfolded;
        if (g.hasBn) {
            for (const LayerAnalysis& la : analysis_.layers)
                if (la.pairIndex == static_cast<size_t>(g.pairIndex))
                    layer = &la;
        }
        if (!layer) {
            unfolded = deriveLayer(g.params, g.hasBn, settings_, input, output, nullptr);
            unfolded.name = g.name;
            layer = &unfolded;
        }
        std::vector<Strategy> strategies(C, Strategy::Clamp);
        for (size_t c = 0; c < C; ++c)
            strategies[c] = plan.resolved(*layer, layer->channels[c]);
        quantized_.push_back(quantizeGroup(g, gi, settings_, input, output, *layer, strategies));
        const QuantizedGroup& qg = quantized_.back();
        static_.saturatedBiases += qg.saturatedBiases;
        for (const ChannelRequant& r : qg.channels) {
            if (g.hasBn)
                ++static_.channelsPerStrategy[r.strategy];
            else
                ++static_.unfoldedPerStrategy[r.strategy];
        }
        ++static_.groups;
        static_.foldedGroups += g.hasBn ? 1 : 0;
        groupOfNode_[g.linearIndex] = static_cast<int>(gi);
        for (size_t n : g.nodes)
            if (n != g.linearIndex)
                insideGroup_[n] = true;
    }

    const OpRegistry& reg = OpRegistry::instance();
    for (size_t n = 0; n < nodeCount; ++n) {
        if (groupOfNode_[n] >= 0 || insideGroup_[n])
            continue;
        defs_[n] = reg.find(graph.nodes[n].opType);
        ++static_.floatNodes;
    }

    // Tensors every reader of which takes as a parameter.
    std::map<std::string, bool> onlyParam;
    for (const Node& node : graph.nodes)
        for (size_t i = 0; i < node.inputs.size(); ++i) {
            const std::string& name = node.inputs[i];
            if (name.empty() || graph.isConstant(name))
                continue;
            const bool param = isParameterInput(node, i);
            auto [it, inserted] = onlyParam.emplace(name, param);
            if (!inserted)
                it->second = it->second && param;
        }
    for (const auto& [name, param] : onlyParam)
        if (param && !graph.isGraphOutput(name))
            unquantized_.insert(name);

    std::vector<bool> floatNode(nodeCount);
    for (size_t n = 0; n < nodeCount; ++n)
        floatNode[n] = defs_[n] != nullptr;
    chains_ = planElementwiseChains(graph, floatNode, settings_.arithmetic != Arithmetic::OnnxRuntime);
    chainOfNode_.assign(nodeCount, -1);
    for (size_t ci = 0; ci < chains_.size(); ++ci)
        for (const ChainStage& stage : chains_[ci].stages)
            chainOfNode_[stage.node] = static_cast<int>(ci);
    planFusedChains();
    // Readers that take channels-last codes: Conv and ConvTranspose groups (their fast kernels work
    // in NHWC; their reference kernels transpose).
    const auto onlyConvGroupsRead = [&](const std::string& name) {
        const std::vector<size_t> readers = graph_.consumersOf(name);
        if (readers.empty() || graph_.isGraphOutput(name))
            return false;
        for (size_t n : readers) {
            const int gi = groupOfNode_[n];
            if (gi < 0)
                return false;
            const FusionGroup& reader = groups_.groups[static_cast<size_t>(gi)];
            if ((reader.kind != LinearKind::Conv && reader.kind != LinearKind::ConvTranspose) || reader.input != name)
                return false;
        }
        return true;
    };
    for (size_t gi = 0; gi < groups_.groups.size(); ++gi) {
        const FusedChain& f = fusedChain_[gi];
        for (const std::string& name : {groups_.groups[gi].groupOutput,
                                        f.chain >= 0 ? chains_[static_cast<size_t>(f.chain)].stages[f.stage].output
                                                     : std::string()})
            if (!name.empty() && onlyConvGroupsRead(name))
                channelsLastReaders_.insert(name);
    }
}

std::vector<std::optional<ActivationQuant>> IntegerRuntime::stageQuant(const ElementwiseChain& chain) const
{
    std::vector<std::optional<ActivationQuant>> quant;
    for (const ChainStage& stage : chain.stages)
        quant.push_back(unquantized_.count(stage.output) ? std::nullopt
                                                         : std::optional<ActivationQuant>(activationQuant(stage.output)));
    return quant;
}

void IntegerRuntime::planFusedChains()
{
    fusedChain_.assign(groups_.groups.size(), FusedChain{});
    for (size_t gi = 0; gi < groups_.groups.size(); ++gi) {
        const FusionGroup& g = groups_.groups[gi];
        const std::vector<size_t> readers = graph_.consumersOf(g.groupOutput);
        if (readers.empty() || graph_.isGraphOutput(g.groupOutput) || chainOfNode_[readers.front()] < 0)
            continue;
        const int ci = chainOfNode_[readers.front()];
        const ElementwiseChain& chain = chains_[static_cast<size_t>(ci)];
        if (chain.inputs != std::vector<std::string>{g.groupOutput})
            continue;
        bool onlyChain = true;
        for (size_t n : readers)
            onlyChain = onlyChain && chainOfNode_[n] == ci;
        // Exactly one stage read after the chain, quantized, and not a graph output (whose value a
        // run keeps from the start).
        int written = -1, count = 0;
        for (size_t s = 0; s < chain.stages.size(); ++s)
            if (chain.stages[s].readAfter) {
                written = static_cast<int>(s);
                ++count;
            }
        if (!onlyChain || count != 1)
            continue;
        const std::string& out = chain.stages[static_cast<size_t>(written)].output;
        if (unquantized_.count(out) || graph_.isGraphOutput(out))
            continue;
        std::vector<std::optional<ActivationQuant>> quant;
        try {
            quant = stageQuant(chain);
        } catch (const Error&) {
            continue;  // a range is missing: the run reports it where the chain runs
        }
        FusedChain f;
        f.chain = ci;
        f.stage = static_cast<size_t>(written);
        f.table = chainCodeTable(chain, activationQuant(g.groupOutput), quant, f.stage, g.params.channels);
        f.perChannel = f.table.size() > 256;
        if (!f.table.empty())
            fusedChain_[gi] = std::move(f);
    }
}

ActivationQuant IntegerRuntime::activationQuant(const std::string& tensor) const
{
    auto it = ranges_.find(tensor);
    if (it == ranges_.end())  // count 0 is a zero-size tensor: range [0, 0], nothing to lose
        throw Error(ErrorCode::MissingTensor, tensor,
                    "no calibrated range for this tensor; calibrate the same model before running it in integers");
    return activationQuantFromRange(it->second.min, it->second.max, settings_.activationBits, settings_.arithmetic);
}

const TensorRange& IntegerRuntime::range(const std::string& tensor) const
{
    activationQuant(tensor);  // the same check, the same message
    return ranges_.at(tensor);
}

std::vector<std::string> IntegerRuntime::quantizedTensors() const
{
    std::set<std::string> names;
    const auto add = [&](const std::string& name) {
        auto it = ranges_.find(name);
        // Float tensors only: the calibrator records no other (int64 shape arithmetic is never quantized).
        if (!name.empty() && !graph_.isConstant(name) && !unquantized_.count(name) && it != ranges_.end()
            && it->second.count > 0)
            names.insert(name);
    };
    for (const ValueInfo& info : graph_.inputs)
        add(info.name);
    for (const FusionGroup& g : groups_.groups)
        add(g.groupOutput);
    for (size_t n = 0; n < graph_.nodes.size(); ++n)
        if (defs_[n])
            for (const std::string& out : graph_.nodes[n].outputs)
                add(out);
    return {names.begin(), names.end()};
}

// The tensors of one run that are still to be read: each float tensor stored quantized (its codes
// and their dequantized value) unless only operator parameters read it, and freed after its last
// reader so that peak memory follows the graph's width, not its length.
struct IntegerRuntime::RunState {
    using Slot = IntegerTensorSlot;

    const IntegerRuntime& rt;
    std::map<std::string, QuantActivation>* keptCodes = nullptr;  // keepActivationCodes: every quantized slot
    const std::map<std::string, QuantActivation>* substitutes = nullptr;  // IntegerRunOptions::substituteCodes
    std::unordered_map<std::string, Slot> live;
    std::unordered_map<std::string, size_t> remaining;  // reads still to come, per tensor
    MemoryGuard held;  // the bytes of `live` against the memory limit
    // Incremental re-run: the memo read for nodes not recomputed, and the tensors this run recomputed.
    const IntegerRunMemo* reuse = nullptr;
    std::set<std::string> recomputed;
    IntegerRunMemo* record = nullptr;
    // Per chain: applied inside its producer's requantization (IntegerRuntime::fusedChain_).
    std::vector<bool> chainApplied;
    // Whether this run applies chains inside requantizations: one writing out only what later
    // nodes read (IntegerRuntime::runGraph's `chains`), not recording or re-running from a memo.
    bool fuseChains = false;
    // Whether float operators may read their input's codes instead of its values where that gives
    // the same bits (the chains' condition: not with every tensor's codes asked for or replaced).
    bool operatorsOnCodes = false;

    static int64_t slotBytes(const Slot& slot)
    {
        return tensorBytes(slot.value) + static_cast<int64_t>(slot.codes.values.size());
    }

    void put(const std::string& name, Slot slot)
    {
        if (auto it = live.find(name); it != live.end())
            held.add(-slotBytes(it->second), name);
        held.add(slotBytes(slot), name);
        if (keptCodes && slot.quantized)
            (*keptCodes)[name] = slot.codes;
        if (substitutes && slot.quantized)
            if (auto sub = substitutes->find(name); sub != substitutes->end()) {
                if (sub->second.values.size() != slot.codes.values.size())
                    throw Error(ErrorCode::ShapeMismatch, name, "substitute codes have another size than the tensor");
                const int32_t type = slot.value.elemType();
                slot.codes.values = sub->second.values;
                slot.value = dequantizeActivation(slot.codes, rt.activationQuant(name));
                slot.value.setElemType(type);
                slot.lazyValue = false;
            }
        if (record) {
            if (slot.lazyValue)
                throw Error(ErrorCode::InvalidModel, name, "internal: a recorded run stored a tensor without its value");
            record->tensors[name] = std::make_shared<const Slot>(slot);
        }
        live[name] = std::move(slot);
    }

    void store(const std::string& name, Tensor value)
    {
        Slot slot;
        if (value.isFloat() && !rt.unquantized_.count(name)) {
            const ActivationQuant q = rt.activationQuant(name);
            slot.codes = quantizeActivation(value, q);
            slot.quantized = true;
            // As a group's output: the codes alone until a float reader asks (float32 tensors only,
            // whose dequantized value needs no element type kept).
            if (value.elemType() == kOnnxFloat && !storesValue(name)) {
                slot.lazyValue = true;
            } else {
                slot.value = dequantizeActivation(slot.codes, q);
                slot.value.setElemType(value.elemType());
            }
        } else {
            slot.value = std::move(value);
        }
        put(name, std::move(slot));
    }

    void release(const std::string& name)
    {
        if (name.empty() || rt.graph_.isConstant(name))
            return;
        if (--remaining[name] == 0 && !rt.graph_.isGraphOutput(name))
            if (auto it = live.find(name); it != live.end()) {
                held.add(-slotBytes(it->second), name);
                live.erase(it);
            }
    }

    const Slot& lookup(const Node& node, const std::string& name) const
    {
        auto it = live.find(name);
        if (it == live.end() && reuse) {
            // Not recomputed in this re-run: as the recorded run left it.
            if (auto m = reuse->tensors.find(name); m != reuse->tensors.end())
                return *m->second;
        }
        if (it == live.end())
            throw Error(ErrorCode::MissingTensor, rt.graph_.path,
                        node.describe() + " reads '" + name + "', which nothing produces");
        return it->second;
    }

    // Whether a quantized tensor is stored with its values from the start: a recorded run's (a re-run
    // may read any of them from the memo) and a graph output; every other one keeps its codes alone
    // (lazyValue) until value() is asked.
    bool storesValue(const std::string& name) const { return record || rt.graph_.isGraphOutput(name); }

    // The float values of `name`, dequantized now if it was stored with its codes only (lazyValue).
    const Tensor& value(const Node& node, const std::string& name)
    {
        if (auto it = live.find(name); it != live.end() && it->second.lazyValue) {
            Slot& slot = it->second;
            slot.value = dequantizeActivation(slot.codes, rt.activationQuant(name));
            slot.lazyValue = false;
            held.add(slot.value, name);
            return slot.value;
        }
        return lookup(node, name).value;
    }

    bool stillRead(const std::string& name) const
    {
        auto it = remaining.find(name);
        return (it != remaining.end() && it->second > 0) || rt.graph_.isGraphOutput(name);
    }
};

IntegerRuntime::RunState IntegerRuntime::startRun(const TensorMap& inputs, const IntegerRunOptions& options,
                                                  std::map<std::string, QuantActivation>* keptCodes) const
{
    RunState state{*this, keptCodes, options.substituteCodes, {}, {}, MemoryGuard(options.limits.memoryLimit(), graph_.path),
                   nullptr, {}, nullptr, {}, false};
    if (options.reuse) {
        if (options.record == options.reuse || !options.changedGroups || options.changedGroups->size() != groups_.groups.size()
            || options.reuse->groupRan.size() != groups_.groups.size())
            throw Error(ErrorCode::InvalidModel, graph_.path,
                        "internal: an incremental re-run needs a memo and changed-group flags of this model");
        state.reuse = options.reuse;
    }
    state.record = options.record;
    if (state.record) {
        *state.record = IntegerRunMemo{};
        state.record->groups.assign(groups_.groups.size(), GroupRunCounters{});
        state.record->groupRan.assign(groups_.groups.size(), false);
    }
    for (const ValueInfo& info : graph_.inputs) {
        auto it = inputs.find(info.name);
        if (it == inputs.end())
            throw Error(ErrorCode::BadInput, graph_.path, "graph input '" + info.name + "' was not given");
        FloatRuntime::checkInput(graph_, info, it->second);
        state.store(info.name, it->second);
    }
    // A group reads only its input x; every other node each of its inputs.
    for (size_t n = 0; n < graph_.nodes.size(); ++n) {
        if (insideGroup_[n])
            continue;
        if (groupOfNode_[n] >= 0) {
            ++state.remaining[groups_.groups[static_cast<size_t>(groupOfNode_[n])].input];
            continue;
        }
        for (const auto& in : graph_.nodes[n].inputs)
            if (!in.empty())
                ++state.remaining[in];
    }
    return state;
}

namespace {

// Whether a chain's constants fit a group's output as runElementwiseChain checks them, from the
// output's rank and channel count (on axis 1, all a constant's fit reads): a Conv or ConvTranspose
// keeps its input's rank, a Gemm or a 2-D MatMul gives [M, C]; a MatMul of another rank has its
// channels on its last axis, not axis 1, and is never fused.
bool chainConstantsFitOutput(const ElementwiseChain& chain, const FusionGroup& g, const QuantActivation& x)
{
    const size_t rank = x.shape.size();
    if (rank < 2 || ((g.kind == LinearKind::MatMul || g.kind == LinearKind::Gemm) && rank != 2))
        return false;
    Shape shape(rank, 1);
    shape[1] = g.params.channels;
    return chainConstantsFit(chain, shape);
}

} // namespace

void IntegerRuntime::runGroup(size_t gi, const Node& node, RunState& state, const IntegerRunOptions& options,
                              IntegerRunResult& result) const
{
    const FusionGroup& g = groups_.groups[gi];
    const QuantizedGroup& qg = quantized_[gi];
    const RunState::Slot& x = state.lookup(node, g.input);
    if (!x.quantized)
        throw Error(ErrorCode::UnsupportedType, node.describe(), "input '" + g.input + "' is not a quantized float tensor");
    GroupRunCounters counters;
    RunState::Slot y;
    // Where only later nodes read what a group writes: a chain that only its output feeds runs
    // inside its requantization (the group then writes that chain's stage), and codes that only fast
    // convolutions read are written channels-last, their layout.
    const FusedChain& fused = fusedChain_[gi];
    const bool layoutFree = state.fuseChains && !options.keepGroupOutputs;
    const bool fuse = layoutFree && fused.chain >= 0
        && chainConstantsFitOutput(chains_[static_cast<size_t>(fused.chain)], g, x.codes);
    const std::string& out = fuse ? chains_[static_cast<size_t>(fused.chain)].stages[fused.stage].output : g.groupOutput;
    const bool channelsLast = layoutFree && channelsLastReaders_.count(out) && x.codes.shape.size() >= 3
        && (g.kind == LinearKind::Conv || g.kind == LinearKind::ConvTranspose);  // channels on axis 1
    RequantizeParams adapted;  // the group's parameters with the table or the layout, when either applies
    if (fuse || channelsLast) {
        adapted = qg.requant;
        adapted.channelsLastOutput = channelsLast;
        adapted.codeTable = fuse ? fused.table.data() : nullptr;
        adapted.codeTablePerChannel = fuse && fused.perChannel;
    }
    y.codes = runQuantizedGroup(node, graph_.opset, g, qg, x.codes, options.referenceKernels, counters,
                                fuse || channelsLast ? adapted : qg.requant);
    y.quantized = true;
    const ActivationQuant outQuant = fuse ? activationQuant(out) : qg.output;
    if (fuse) {
        y.codes.zeroPoint = outQuant.zeroPoint;
        y.codes.bits = outQuant.bits;
        state.chainApplied[static_cast<size_t>(fused.chain)] = true;
        ++result.stats.chainsInRequantization;
    }
    result.stats.channelsLastOutputs += channelsLast ? 1 : 0;
    // The next group and a chain's tables read the codes: the floats only when something asks.
    if (options.keepGroupOutputs || state.storesValue(out))
        y.value = dequantizeActivation(y.codes, outQuant);
    else
        y.lazyValue = true;
    result.stats.accumulatorOverflows += counters.accumulatorOverflows;
    ++result.stats.kernelPaths[counters.path];
    if (state.record) {
        state.record->groups[gi] = counters;
        state.record->groupRan[gi] = true;
    }
    if (state.reuse)
        state.recomputed.insert(out);
    if (options.keepGroupOutputs) {
        state.held.add(y.value, out);  // kept until the run returns
        result.groupOutputs[out] = y.value;
    }
    state.release(g.input);
    state.put(out, std::move(y));
}

bool IntegerRuntime::runQLinearMulOrt(const Node& node, RunState& state) const
{
    if (settings_.arithmetic != Arithmetic::OnnxRuntime || node.opType != "Mul" || node.inputs.size() != 2
        || node.outputs.size() != 1 || graph_.constant(node.inputs[0]) || graph_.constant(node.inputs[1]))
        return false;
    const std::string& out = node.outputs[0];
    const RunState::Slot& a = state.lookup(node, node.inputs[0]);
    const RunState::Slot& b = state.lookup(node, node.inputs[1]);
    if (!a.value.isFloat() || unquantized_.count(out))
        return false;
    const ActivationQuant qc = activationQuant(out);
    if (!runsAsQLinearMul(a.quantized && b.quantized, qc))
        return false;
    const float ratio = qlinearMulRatio(activationQuant(node.inputs[0]).scale, activationQuant(node.inputs[1]).scale, qc.scale);
    RunState::Slot c;
    c.codes = qlinearMulOrt(a.codes, b.codes, ratio, qc.zeroPoint, node.describe());
    c.value = dequantizeActivation(c.codes, qc);
    c.value.setElemType(a.value.elemType());
    c.quantized = true;
    for (const auto& name : node.inputs)
        state.release(name);
    if (state.stillRead(out)) {
        if (state.reuse)
            state.recomputed.insert(out);
        state.put(out, std::move(c));
    }
    return true;
}

bool IntegerRuntime::runFloatNodeOnCodes(size_t n, const Node& node, RunState& state, IntegerRunResult& result) const
{
    if (!state.operatorsOnCodes || !node.inDefaultDomain() || node.inputs.empty() || node.inputs[0].empty()
        || graph_.isConstant(node.inputs[0]) || node.outputs.empty() || node.outputs[0].empty())
        return false;
    const std::optional<CodeTableKind> table = codeTableKind(graph_, node);
    const bool pool = node.opType == "GlobalAveragePool" && node.inputs.size() == 1 && node.outputs.size() == 1;
    if (!table && !pool)
        return false;
    const RunState::Slot& x = state.lookup(node, node.inputs[0]);
    // A lazy slot is float32 (RunState::store); a held value may be of another float type.
    if (!x.quantized || x.codes.channelsLast || (!x.lazyValue && x.value.elemType() != kOnnxFloat))
        return false;
    const std::string& out = node.outputs[0];
    const ActivationQuant in = activationQuant(node.inputs[0]);
    // The pool's float output, stored (and quantized) as runFloatNode stores it; or the table's codes.
    std::optional<Tensor> pooled;
    RunState::Slot y;
    std::optional<ActivationQuant> outQuant;  // the table's: its output is quantized
    if (pool) {
        pooled = globalAveragePoolOfCodes(x.codes, in);
        if (!pooled)
            return false;
    } else {
        // The table costs 256 kernel evaluations per channel: where the tensor has many more elements.
        const int64_t channels = x.codes.shape.size() >= 2 ? x.codes.shape[1] : 1;
        const int64_t tables = *table == CodeTableKind::PerChannel ? channels : 1;
        if (unquantized_.count(out) || static_cast<int64_t>(x.codes.values.size()) < 1024 * tables
            || (*table == CodeTableKind::PerChannel && x.codes.shape.size() < 2))
            return false;
        outQuant = activationQuant(out);
        y.codes = applyCodeTable(x.codes, operatorCodeTable(*defs_[n], graph_, node, *table, channels, in, *outQuant),
                                 *table, *outQuant);
        y.quantized = true;
    }
    ++result.stats.operatorsOnCodes;
    state.release(node.inputs[0]);
    if (!state.stillRead(out))
        return true;
    if (state.reuse)
        state.recomputed.insert(out);
    if (pooled) {
        state.store(out, std::move(*pooled));
        return true;
    }
    if (state.storesValue(out))
        y.value = dequantizeActivation(y.codes, *outQuant);
    else
        y.lazyValue = true;
    state.put(out, std::move(y));
    return true;
}

void IntegerRuntime::runFloatNode(size_t n, const Node& node, RunState& state, const IntegerRunOptions& options) const
{
    if (runQLinearMulOrt(node, state))
        return;
    std::vector<const Tensor*> ins;
    ins.reserve(node.inputs.size());
    for (const auto& name : node.inputs) {
        if (name.empty())
            ins.push_back(nullptr);
        else if (const Tensor* c = graph_.constant(name))
            ins.push_back(c);
        else
            ins.push_back(&state.value(node, name));
    }
    // The plain-loop float kernels: no thread-count dependent reductions in an integer run.
    std::vector<Tensor> outs = runNode(*defs_[n], node, ins, graph_.opset, KernelChoice::Reference, nullptr,
                                       options.limits.maxTensorElements);
    for (const auto& name : node.inputs)
        state.release(name);
    for (size_t o = 0; o < node.outputs.size() && o < outs.size(); ++o)
        if (!node.outputs[o].empty() && state.stillRead(node.outputs[o])) {
            if (state.reuse)
                state.recomputed.insert(node.outputs[o]);
            state.store(node.outputs[o], std::move(outs[o]));
        }
}

void IntegerRuntime::runChain(size_t ci, RunState& state, const IntegerRunOptions& options,
                              IntegerRunResult& result) const
{
    const ElementwiseChain& chain = chains_[ci];
    if (state.reuse) {
        // The chain's stages read each other only: it is recomputed as a whole or reused as a whole.
        bool recompute = false;
        for (const ChainStage& stage : chain.stages)
            recompute = recompute || mustRecompute(stage.node, state, options);
        if (!recompute) {
            for (const ChainStage& stage : chain.stages)
                reuseNode(stage.node, graph_.nodes[stage.node], state, options, result);
            return;
        }
    }
    const Node& first = graph_.nodes[chain.stages.front().node];
    std::vector<ChainInput> inputs;
    for (const std::string& name : chain.inputs) {
        const RunState::Slot& slot = state.lookup(first, name);
        ChainInput in;
        if (slot.codes.channelsLast) {  // the chain reads planes: the values (never planned: a safety net)
            in.value = &state.value(first, name);
            inputs.push_back(in);
            continue;
        }
        if (!slot.lazyValue)
            in.value = &slot.value;
        if (slot.quantized) {
            in.codes = &slot.codes;
            in.quant = activationQuant(name);
        }
        inputs.push_back(in);
    }
    const std::vector<std::optional<ActivationQuant>> quant = stageQuant(chain);
    // A recorded run writes every stage out with its value: a later re-run may recompute the stages
    // one at a time (with reference kernels) and then reads any of them from the memo. Otherwise a
    // stage read after the chain keeps its codes, and its value when it is a graph output or not
    // quantized; the value of the others is computed when a float operator reads it.
    std::vector<ChainWrite> write;
    for (size_t s = 0; s < chain.stages.size(); ++s) {
        const ChainStage& stage = chain.stages[s];
        if (state.record || (stage.readAfter && (!quant[s] || state.storesValue(stage.output))))
            write.push_back(ChainWrite::Values);
        else
            write.push_back(stage.readAfter ? ChainWrite::Codes : ChainWrite::None);
    }
    std::vector<ChainStageResult> results;
    if (!runElementwiseChain(chain, inputs, quant, write, options.limits.maxTensorElements, results)) {
        for (const ChainStage& stage : chain.stages)
            runFloatNode(stage.node, graph_.nodes[stage.node], state, options);
        return;
    }
    result.stats.chainedNodes += static_cast<int64_t>(chain.stages.size());
    // Releases and stores in node order, as runFloatNode does one node after another.
    for (size_t s = 0; s < chain.stages.size(); ++s) {
        const ChainStage& stage = chain.stages[s];
        for (const auto& name : graph_.nodes[stage.node].inputs)
            state.release(name);
        if (state.reuse)
            state.recomputed.insert(stage.output);
        ChainStageResult& r = results[s];
        if (write[s] != ChainWrite::None && state.stillRead(stage.output)) {
            RunState::Slot slot;
            slot.value = std::move(r.value);
            slot.codes = std::move(r.codes);
            slot.quantized = r.quantized;
            slot.lazyValue = write[s] == ChainWrite::Codes;
            state.put(stage.output, std::move(slot));
        }
    }
}

void IntegerRuntime::skipFusedChain(size_t ci, RunState& state, IntegerRunResult& result) const
{
    const ElementwiseChain& chain = chains_[ci];
    for (const ChainStage& stage : chain.stages)
        for (const auto& name : graph_.nodes[stage.node].inputs)
            state.release(name);
    result.stats.chainedNodes += static_cast<int64_t>(chain.stages.size());
}

bool IntegerRuntime::mustRecompute(size_t n, const RunState& state, const IntegerRunOptions& options) const
{
    if (const int gi = groupOfNode_[n]; gi >= 0)
        return (*options.changedGroups)[static_cast<size_t>(gi)]
            || state.recomputed.count(groups_.groups[static_cast<size_t>(gi)].input) != 0;
    for (const std::string& in : graph_.nodes[n].inputs)
        if (!in.empty() && state.recomputed.count(in))
            return true;
    return false;
}

// A node whose inputs and quantization are those of the recorded run: its outputs are the memo's.
// Nothing is copied; the counters the run reports are the recorded ones.
void IntegerRuntime::reuseNode(size_t n, const Node& node, RunState& state, const IntegerRunOptions& options,
                               IntegerRunResult& result) const
{
    std::vector<std::string> outputs;
    if (const int gi = groupOfNode_[n]; gi >= 0) {
        const size_t g = static_cast<size_t>(gi);
        const GroupRunCounters& counters = state.reuse->groups[g];
        if (!state.reuse->groupRan[g])
            throw Error(ErrorCode::InvalidModel, node.describe(), "internal: the memo did not record this group");
        result.stats.accumulatorOverflows += counters.accumulatorOverflows;
        ++result.stats.kernelPaths[counters.path];
        if (state.record) {
            state.record->groups[g] = counters;
            state.record->groupRan[g] = true;
        }
        const std::string& out = groups_.groups[g].groupOutput;
        if (options.keepGroupOutputs) {
            const IntegerTensorSlot& y = state.lookup(node, out);
            state.held.add(y.value, out);
            result.groupOutputs[out] = y.value;
        }
        outputs.push_back(out);
        state.release(groups_.groups[g].input);
    } else {
        outputs = node.outputs;
        for (const auto& name : node.inputs)
            state.release(name);
    }
    if (state.record)
        for (const std::string& out : outputs)
            if (auto m = state.reuse->tensors.find(out); m != state.reuse->tensors.end())
                state.record->tensors[out] = m->second;
}

std::vector<bool> IntegerRuntime::groupsChangedFrom(const IntegerRuntime& other) const
{
    std::vector<bool> changed(quantized_.size(), true);
    if (&graph_ != &other.graph_ || other.quantized_.size() != quantized_.size()
        || settings_.activationBits != other.settings_.activationBits || settings_.arithmetic != other.settings_.arithmetic)
        return changed;
    for (size_t gi = 0; gi < quantized_.size(); ++gi)
        changed[gi] = !sameQuantization(quantized_[gi], other.quantized_[gi]);
    return changed;
}

IntegerRunResult IntegerRuntime::run(const TensorMap& inputs, const IntegerRunOptions& options) const
{
    return withFile(graph_.path, [&] { return runGraph(inputs, options); });
}

IntegerRunResult IntegerRuntime::runGraph(const TensorMap& inputs, const IntegerRunOptions& options) const
{
    IntegerRunResult result;
    result.stats = static_;
    RunState state = startRun(inputs, options, options.keepActivationCodes ? &result.activationCodes : nullptr);
    const size_t total = graph_.nodes.size();
    // Chains write out only what later nodes read: not with every tensor's codes asked for or replaced.
    const bool chains = !options.referenceKernels && !options.keepActivationCodes && !options.substituteCodes;
    state.fuseChains = chains && !state.reuse && !state.record;
    state.operatorsOnCodes = chains;
    state.chainApplied.assign(chains_.size(), false);
    for (size_t n = 0; n < total; ++n) {
        if (options.cancel && options.cancel->load())
            throw Error(ErrorCode::Cancelled, graph_.path, "run cancelled");
        const Node& node = graph_.nodes[n];
        if (insideGroup_[n])
            continue;
        if (const int ci = chainOfNode_[n]; ci >= 0 && chains) {
            // The chain's nodes are consecutive: all of them run here, the loop goes on after them.
            if (state.chainApplied[static_cast<size_t>(ci)])
                skipFusedChain(static_cast<size_t>(ci), state, result);
            else
                runChain(static_cast<size_t>(ci), state, options, result);
            n = chains_[static_cast<size_t>(ci)].stages.back().node;
        } else if (state.reuse && !mustRecompute(n, state, options))
            reuseNode(n, node, state, options, result);
        else if (const int gi = groupOfNode_[n]; gi >= 0)
            runGroup(static_cast<size_t>(gi), node, state, options, result);
        else if (!runFloatNodeOnCodes(n, node, state, result))
            runFloatNode(n, node, state, options);
        if (options.progress)
            options.progress(n + 1, total);
    }
    for (const ValueInfo& out : graph_.outputs) {
        if (const Tensor* c = graph_.constant(out.name))
            result.outputs[out.name] = *c;
        else if (auto it = state.live.find(out.name); it != state.live.end())
            result.outputs[out.name] = it->second.lazyValue ? dequantizeActivation(it->second.codes, activationQuant(out.name))
                                                           : it->second.value;
        else if (state.reuse && state.reuse->tensors.count(out.name))  // not recomputed
            result.outputs[out.name] = state.reuse->tensors.at(out.name)->value;
        else
            throw Error(ErrorCode::MissingTensor, graph_.path, "graph output '" + out.name + "' was never produced");
    }
    return result;
}

} // namespace bg
