#pragma once
// Helpers shared by the tst_ops_heavy_* tests: nodes built by hand, inputs drawn from a fixed seed,
// both registered kernels run on the same node, and a tolerance comparison that names the first
// element that differs.
#include "common/random_tensor.h"
#include "model/node.h"
#include "runtime/float_runtime.h"

#include <QString>

#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace heavytest {

using Attrs = std::map<std::string, bg::Attribute>;

inline bg::Attribute ints(std::vector<int64_t> v)
{
    bg::Attribute a;
    a.kind = bg::Attribute::Kind::Ints;
    a.ints = std::move(v);
    return a;
}
inline bg::Attribute intAttr(int64_t v)
{
    bg::Attribute a;
    a.kind = bg::Attribute::Kind::Int;
    a.i = v;
    return a;
}
inline bg::Attribute floatAttr(float v)
{
    bg::Attribute a;
    a.kind = bg::Attribute::Kind::Float;
    a.f = v;
    return a;
}
inline bg::Attribute str(std::string v)
{
    bg::Attribute a;
    a.kind = bg::Attribute::Kind::String;
    a.s = std::move(v);
    return a;
}

// A node of `opType` with inputs in0.. (an empty name marks an omitted optional input).
inline bg::Node makeNode(const std::string& opType, size_t numInputs, Attrs attrs, size_t numOutputs = 1)
{
    bg::Node n;
    n.name = "n_" + opType;
    n.opType = opType;
    for (size_t i = 0; i < numInputs; ++i)
        n.inputs.push_back("in" + std::to_string(i));
    for (size_t i = 0; i < numOutputs; ++i)
        n.outputs.push_back("out" + std::to_string(i));
    n.attributes = std::move(attrs);
    return n;
}

// Uniform values in [-1, 1) from a fixed seed: every run sees the same data.
using bgtest::randomTensor;

inline std::vector<bg::Tensor> run(const bg::Node& node, const std::vector<const bg::Tensor*>& inputs,
                                   bg::KernelChoice choice, int64_t opset = 17, bg::FloatKernelPaths* paths = nullptr)
{
    const bg::OpDef* def = bg::OpRegistry::instance().find(node.opType);
    if (!def)
        throw bg::Error(bg::ErrorCode::UnsupportedOp, node.opType, "not registered");
    return bg::runNode(*def, node, inputs, opset, choice, paths);
}

// The path a fast kernel must take for a configuration. Fast: oneDNN (or the folded BatchNormalization),
// which takes every f32 configuration below on any x86-64 CPU (it has reference implementations of its
// own behind the JIT ones), so no CPU feature is assumed. Fallback: configurations the fast kernel
// hands to the reference loops by design.
enum class Expect { Fast, Fallback };

// Empty when one node ran on the expected path; else what ran, for the failure message.
inline QString checkPath(const bg::FloatKernelPaths& paths, Expect expect)
{
    const bool fast = expect == Expect::Fast;
    if (paths.fast == (fast ? 1 : 0) && paths.fallback == (fast ? 0 : 1))
        return {};
    return QString("expected the %1 path, counted fast %2, fallback %3")
        .arg(fast ? "fast" : "fallback")
        .arg(paths.fast)
        .arg(paths.fallback);
}

// Empty when `got` matches `want` in shape and within atol + rtol*|want| everywhere.
inline QString compareTensors(const bg::Tensor& got, const bg::Tensor& want, double rtol = 1e-4, double atol = 1e-5)
{
    if (got.shape() != want.shape())
        return QString("shape %1, expected %2")
            .arg(QString::fromStdString(bg::shapeToString(got.shape())),
                 QString::fromStdString(bg::shapeToString(want.shape())));
    if (!got.isFloat() || !want.isFloat()) {
        if (got.toInt64Vector() != want.toInt64Vector())
            return "integer values differ";
        return {};
    }
    const auto g = got.floats();
    const auto w = want.floats();
    for (size_t i = 0; i < g.size(); ++i) {
        const double diff = std::fabs(double(g[i]) - double(w[i]));
        if (!(diff <= atol + rtol * std::fabs(double(w[i]))))
            return QString("element %1: got %2, expected %3").arg(i).arg(double(g[i]), 0, 'g', 9).arg(double(w[i]), 0, 'g', 9);
    }
    return {};
}

} // namespace heavytest
