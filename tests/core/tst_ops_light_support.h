#pragma once
// Helpers for the light-operator tests: build one bg::Node in code, run it through bg::runNode
// with the registry's reference kernel, and compare with hand-computed values.
#include "io/error.h"
#include "runtime/float_runtime.h"

#include <QtTest>

#include <cmath>
#include <optional>
#include <string>
#include <vector>

namespace opstest {

inline bg::Tensor F(bg::Shape s, std::vector<float> v) { return bg::Tensor(std::move(s), std::move(v)); }
inline bg::Tensor I(bg::Shape s, std::vector<int64_t> v) { return bg::Tensor(std::move(s), std::move(v)); }

inline bg::Attribute attrI(int64_t v) { bg::Attribute a; a.kind = bg::Attribute::Kind::Int; a.i = v; return a; }
inline bg::Attribute attrF(float v) { bg::Attribute a; a.kind = bg::Attribute::Kind::Float; a.f = v; return a; }
inline bg::Attribute attrS(std::string v) { bg::Attribute a; a.kind = bg::Attribute::Kind::String; a.s = std::move(v); return a; }
inline bg::Attribute attrInts(std::vector<int64_t> v) { bg::Attribute a; a.kind = bg::Attribute::Kind::Ints; a.ints = std::move(v); return a; }
inline bg::Attribute attrFloats(std::vector<float> v) { bg::Attribute a; a.kind = bg::Attribute::Kind::Floats; a.floats = std::move(v); return a; }
inline bg::Attribute attrT(bg::Tensor t)
{
    bg::Attribute a;
    a.kind = bg::Attribute::Kind::Tensor;
    a.t = std::make_shared<const bg::Tensor>(std::move(t));
    return a;
}

// One operator invocation; std::nullopt inputs are omitted optional inputs ("").
struct OpCall {
    OpCall(std::string op, int64_t set, std::vector<std::optional<bg::Tensor>> ins,
           std::map<std::string, bg::Attribute> at = {}, size_t outs = 1)
        : opType(std::move(op)), opset(set), inputs(std::move(ins)), attrs(std::move(at)), outputs(outs) {}
    std::string opType;
    int64_t opset = 13;
    std::vector<std::optional<bg::Tensor>> inputs;
    std::map<std::string, bg::Attribute> attrs;
    size_t outputs = 1;
};

inline std::vector<bg::Tensor> run(const OpCall& c)
{
    bg::Node node;
    node.name = "n_" + c.opType;
    node.opType = c.opType;
    for (size_t i = 0; i < c.inputs.size(); ++i)
        node.inputs.push_back(c.inputs[i] ? "in" + std::to_string(i) : std::string());
    for (size_t i = 0; i < c.outputs; ++i)
        node.outputs.push_back("out" + std::to_string(i));
    node.attributes = c.attrs;
    std::vector<const bg::Tensor*> ins;
    for (const auto& t : c.inputs)
        ins.push_back(t ? &*t : nullptr);
    const bg::OpDef* def = bg::OpRegistry::instance().find(c.opType);
    if (!def)
        throw bg::Error(bg::ErrorCode::UnsupportedOp, c.opType, "not registered");
    return bg::runNode(*def, node, ins, c.opset, bg::KernelChoice::Reference);
}

// Compares shape, dtype and values (float: |a-b| <= 1e-6 + 1e-5 |b|).
inline bool sameTensor(const bg::Tensor& got, const bg::Tensor& want, std::string* why)
{
    if (got.shape() != want.shape()) {
        *why = "shape " + bg::shapeToString(got.shape()) + ", expected " + bg::shapeToString(want.shape());
        return false;
    }
    if (got.dtype() != want.dtype()) {
        *why = "dtype differs";
        return false;
    }
    const std::vector<float> g = got.toFloatVector(), w = want.toFloatVector();
    for (size_t i = 0; i < g.size(); ++i) {
        const bool ok = got.isFloat() ? (std::fabs(g[i] - w[i]) <= 1e-6f + 1e-5f * std::fabs(w[i])
                                         || (std::isnan(g[i]) && std::isnan(w[i])))
                                      : got.ints()[i] == want.ints()[i];
        if (!ok) {
            *why = "element " + std::to_string(i) + ": got " + std::to_string(g[i]) + ", expected " + std::to_string(w[i]);
            return false;
        }
    }
    return true;
}

// Runs the call and checks output 0 (or `outputIndex`) against `want`.
inline void expectOutput(const OpCall& c, const bg::Tensor& want, size_t outputIndex = 0)
{
    std::vector<bg::Tensor> outs;
    try {
        outs = run(c);
    } catch (const bg::Error& e) {
        QFAIL(qPrintable(QString("unexpected error: ") + e.what()));
    }
    QVERIFY2(outs.size() > outputIndex, "too few outputs");
    std::string why;
    QVERIFY2(sameTensor(outs[outputIndex], want, &why), why.c_str());
}

// Runs the call and checks it fails with `code` and a message naming the node.
inline void expectError(const OpCall& c, bg::ErrorCode code)
{
    try {
        run(c);
    } catch (const bg::Error& e) {
        QVERIFY2(std::string(e.what()).find("n_" + c.opType) != std::string::npos, e.what());
        QCOMPARE(bg::errorCodeName(e.code()), bg::errorCodeName(code));
        return;
    }
    QFAIL("no error raised");
}

} // namespace opstest
