#include "conformance_case.h"

#include "tensor_compare.h"

#include "io/error.h"
#include "model/half_float.h"
#include "model/model_loader.h"
#include "model/tensor_file.h"
#include "runtime/float_runtime.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <sstream>

namespace bgconf {

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> sortedEntries(const fs::path& dir, const std::string& prefix, bool wantDirs)
{
    std::vector<fs::path> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) {
        const std::string name = e.path().filename().string();
        if (name.rfind(prefix, 0) == 0 && e.is_directory() == wantDirs)
            out.push_back(e.path());
    }
    // input_10 after input_9: order by the number after the prefix.
    std::sort(out.begin(), out.end(), [&](const fs::path& a, const fs::path& b) {
        auto num = [&](const fs::path& p) {
            const std::string s = p.stem().string().substr(prefix.size());
            return s.empty() ? 0L : std::strtol(s.c_str(), nullptr, 10);
        };
        return num(a) < num(b);
    });
    return out;
}

bool isSkipCode(bg::ErrorCode code)
{
    return code == bg::ErrorCode::UnsupportedOp || code == bg::ErrorCode::UnsupportedType;
}

std::vector<std::string> missingOpTypes(const bg::Graph& graph)
{
    std::set<std::string> missing;
    const bg::OpRegistry& reg = bg::OpRegistry::instance();
    for (const bg::Node& node : graph.nodes) {
        const bool foreign = !node.domain.empty() && node.domain != "ai.onnx";
        if (foreign)
            missing.insert(node.domain + "." + node.opType);
        else if (!reg.supports(node.opType))
            missing.insert(node.opType);
    }
    return {missing.begin(), missing.end()};
}

// Index of the graph input/output a data file belongs to: by the TensorProto's name when it names
// one, else by position.
int matchByName(const std::vector<bg::ValueInfo>& infos, const std::string& name, size_t position)
{
    for (size_t k = 0; k < infos.size(); ++k)
        if (!name.empty() && infos[k].name == name)
            return static_cast<int>(k);
    return position < infos.size() ? static_cast<int>(position) : -1;
}

// ONNX 1.12 stores bfloat16 test data as uint16 bit patterns (numpy has no bfloat16); decode
// them when the model declares bfloat16.
bg::Tensor adaptBfloat16(bg::Tensor t, int32_t declaredType)
{
    if (declaredType != 16 || t.isFloat() || t.elemType() != 4)
        return t;
    std::vector<float> values;
    values.reserve(static_cast<size_t>(t.numel()));
    for (int64_t bits : t.ints())
        values.push_back(bg::bfloat16ToFloat(static_cast<uint16_t>(bits)));
    bg::Tensor out(t.shape(), std::move(values));
    out.setElemType(16);
    return out;
}

// Tests whose expected outputs are wrong in the ONNX 1.12 data. A listed test that fails is
// reported as skipped with this reason (one that passes still counts as passed). Each entry was
// checked by hand against the exact formula.
const std::map<std::string, std::string>& defectiveReferenceData()
{
    static const std::string windowPi =
        "defective reference data: ONNX 1.12 computed the *_expanded window outputs with pi = 3.1415 "
        "(e.g. hann N=10 n=1: exact 0.0954915, stored 0.0954861)";
    static const std::map<std::string, std::string> tests = {
        {"test_blackmanwindow_expanded", windowPi},
        {"test_blackmanwindow_symmetric_expanded", windowPi},
        {"test_hammingwindow_expanded", windowPi},
        {"test_hammingwindow_symmetric_expanded", windowPi},
        {"test_hannwindow_expanded", windowPi},
        {"test_hannwindow_symmetric_expanded", windowPi},
    };
    return tests;
}

CaseResult skip(const std::string& why)
{
    CaseResult r;
    r.status = CaseResult::Status::Skip;
    r.reason = why;
    return r;
}

CaseResult fail(const std::string& why)
{
    CaseResult r;
    r.status = CaseResult::Status::Fail;
    r.reason = why;
    return r;
}

