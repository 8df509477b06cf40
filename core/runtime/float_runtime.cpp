#include "runtime/float_runtime.h"

#include "io/error.h"

#include "runtime/allocator_tuning.h"
#include "runtime/kernels/dnnl_conv.h"
#include "runtime/kernels/dnnl_handed_ops.h"
#include "runtime/kernels/dnnl_weight_cache.h"
#include "runtime/memory_guard.h"

#include <algorithm>
#include <atomic>
#include <optional>
#include <span>
#include <unordered_map>

namespace bg {

std::string unsupportedOps(const Graph& graph)
{
    const OpRegistry& reg = OpRegistry::instance();
    std::string list;
    for (const Node& node : graph.nodes) {
        const bool foreignDomain = !node.domain.empty() && node.domain != "ai.onnx";
        if (foreignDomain || !reg.supports(node.opType)) {
            if (!list.empty())
                list += ", ";
            list += (foreignDomain ? node.domain + "." : std::string()) + node.opType + " (node '"
                + node.displayName() + "')";
        }
    }
    return list;
}

namespace {

// The operators that may read a tensor kept in oneDNN's layout (ConvHandoff): a Conv as its data
// input, and the three that dnnl_handed_ops.h runs on such a tensor directly. A form those do not
// cover at run time (another layout, a full-size plain operand) reorders it to NCHW first.
bool readsHanded(const Node& node, size_t input)
{
    if (!node.inDefaultDomain())
        return false;
    if (node.opType == "Conv" || node.opType == "GlobalAveragePool")
        return input == 0;
    return (node.opType == "Add" || node.opType == "Mul") && node.inputs.size() == 2;
}

// A tensor a run holds in oneDNN's layout, with its bytes and the ONNX type it stands for.
struct Handed {
    dnnl::memory mem;
    int64_t bytes = 0;
    int32_t elemType = 1;
};

// Runs a GlobalAveragePool, Add or Mul on its operands where dnnl_handed_ops.h covers that form:
// its outputs, or none with the result left in oneDNN's layout in `handoff.dst` (Add and Mul, only
// where `mayStayHanded`: every reader of the result takes it so). Nothing: run the plain kernel.
std::optional<std::vector<Tensor>> runOnHanded(const Node& node, const std::vector<HandedOperand>& operands,
                                               int32_t elemType, bool mayStayHanded, ConvHandoff& handoff)
{
    if (node.opType == "GlobalAveragePool") {
        if (operands.empty() || !hasMemory(operands[0].mem))
            return std::nullopt;
        std::optional<Tensor> y = handedGlobalAveragePool(operands[0].mem, elemType);
        if (!y)
            return std::nullopt;
        std::vector<Tensor> outs;
        outs.push_back(std::move(*y));
        return outs;
    }
    if (!(node.opType == "Add" || node.opType == "Mul") || !mayStayHanded || operands.size() != 2)
        return std::nullopt;
    const HandedBinaryOp op = node.opType == "Add" ? HandedBinaryOp::Add : HandedBinaryOp::Mul;
    std::optional<dnnl::memory> y = handedBinary(op, operands[0], operands[1]);
    if (!y)
        return std::nullopt;
    handoff.dst = *y;
    handoff.dstElemType = elemType;
    return std::vector<Tensor>{};
}

} // namespace

FloatRuntime::FloatRuntime(const Graph& graph) : graph_(graph)
{
    static std::atomic<uint64_t> owners{0};
    weightsOwner_ = ++owners;
    memos_ = std::make_unique<NodeMemo[]>(graph.nodes.size());
    tuneAllocatorForTensors();
    if (std::string missing = unsupportedOps(graph); !missing.empty())
        throw Error(ErrorCode::UnsupportedOp, graph.path, "unsupported operator(s): " + missing);
    const OpRegistry& reg = OpRegistry::instance();
    for (const Node& node : graph.nodes)
        defs_.push_back(reg.find(node.opType));
    fusions_ = findConvFusions(graph);
    std::map<std::string, bool> onlyHandedReaders;
    for (const Node& node : graph.nodes)
        for (size_t i = 0; i < node.inputs.size(); ++i) {
            const std::string& t = node.inputs[i];
            if (t.empty() || graph.isConstant(t))
                continue;
            auto [it, fresh] = onlyHandedReaders.emplace(t, readsHanded(node, i));
            if (!fresh)
                it->second = it->second && readsHanded(node, i);
        }
    for (const auto& [t, only] : onlyHandedReaders)
        if (only && !graph.isGraphOutput(t))
            handedOnly_.insert(t);

    for (const ValueInfo& info : graph.inputs)
        slotFor(info.name);
    for (size_t n = 0; n < graph.nodes.size(); ++n) {
        const Node& node = graph.nodes[n];
        std::vector<NodeInput> ins;
        for (const std::string& name : node.inputs) {
            NodeInput in;
            in.empty = name.empty();
            if (!in.empty) {
                in.constant = graph.constant(name);
                in.slot = slotFor(name);
                ++readCounts_[in.slot];
            }
            ins.push_back(in);
        }
        nodeInputs_.push_back(std::move(ins));
        std::vector<size_t> outs;
        for (const std::string& name : node.outputs)
            outs.push_back(slotFor(name));
        nodeOutputSlots_.push_back(std::move(outs));
    }
    fusionOutputSlot_.assign(graph.nodes.size(), 0);
    for (size_t n = 0; n < graph.nodes.size(); ++n)
        if (fusions_[n])
            fusionOutputSlot_[n] = slotFor(fusions_[n]->output);
    for (const ValueInfo& info : graph.outputs)
        graphOutputSlot_[slotFor(info.name)] = 1;
    for (const std::string& t : handedOnly_)
        handedOnlySlot_[slotFor(t)] = 1;
}

FloatRuntime::~FloatRuntime()
{
    dnnlForgetWeights(weightsOwner_);
}

size_t FloatRuntime::slotFor(const std::string& name)
{
    auto [it, fresh] = slotOf_.emplace(name, slotOf_.size());
    if (fresh) {
        readCounts_.push_back(0);
        graphOutputSlot_.push_back(0);
        handedOnlySlot_.push_back(0);
    }
    return it->second;
}

void FloatRuntime::checkInput(const Graph& graph, const ValueInfo& info, const Tensor& tensor)
{
    const std::string subject = graph.path + ": input '" + info.name + "'";
    const bool wantFloat = info.takesFloat();
    if (wantFloat != tensor.isFloat())
        throw Error(ErrorCode::BadInput, subject,
                    std::string("expected ") + (wantFloat ? "a float" : "an integer") + " tensor");
    if (!info.hasShape)
        return;
    if (static_cast<size_t>(tensor.rank()) != info.dims.size())
        throw Error(ErrorCode::BadInput, subject,
                    "expected rank " + std::to_string(info.dims.size()) + ", got shape "
                        + shapeToString(tensor.shape()));
    for (size_t d = 0; d < info.dims.size(); ++d)
        if (info.dims[d].known() && info.dims[d].value != tensor.shape()[d])
            throw Error(ErrorCode::BadInput, subject,
                        "dimension " + std::to_string(d) + " must be " + std::to_string(info.dims[d].value)
                            + ", got shape " + shapeToString(tensor.shape()));
}

std::vector<Tensor> runNode(const OpDef& def, const Node& node, const std::vector<const Tensor*>& inputs,
                            int64_t opset, KernelChoice choice, FloatKernelPaths* paths, int64_t maxElements,
                            const ConvPostOps* fused, std::vector<Tensor*> dying, ConvHandoff* handoff)
{
    KernelContext ctx{node, inputs, opset, paths, maxElements, fused, std::move(dying), handoff};
    const Kernel& kernel = (choice == KernelChoice::Fast && def.fast) ? def.fast : def.reference;
    std::vector<Tensor> outs;
    try {
        outs = kernel(ctx);
    } catch (const Error& e) {
        if (e.subject().find(node.displayName()) != std::string::npos)
            throw;
        throw Error(e.code(), node.describe(), e.what());
    } catch (const std::exception& e) {
        // std::bad_alloc, std::out_of_range ...: still a message naming the node, never an abort.
        throw Error(ErrorCode::InvalidModel, node.describe(), std::string("kernel failed: ") + e.what());
    }
    if (outs.size() < node.outputs.size()) {
        size_t wanted = 0;  // trailing optional outputs may be absent
        for (size_t i = 0; i < node.outputs.size(); ++i)
            if (!node.outputs[i].empty())
                wanted = i + 1;
        if (outs.size() < wanted)
            throw Error(ErrorCode::InvalidModel, node.describe(),
                        "produced " + std::to_string(outs.size()) + " outputs, graph expects "
                            + std::to_string(node.outputs.size()));
    }
    return outs;
}

TensorMap FloatRuntime::run(const TensorMap& inputs, const RunOptions& options) const
{
    // An operator's error names its node; the user also needs to know which model it was.
    return withFile(graph_.path, [&] { return runGraph(inputs, options); });
}

TensorMap FloatRuntime::run(TensorMap&& inputs, const RunOptions& options) const
{
    return withFile(graph_.path, [&] { return runGraph(inputs, options, &inputs); });
}

TensorMap FloatRuntime::runGraph(const TensorMap& inputs, const RunOptions& options, TensorMap* owned) const
{
    // Live tensors by slot (slotOf_); constants are read from the graph without copying. `held`
    // counts the bytes of live and result tensors against the memory limit.
    const size_t slots = readCounts_.size();
    // Optional, so that a run does not construct and destroy a Tensor per slot (2 % of the
    // classifier's run).
    std::vector<std::optional<Tensor>> live(slots);
    MemoryGuard held(options.limits.memoryLimit(), graph_.path);
    // The graph inputs are read where the caller holds them: a copy would cost the detector 4.9 MB
    // and a pass over its input per run.
    std::vector<const Tensor*> given(slots, nullptr);
    for (const ValueInfo& info : graph_.inputs) {
        auto it = inputs.find(info.name);
        if (it == inputs.end())
            throw Error(ErrorCode::BadInput, graph_.path, "graph input '" + info.name + "' was not given");
        checkInput(graph_, info, it->second);
        held.add(it->second, info.name);
        given[slotOf_.at(info.name)] = &it->second;
    }
    TensorMap result;
    for (const ValueInfo& info : graph_.inputs)
        if (options.keepAll || options.keep.count(info.name)) {
            held.add(inputs.at(info.name), info.name);
            result[info.name] = inputs.at(info.name);
        }
    if (owned)
        for (const ValueInfo& info : graph_.inputs)
            if (!graph_.isGraphOutput(info.name)) {
                const size_t slot = slotOf_.at(info.name);
                live[slot] = std::move(owned->at(info.name));
                given[slot] = nullptr;
            }

    // Remaining reads per tensor, to free each one after its last consumer.
    std::vector<size_t> remaining = readCounts_;
    std::vector<char> keep = graphOutputSlot_;
    for (size_t slot = 0; slot < slots; ++slot)
        keep[slot] = keep[slot] || options.keepAll;
    for (const std::string& name : options.keep)
        if (auto it = slotOf_.find(name); it != slotOf_.end())
            keep[it->second] = 1;

    // Fusion only where nobody can see the Conv's own output.
    const bool mayFuse = options.fuse && options.kernels == KernelChoice::Fast && !options.keepAll
        && !options.onNodeDone;
    std::vector<bool> fusedAway(graph_.nodes.size(), false);  // activations a Conv already ran
    // Tensors held in oneDNN's layout between two Convs (ConvHandoff), with their bytes and type.
    std::vector<std::optional<Handed>> handed(slots);
    const bool mayHandOff = mayFuse && options.handoff;

    const size_t total = graph_.nodes.size();
    for (size_t n = 0; n < total; ++n) {
        if (options.cancel && options.cancel->load())
            throw Error(ErrorCode::Cancelled, graph_.path, "run cancelled");
        if (fusedAway[n]) {
            if (options.progress)
                options.progress(n + 1, total);
            continue;
        }
        const Node& node = graph_.nodes[n];
        const std::vector<NodeInput>& nodeIns = nodeInputs_[n];
        const ConvFusion* fusion = nullptr;
        if (mayFuse && fusions_[n]
            && std::none_of(fusions_[n]->inside.begin(), fusions_[n]->inside.end(),
                            [&](const std::string& t) { return options.keep.count(t) != 0; }))
            fusion = &*fusions_[n];
        const bool isConv = node.opType == "Conv" && node.inDefaultDomain();
        ConvHandoff handoff;
        if (nodeIns.size() > 1 && nodeIns[1].constant)
            handoff.weightsOwner = weightsOwner_;  // the weights are one of graph_'s constants
        if (options.kernels == KernelChoice::Fast)
            handoff.memo = &memos_[n];
        const std::string& convOutput = fusion ? fusion->output : node.outputs[0];
        const size_t convOutputSlot = fusion ? fusionOutputSlot_[n] : nodeOutputSlots_[n][0];
        if (mayHandOff && isConv && handedOnlySlot_[convOutputSlot] && !keep[convOutputSlot])
            handoff.keepDst = true;
        // A GlobalAveragePool, Add or Mul reading a handed tensor runs on it where it can.
        std::optional<std::vector<Tensor>> ranOnHanded;
        if (mayHandOff && !isConv && std::any_of(nodeIns.begin(), nodeIns.end(), [&](const NodeInput& in) {
                return !in.empty && handed[in.slot];
            })) {
            std::vector<HandedOperand> operands(nodeIns.size());
            int32_t handedType = 0;
            for (size_t k = 0; k < nodeIns.size(); ++k) {
                const NodeInput& in = nodeIns[k];
                if (in.empty)
                    continue;
                if (handed[in.slot]) {
                    operands[k].mem = handed[in.slot]->mem;
                    operands[k].reusable = remaining[in.slot] == 1 && !keep[in.slot];
                    handedType = handedType ? handedType : handed[in.slot]->elemType;
                } else {
                    operands[k].plain = in.constant ? in.constant : given[in.slot] ? given[in.slot]
                                                     : live[in.slot]             ? &*live[in.slot]
                                                                                 : nullptr;
                }
            }
            if (handedType) {
                const size_t out = nodeOutputSlots_[n].empty() ? 0 : nodeOutputSlots_[n][0];
                const bool mayStayHanded = !nodeOutputSlots_[n].empty() && handedOnlySlot_[out] && !keep[out];
                ranOnHanded = runOnHanded(node, operands, handedType, mayStayHanded, handoff);
                if (ranOnHanded && options.paths)
                    ++options.paths->readHanded;
            }
        }
        std::vector<int64_t> dyingBytes(node.inputs.size(), -1);  // per input; -1: not handed over
        // Handed tensors this node reads in NCHW after all, and their bytes on the guard.
        std::vector<Tensor> unhanded;
        unhanded.reserve(nodeIns.size());  // no reallocation: `ins` points into it
        int64_t unhandedBytes = 0;
        std::vector<Tensor> outs;
        if (ranOnHanded) {
            outs = std::move(*ranOnHanded);
        } else {
            std::vector<const Tensor*> ins;
            ins.reserve(node.inputs.size());
            // Inputs read for the last time here (one read left, not kept, not a constant) are handed
            // to the kernel to reuse: an element-wise op then writes in place. Their bytes are taken
            // off the guard as counted now, since the kernel may leave them empty.
            std::vector<Tensor*> dying(node.inputs.size(), nullptr);
            for (size_t k = 0; k < nodeIns.size(); ++k) {
                const NodeInput& in = nodeIns[k];
                const bool lastRead = !in.empty && remaining[in.slot] == 1 && !keep[in.slot];
                if (in.empty) {
                    ins.push_back(nullptr);
                } else if (handed[in.slot] && isConv && ins.empty()) {
                    handoff.src = handed[in.slot]->mem;
                    handoff.srcElemType = handed[in.slot]->elemType;
                    ins.push_back(nullptr);
                } else if (handed[in.slot]) {
                    // A form runOnHanded does not cover: this reader gets an NCHW copy.
                    const Handed& h = *handed[in.slot];
                    Tensor plain(dnnlDims(h.mem), dnnlToPlainValues(h.mem));
                    plain.setElemType(h.elemType);
                    held.add(plain, node.inputs[k]);
                    unhandedBytes += tensorBytes(plain);
                    unhanded.push_back(std::move(plain));
                    ins.push_back(&unhanded.back());
                    if (lastRead)
                        dying[ins.size() - 1] = &unhanded.back();
                    if (options.paths)
                        ++options.paths->unhanded;
                } else if (in.constant) {
                    ins.push_back(in.constant);
                } else if (given[in.slot]) {
                    ins.push_back(given[in.slot]);  // the caller's: never handed over to be reused
                } else if (live[in.slot]) {
                    ins.push_back(&*live[in.slot]);
                    if (lastRead) {
                        dying[ins.size() - 1] = &*live[in.slot];
                        dyingBytes[ins.size() - 1] = tensorBytes(*live[in.slot]);
                    }
                } else {
                    throw Error(ErrorCode::MissingTensor, graph_.path,
                                node.describe() + " reads '" + node.inputs[k] + "', which nothing produces");
                }
            }
            outs = runNode(*defs_[n], node, ins, graph_.opset, options.kernels, options.paths,
                           options.limits.maxTensorElements, fusion ? &fusion->postOps : nullptr, std::move(dying),
                           isConv ? &handoff : nullptr);
        }
        if (options.onNodeDone)
            options.onNodeDone(node, outs);
        // A fused Conv's result is the chain's last tensor: stored under that name.
        // Views, not copies: this runs for every node of every run.
        const std::span<const std::string> fusedOutput = fusion ? std::span<const std::string>(&fusion->output, 1)
                                                                : std::span<const std::string>(node.outputs);
        const std::span<const size_t> fusedOutputSlots = fusion ? std::span<const size_t>(&fusionOutputSlot_[n], 1)
                                                                : std::span<const size_t>(nodeOutputSlots_[n]);
        if (fusion)
            for (size_t f : fusion->fusedNodes)
                fusedAway[f] = true;

        // Outputs are counted before the inputs are released: the kernel held both at once.
        if (hasMemory(handoff.dst)) {
            const int64_t bytes = static_cast<int64_t>(handoff.dst.get_desc().get_size());
            held.add(bytes, convOutput);
            handed[convOutputSlot] = Handed{handoff.dst, bytes, handoff.dstElemType};
            if (options.paths)
                ++options.paths->handed;
            outs.clear();
        }
        for (size_t o = 0; o < fusedOutput.size() && o < outs.size(); ++o) {
            const std::string& name = fusedOutput[o];
            if (name.empty())
                continue;
            const size_t slot = fusedOutputSlots[o];
            if (keep[slot]) {
                held.add(outs[o], name);
                if (remaining[slot] == 0) {  // nobody reads it later: moved, not copied
                    result[name] = std::move(outs[o]);
                    continue;
                }
                result[name] = outs[o];
            }
            if (remaining[slot] > 0) {
                held.add(outs[o], name);
                live[slot] = std::move(outs[o]);
            }
        }
        held.remove(unhandedBytes);
        for (size_t i = 0; i < nodeIns.size(); ++i) {
            const NodeInput& in = nodeIns[i];
            if (in.empty || in.constant)
                continue;
            if (--remaining[in.slot] == 0 && !keep[in.slot]) {
                if (handed[in.slot]) {
                    held.remove(handed[in.slot]->bytes);
                    handed[in.slot].reset();
                } else if (live[in.slot]) {
                    if (dyingBytes[i] >= 0)
                        held.remove(dyingBytes[i]);
                    else
                        held.remove(*live[in.slot]);
                    live[in.slot].reset();
                }
            }
        }
        if (options.progress)
            options.progress(n + 1, total);
    }
    for (const ValueInfo& out : graph_.outputs) {
        if (result.count(out.name))
            continue;
        // A graph output that is an input or a constant.
        if (const Tensor* c = graph_.constant(out.name))
            result[out.name] = *c;
        else if (auto it = inputs.find(out.name); it != inputs.end())
            result[out.name] = it->second;
        else
            throw Error(ErrorCode::MissingTensor, graph_.path, "graph output '" + out.name + "' was never produced");
    }
    return result;
}

} // namespace bg
