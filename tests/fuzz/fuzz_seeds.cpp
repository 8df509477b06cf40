// Writes the generated part of the fuzz seed corpus (scripts/fuzz.sh calls it): tiny valid models of
// every layer kind BiasGuard folds, the loader tests' kinds of damage applied to them (truncated,
// bytes flipped, dims lied about), .npy files of every dtype, fix plans. The rest of the corpus is
// files already on disk: the demo model and ONNX's node tests (libonnx-testdata).
//   fuzz_seeds OUTDIR   -> OUTDIR/{model,tensor_proto,npy,plan_json}/
#include "export/onnx_builder.h"
#include "fix/fix_plan.h"
#include "io/atomic_file.h"
#include "model/tensor_file.h"

#include <onnx/onnx_pb.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

bg::Tensor filled(bg::Shape shape, float start)
{
    std::vector<float> v(static_cast<size_t>(bg::shapeNumel(shape)));
    for (size_t k = 0; k < v.size(); ++k)
        v[k] = start + 0.01f * static_cast<float>(k % 97);
    return bg::Tensor(std::move(shape), std::move(v));
}

void bn(bg::OnnxBuilder& b, const std::string& in, const std::string& out, int64_t c)
{
    b.initializer(out + "_g", filled({c}, 0.5f)).initializer(out + "_b", filled({c}, 0.1f));
    b.initializer(out + "_m", filled({c}, 0.0f)).initializer(out + "_v", filled({c}, 1.0f));
    b.node("BatchNormalization", {in, out + "_g", out + "_b", out + "_m", out + "_v"}, {out});
}

std::vector<std::pair<std::string, std::string>> models()
{
    std::vector<std::pair<std::string, std::string>> out;
    {
        bg::OnnxBuilder b;
        b.input("x", {1, 2, 4, 4}).output("y").initializer("w", filled({3, 2, 3, 3}, -0.2f));
        b.initializer("cb", filled({3}, 0.0f));
        b.node("Conv", {"x", "w", "cb"}, {"c"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}});
        bn(b, "c", "n", 3);
        b.node("Relu", {"n"}, {"y"});
        out.emplace_back("conv_bn_relu", b.serialize());
    }
    {
        bg::OnnxBuilder b;
        b.input("x", {1, 4}).output("y").initializer("w", filled({3, 4}, -0.1f)).initializer("gb", filled({3}, 0.2f));
        b.node("Gemm", {"x", "w", "gb"}, {"g"}, {{"transB", int64_t{1}}});
        bn(b, "g", "y", 3);
        out.emplace_back("gemm_bn", b.serialize());
    }
    {
        bg::OnnxBuilder b;
        b.input("x", {1, 2, 3, 3}).output("y").initializer("w", filled({2, 2, 2, 2}, 0.1f));
        b.node("ConvTranspose", {"x", "w"}, {"t"}, {{"strides", std::vector<int64_t>{2, 2}}});
        bn(b, "t", "n", 2);
        b.node("Clip", {"n"}, {"y"});
        out.emplace_back("convtranspose_bn_clip", b.serialize());
    }
    {
        bg::OnnxBuilder b;
        b.input("x", {2, 4}).output("y").initializer("w", filled({4, 3}, 0.3f));
        b.node("MatMul", {"x", "w"}, {"m"});
        bn(b, "m", "y", 3);
        out.emplace_back("matmul_bn", b.serialize());
    }
    {
        bg::OnnxBuilder b;
        b.input("x", {1, 2, 4, 4}).output("y");
        b.initializer("shape", bg::Tensor(bg::Shape{2}, std::vector<int64_t>{2, 16}));
        b.node("Reshape", {"x", "shape"}, {"r"});
        b.node("Softmax", {"r"}, {"s"}, {{"axis", int64_t{1}}});
        b.node("Transpose", {"s"}, {"y"}, {{"perm", std::vector<int64_t>{1, 0}}});
        out.emplace_back("reshape_softmax", b.serialize());
    }
    return out;
}

void write(const fs::path& p, const std::string& bytes)
{
    bg::writeFileAtomically(p.string(), bytes);
}

} // namespace

int main(int argc, char** argv)
{
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_seeds OUTDIR\n");
        return 2;
    }
    const fs::path root(argv[1]);
    for (const char* t : {"model", "tensor_proto", "npy", "plan_json"})
        fs::create_directories(root / t);
    for (const auto& [name, bytes] : models()) {
        write(root / "model" / (name + ".onnx"), bytes);
        write(root / "model" / (name + "_cut_half.onnx"), bytes.substr(0, bytes.size() / 2));
        std::string flipped = bytes;
        for (size_t k = 7; k < flipped.size(); k += 61)
            flipped[k] = static_cast<char>(flipped[k] ^ 0x5a);
        write(root / "model" / (name + "_flipped.onnx"), flipped);
        onnx::ModelProto m;
        m.ParseFromString(bytes);
        if (m.graph().initializer_size() > 0) {
            m.mutable_graph()->mutable_initializer(0)->set_dims(0, int64_t{1} << 40);  // dims lie about the data
            write(root / "model" / (name + "_huge_dims.onnx"), m.SerializeAsString());
        }
    }
    const bg::Tensor f = filled({2, 3}, -1.0f);
    const bg::Tensor i(bg::Shape{4}, std::vector<int64_t>{1, -2, 3, 1 << 20});
    bg::writeTensorProtoFile((root / "tensor_proto" / "float.pb").string(), "x", f);
    bg::writeTensorProtoFile((root / "tensor_proto" / "int64.pb").string(), "shape", i);
    bg::writeNpyFile((root / "npy" / "float.npy").string(), f);
    bg::writeNpyFile((root / "npy" / "int64.npy").string(), i);
    bg::writeNpyFile((root / "npy" / "scalar.npy").string(), bg::Tensor::scalar(2.5f));
    bg::FixPlan plan(bg::Strategy::Auto);
    plan.set("conv", 0, bg::Strategy::Separate);
    plan.set("conv", 3, bg::Strategy::Constant);
    plan.set("gemm", 1, bg::Strategy::Widen);
    write(root / "plan_json" / "plan.json", plan.toJson());
    write(root / "plan_json" / "default_only.json", bg::FixPlan(bg::Strategy::Clamp).toJson());
    return 0;
}
