#include "common/qdq_test_models.h"

#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibrator.h"
#include "common/fixed_input.h"
#include "common/text_line_input.h"
#include "export/onnx_builder.h"
#include "io/atomic_file.h"
#include "model/tensor_file.h"

#include <filesystem>

namespace bgtest {

namespace {

bg::Tensor vec(std::vector<float> v)
{
    const auto n = static_cast<int64_t>(v.size());
    return bg::Tensor({n}, std::move(v));
}

// Per-channel BN parameters with a few tiny gammas (the channels whose merged bias overflows).
void addBn(bg::OnnxBuilder& b, const std::string& p, int64_t C, uint32_t seed)
{
    const auto n = static_cast<size_t>(C);
    std::vector<float> g(n), beta(n), mu(n), v(n);
    uint32_t s = seed;
    auto next = [&s] { s = s * 1664525u + 1013904223u; return float(s >> 8) / float(1u << 24); };
    for (size_t c = 0; c < n; ++c) {
        g[c] = c % 3 == 1 ? 1e-4f * (1 + next()) : 0.5f + next();
        beta[c] = next() - 0.3f;
        mu[c] = 0.2f * (next() - 0.5f);
        v[c] = 0.5f + next();
    }
    b.initializer(p + "_g", vec(g)).initializer(p + "_b", vec(beta)).initializer(p + "_m", vec(mu)).initializer(p + "_v", vec(v));
}

bg::Tensor weights(bg::Shape shape, uint32_t seed)
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    std::vector<float> w(static_cast<size_t>(n));
    uint32_t s = seed;
    for (float& x : w) {
        s = s * 1664525u + 1013904223u;
        x = (float(s >> 8) / float(1u << 24) - 0.5f) * 0.8f;
    }
    return bg::Tensor(std::move(shape), std::move(w));
}

} // namespace

std::string writeHeadsModel(const QString& dir)
{
    bg::OnnxBuilder b(13, "heads");
    b.input("x", {1, 3, 8, 8}).output("y", {1, 6});
    b.initializer("conv_W", weights({8, 3, 3, 3}, 1)).initializer("conv_B", vec(std::vector<float>(8, 0.05f)));
    addBn(b, "bn0", 8, 11);
    b.node("Conv", {"x", "conv_W", "conv_B"}, {"c0"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}}, "conv");
    b.node("BatchNormalization", {"c0", "bn0_g", "bn0_b", "bn0_m", "bn0_v"}, {"n0"}, {}, "bn0");
    b.node("Relu", {"n0"}, {"r0"}, {}, "relu0");
    b.node("GlobalAveragePool", {"r0"}, {"p0"}, {}, "pool");
    b.node("Flatten", {"p0"}, {"f0"}, {}, "flatten");
    b.initializer("fc1_W", weights({12, 8}, 2)).initializer("fc1_C", vec(std::vector<float>(12, -0.1f)));
    addBn(b, "bn1", 12, 12);
    b.node("Gemm", {"f0", "fc1_W", "fc1_C"}, {"g1"}, {{"transB", int64_t{1}}, {"alpha", 0.75f}}, "fc1");
    b.node("BatchNormalization", {"g1", "bn1_g", "bn1_b", "bn1_m", "bn1_v"}, {"n1"}, {}, "bn1");
    b.node("Relu", {"n1"}, {"r1"}, {}, "relu1");
    b.initializer("fc2_W", weights({12, 10}, 3)).initializer("fc2_C", vec(std::vector<float>(10, 0.2f)));
    addBn(b, "bn2", 10, 13);
    b.node("Gemm", {"r1", "fc2_W", "fc2_C"}, {"g2"}, {{"beta", 0.5f}}, "fc2");
    b.node("BatchNormalization", {"g2", "bn2_g", "bn2_b", "bn2_m", "bn2_v"}, {"n2"}, {}, "bn2");
    b.initializer("mm_W", weights({10, 6}, 4));
    addBn(b, "bn3", 6, 14);
    b.node("MatMul", {"n2", "mm_W"}, {"m3"}, {}, "mm");
    b.node("BatchNormalization", {"m3", "bn3_g", "bn3_b", "bn3_m", "bn3_v"}, {"y"}, {}, "bn3");
    const std::string path = (dir + "/heads.onnx").toStdString();
    bg::writeFileAtomically(path, b.serialize());
    return path;
}

QdqTestCase prepareQdqTestCase(const std::string& path, int height, int width, int samples, QdqInputs kind)
{
    QdqTestCase c;
    c.path = path;
    c.structure = bg::loadModelStructure(c.path);
    const bg::Graph& graph = c.structure->graph;
    bg::SyntheticShapeOptions shapes;
    if (height > 0) {
        shapes.dimSizes[graph.inputs[0].name + ":2"] = height;
        shapes.dimSizes[graph.inputs[0].name + ":3"] = width;
    }
    bg::SyntheticCalibrationSource synthetic(graph, shapes, size_t(samples));
    for (int k = 0; k < samples; ++k) {
        bg::TensorMap in = synthetic.sample(size_t(k));
        if (kind == QdqInputs::TextPage)
            in.begin()->second = textLinesTestInput(in.begin()->second.shape());
        else if (kind == QdqInputs::TextLineCrops)
            in.begin()->second = textLineCropTestInput(in.begin()->second.shape(), uint32_t(k));
        c.inputs.push_back(std::move(in));
    }
    SampleList source(c.inputs);
    c.ranges = bg::calibrate(graph, c.structure->pairs, source);
    return c;
}

std::vector<std::string> writeOrtInputs(const std::vector<bg::TensorMap>& inputs, const QString& dir)
{
    std::vector<std::string> dirs;
    for (size_t k = 0; k < inputs.size(); ++k) {
        dirs.push_back((dir + QString("/in%1").arg(k)).toStdString());
        std::filesystem::create_directories(dirs.back());
        const auto& [name, x] = *inputs[k].begin();
        bg::writeTensorProtoFile(dirs.back() + "/input_0.pb", name, x);
    }
    return dirs;
}

} // namespace bgtest
