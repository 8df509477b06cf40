// Generates resources/models/demo/slimmed_cnn.onnx: a small image classifier whose BatchNorm layers
// look like those of a "network-slimmed" (channel-pruned by L1 on γ) model, so that BiasGuard's
// analysis has something to find at its default settings (W4/A8, 16-bit bias, per channel):
//   - a few channels per network have γ near zero (1e-4 … 1e-7) with a non-trivial β: their merged
//     bias B_c = Q_w (b_c − μ_c + β_c/a_c) / (max|W_c| · s_x) cannot fit 16 bits;
//   - one channel per layer has a much larger |a_c| than the rest: with per-tensor weight scales it
//     sets s_w and many other channels' weights round to 0 ("crushed").
// Everything is deterministic (SplitMix64 seeded with kSeed, fixed consumption order), so two runs
// write identical bytes; tests/core/tst_demo_model.cpp checks that against the committed file.
//
//   biasguard-generate-demo OUT.onnx [TEST_DATA_DIR]
// With TEST_DATA_DIR, also writes TEST_DATA_DIR/input_0.pb: synthetic calibration sample 0
// (docs/SYNTHETIC_INPUTS.md), the input of the committed ONNX Runtime reference output.
#include "io/atomic_file.h"
#include "export/onnx_builder.h"
#include "io/error.h"
#include "model/model_loader.h"
#include "model/tensor_file.h"
#include "calibration/synthetic_inputs.h"

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace {

constexpr uint64_t kSeed = 2024;

class Random {
public:
    explicit Random(uint64_t seed) : rng_(seed) {}
    // Uniform in (0, 1]: 53 random bits.
    double uniform() { return (static_cast<double>(rng_.next() >> 11) + 1.0) * 0x1p-53; }
    // Standard normal, Box–Muller (cosine branch only, two draws per value).
    double normal()
    {
        const double u1 = uniform();
        const double u2 = uniform();
        return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    }

private:
    bg::SplitMix64 rng_;
};

struct Slim {
    int64_t channel;
    double gamma;
    double beta;
};

struct Layer {
    std::string name;
    std::string op;  // "Conv" or "Gemm"
    int64_t cin = 0, cout = 0, kernel = 1, stride = 1, group = 1;
    bool bias = false;
    double preVar = 1.0;     // rough variance of the pre-BN output, for a plausible running var
    std::vector<Slim> slim;  // near-zero γ channels
    int64_t big = -1;        // the channel with a large |γ|
    double bigGamma = 0.0;
};

bg::Tensor tensor(bg::Shape shape, const std::vector<double>& v)
{
    std::vector<float> f(v.begin(), v.end());
    return bg::Tensor(std::move(shape), std::move(f));
}

// He-normal weights, optional small bias, BN parameters; appended to the builder.
void addLayer(bg::OnnxBuilder& b, Random& rng, const Layer& l, const std::string& input, const std::string& output,
              bool relu)
{
    const int64_t fanIn = (l.cin / l.group) * l.kernel * l.kernel;
    const double heStd = std::sqrt(2.0 / static_cast<double>(fanIn));
    std::vector<double> w(static_cast<size_t>(l.cout * fanIn));
    for (double& v : w)
        v = heStd * rng.normal();
    std::vector<double> bias(static_cast<size_t>(l.cout));
    for (double& v : bias)
        v = 0.1 * rng.normal();

    // BN: γ log-normal with ~12% negative, β ~ N(0, 0.5) with two larger, μ ~ N(0, 0.3),
    // var = preVar · exp(N(0, 0.3)).
    const auto C = static_cast<size_t>(l.cout);
    std::vector<double> gamma(C), beta(C), mean(C), var(C);
    for (size_t c = 0; c < C; ++c) {
        gamma[c] = std::exp(0.35 * rng.normal()) * (rng.uniform() < 0.12 ? -1.0 : 1.0);
        beta[c] = 0.5 * rng.normal();
        mean[c] = 0.3 * rng.normal();
        var[c] = l.preVar * std::exp(0.3 * rng.normal());
    }
    for (int k = 0; k < 2; ++k) {
        const size_t c = static_cast<size_t>(rng.uniform() * static_cast<double>(C)) % C;
        beta[c] = (beta[c] < 0 ? -1.0 : 1.0) * (2.0 + rng.uniform());
    }
    for (const Slim& s : l.slim) {
        gamma[static_cast<size_t>(s.channel)] = s.gamma;
        beta[static_cast<size_t>(s.channel)] = s.beta;
    }
    if (l.big >= 0)
        gamma[static_cast<size_t>(l.big)] = l.bigGamma;

    const std::string pre = l.name + "_out";
    std::vector<std::string> ins{input, l.name + ".weight"};
    if (l.op == "Conv") {
        b.initializer(l.name + ".weight", tensor({l.cout, l.cin / l.group, l.kernel, l.kernel}, w));
        if (l.bias) {
            b.initializer(l.name + ".bias", tensor({l.cout}, bias));
            ins.push_back(l.name + ".bias");
        }
        const int64_t pad = l.kernel / 2;
        b.node("Conv", ins, {pre},
               {{"kernel_shape", std::vector<int64_t>{l.kernel, l.kernel}},
                {"strides", std::vector<int64_t>{l.stride, l.stride}},
                {"pads", std::vector<int64_t>{pad, pad, pad, pad}},
                {"group", l.group}},
               l.name);
    } else {
        b.initializer(l.name + ".weight", tensor({l.cout, l.cin}, w));
        b.initializer(l.name + ".bias", tensor({l.cout}, bias));
        ins.push_back(l.name + ".bias");
        b.node("Gemm", ins, {pre}, {{"transB", int64_t{1}}}, l.name);
    }
    const std::string bn = l.name + "_bn";
    b.initializer(bn + ".gamma", tensor({l.cout}, gamma));
    b.initializer(bn + ".beta", tensor({l.cout}, beta));
    b.initializer(bn + ".mean", tensor({l.cout}, mean));
    b.initializer(bn + ".var", tensor({l.cout}, var));
    const std::string bnOut = relu ? bn + "_out" : output;
    b.node("BatchNormalization", {pre, bn + ".gamma", bn + ".beta", bn + ".mean", bn + ".var"}, {bnOut},
           {{"epsilon", 1e-5f}}, bn);
    if (relu)
        b.node("Relu", {bnOut}, {output}, {}, l.name + "_relu");
}

std::string buildDemoModel()
{
    bg::OnnxBuilder b(13, "slimmed_cnn");
    b.producer("biasguard-demo", "1");
    b.input("image", {1, 3, 64, 64});

    // name, op, cin, cout, kernel, stride, group, bias, preVar, slimmed channels, big channel.
    const std::vector<Layer> layers = {
        {"conv1", "Conv", 3, 16, 3, 1, 1, true, 0.67, {{5, 1e-4, 0.8}}, 11, 12.0},
        {"conv2", "Conv", 16, 32, 3, 2, 1, false, 1.0, {{7, -3e-5, 1.2}, {20, 0.04, 0.9}, {25, 2.8e-2, 6.0}}, 2, -9.0},
        {"dwconv3", "Conv", 32, 32, 3, 1, 32, true, 1.0, {{13, 2e-6, -0.9}}, 30, 10.0},
        {"pwconv4", "Conv", 32, 64, 1, 1, 1, false, 1.0, {{40, 1e-7, 1.5}, {50, 3e-3, 5.0}}, 9, 7.0},
        {"conv5", "Conv", 64, 64, 3, 2, 1, true, 1.0, {{3, 5e-5, 0.7}}, 50, -8.0},
        {"conv6", "Conv", 64, 64, 3, 1, 1, false, 1.0, {{33, 1e-6, 1.0}, {5, 1.05e-2, 5.0}}, 17, 9.0},
    };
    Random rng(kSeed);
    std::string x = "image";
    for (const Layer& l : layers) {
        const std::string y = l.name + "_relu_out";
        addLayer(b, rng, l, x, y, true);
        x = y;
    }
    b.node("GlobalAveragePool", {x}, {"pooled"}, {}, "gap");
    b.node("Flatten", {"pooled"}, {"features"}, {{"axis", int64_t{1}}}, "flatten");
    const Layer head{"fc", "Gemm", 64, 10, 1, 1, 1, true, 1.0, {{4, 2e-5, 0.6}}, 8, 10.0};
    addLayer(b, rng, head, "features", "logits", false);
    b.output("logits", {1, 10});
    return b.serialize();
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2 && argc != 3) {
        std::fprintf(stderr, "usage: %s OUT.onnx [TEST_DATA_DIR]\n", argv[0]);
        return 2;
    }
    try {
        const std::string bytes = buildDemoModel();
        bg::writeFileAtomically(argv[1], bytes);
        if (argc == 3) {
            const bg::Graph graph = bg::loadModelFromBytes(bytes, argv[1]);
            const auto sample = bg::syntheticSample(graph, 0);
            bg::writeTensorProtoFile(std::string(argv[2]) + "/input_0.pb", "image", sample.at("image"));
        }
    } catch (const bg::Error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
    return 0;
}