CaseResult runCase(const std::string& dir)
{
    const fs::path root(dir);
    const std::string modelPath = (root / "model.onnx").string();
    bg::Graph graph;
    try {
        bg::LoadOptions opts;
        opts.inferShapes = false;  // not needed to run, and it costs time over ~1000 models
        graph = bg::loadModel(modelPath, opts);
    } catch (const bg::Error& e) {
        if (isSkipCode(e.code()))
            return skip(std::string("loader: ") + e.what());
        return fail(std::string("loading the model failed [") + bg::errorCodeName(e.code()) + "]: " + e.what());
    }
    if (auto missing = missingOpTypes(graph); !missing.empty()) {
        CaseResult r = skip("unsupported operator(s): " + bg::unsupportedOps(graph));
        r.missingOps = std::move(missing);
        return r;
    }

    const auto sets = sortedEntries(root, "test_data_set_", true);
    if (sets.empty())
        return fail("no test_data_set_* folder in " + dir);
    bg::FloatRuntime runtime(graph);
    for (const fs::path& set : sets) {
        const std::string setName = set.filename().string();
        bg::TensorMap inputs;
        std::vector<bg::NamedTensor> expected;
        try {
            const auto inputFiles = sortedEntries(set, "input_", false);
            for (size_t k = 0; k < inputFiles.size(); ++k) {
                bg::NamedTensor t = bg::readTensorProtoFile(inputFiles[k].string());
                const int idx = matchByName(graph.inputs, t.name, k);
                if (idx < 0) {
                    // Old test data also lists initializers as inputs; those are constants here.
                    if (!t.name.empty() && graph.isConstant(t.name))
                        continue;
                    return fail(setName + ": " + inputFiles[k].filename().string() + " ('" + t.name
                                + "') matches no graph input (the model has " + std::to_string(graph.inputs.size())
                                + ")");
                }
                bg::ValueInfo& info = graph.inputs[static_cast<size_t>(idx)];
                bg::Tensor value = adaptBfloat16(std::move(t.tensor), info.elemType);
                // A few ONNX 1.12 tests (castlike_*BFLOAT16*) give data of another shape than the
                // model declares; the operator is what is under test, so trust the data.
                try {
                    bg::FloatRuntime::checkInput(graph, info, value);
                } catch (const bg::Error&) {
                    info.hasShape = false;
                    info.dims.clear();
                }
                inputs[info.name] = std::move(value);
            }
            const auto outputFiles = sortedEntries(set, "output_", false);
            for (size_t k = 0; k < outputFiles.size(); ++k) {
                bg::NamedTensor t = bg::readTensorProtoFile(outputFiles[k].string());
                const int idx = matchByName(graph.outputs, t.name, k);
                if (idx >= 0)
                    t.tensor = adaptBfloat16(std::move(t.tensor), graph.outputs[static_cast<size_t>(idx)].elemType);
                expected.push_back(std::move(t));
            }
        } catch (const bg::Error& e) {
            if (isSkipCode(e.code()))
                return skip(setName + ": test data: " + e.what());
            return fail(setName + ": reading test data failed: " + e.what());
        }
        if (expected.size() > graph.outputs.size())
            return fail(setName + ": " + std::to_string(expected.size()) + " expected outputs, the model has "
                        + std::to_string(graph.outputs.size()));

        // Both kernel sets always run, so a failure report says whether fast, reference or both
        // are wrong (fast-only failures point at the oneDNN path).
        std::string failures;
        for (bg::KernelChoice choice : {bg::KernelChoice::Fast, bg::KernelChoice::Reference}) {
            const char* kernels = choice == bg::KernelChoice::Fast ? "fast" : "reference";
            bg::TensorMap outputs;
            try {
                bg::RunOptions ro;
                ro.kernels = choice;
                outputs = runtime.run(inputs, ro);
            } catch (const bg::Error& e) {
                if (isSkipCode(e.code()))
                    return skip(setName + " (" + kernels + " kernels): kernel refused an unsupported configuration ["
                                + bg::errorCodeName(e.code()) + "]: " + e.what());
                failures += "\n  " + setName + " (" + kernels + " kernels): run failed ["
                    + bg::errorCodeName(e.code()) + "]: " + e.what();
                continue;
            } catch (const std::exception& e) {
                failures += "\n  " + setName + " (" + kernels + " kernels): run threw " + e.what();
                continue;
            }
            std::ostringstream problems;
            for (size_t k = 0; k < expected.size(); ++k) {
                const int idx = matchByName(graph.outputs, expected[k].name, k);
                const std::string& outName = graph.outputs[static_cast<size_t>(idx)].name;
                auto it = outputs.find(outName);
                if (it == outputs.end()) {
                    problems << "\n    output '" << outName << "' was not produced";
                    continue;
                }
                const CompareResult c =
                    compareTensors(it->second, expected[k].tensor, expected[k].tensor.elemType());
                if (!c.ok)
                    problems << "\n    output " << k << " '" << outName << "': " << c.detail;
            }
            if (!problems.str().empty())
                failures += "\n  " + setName + " (" + kernels + " kernels): wrong result" + problems.str();
        }
        if (!failures.empty())
            return fail(failures.substr(3));  // drop the leading "\n  "
    }
    return {};
}

} // namespace

std::string caseName(const std::string& dir)
{
    const fs::path p = fs::path(dir).lexically_normal();
    fs::path leaf = p.filename();
    fs::path parent = p.parent_path().filename();
    if (leaf.empty()) {  // trailing slash
        leaf = p.parent_path().filename();
        parent = p.parent_path().parent_path().filename();
    }
    std::string suite = parent.string();
    if (suite == "pytorch-converted")
        suite = "pytorch";
    else if (suite == "pytorch-operator")
        suite = "pytorch_op";
    return "onnx_" + suite + "." + leaf.string();
}

CaseResult runConformanceCase(const std::string& dir)
{
    const auto start = std::chrono::steady_clock::now();
    CaseResult r;
    try {
        r = runCase(dir);
        const auto known = defectiveReferenceData().find(fs::path(dir).lexically_normal().filename().string());
        if (r.status == CaseResult::Status::Fail && known != defectiveReferenceData().end())
            r = skip(known->second + "; the run gave: " + r.reason);
    } catch (const bg::Error& e) {
        r = isSkipCode(e.code()) ? skip(e.what()) : fail(std::string("error: ") + e.what());
    } catch (const std::exception& e) {
        r = fail(std::string("unexpected exception: ") + e.what());
    }
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
}

} // namespace bgconf
