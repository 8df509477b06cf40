// The oneDNN weight cache (runtime/kernels/dnnl_weight_cache.h): an entry is reused only while it
// holds the user's current weights. Without an owner the bytes are hashed on every call, so weights
// changed in place are reordered again; with an owner the entry is trusted until the owner forgets
// it, and a FloatRuntime forgets its own when it goes, so the next model's weights at a recycled
// address are never served stale ones.
#include "export/onnx_builder.h"
#include "model/model_loader.h"
#include "runtime/float_runtime.h"
#include "runtime/kernels/dnnl_context.h"
#include "runtime/kernels/dnnl_weight_cache.h"

#include <QtTest>

#include <cstring>
#include <memory>

using dnnl::memory;

namespace {

const memory::dims kDims{16, 8, 3, 3};

memory::desc plainDesc() { return memory::desc(kDims, memory::data_type::f32, memory::format_tag::oihw); }
memory::desc blockedDesc() { return memory::desc(kDims, memory::data_type::f32, memory::format_tag::OIhw16i16o); }

std::vector<float> ramp(float base)
{
    std::vector<float> w(16 * 8 * 9);
    for (size_t i = 0; i < w.size(); ++i)
        w[i] = base + 0.001f * static_cast<float>(i);
    return w;
}

// The plain values of a blocked memory.
std::vector<float> plainValues(const memory& m)
{
    std::vector<float> out(16 * 8 * 9);
    memory plain(plainDesc(), bg::dnnlEngine(), out.data());
    bg::dnnlReorder(m, plain);
    return out;
}

bg::Graph convModel(float weight)
{
    bg::OnnxBuilder b(13);
    b.input("x", {1, 8, 12, 12}).output("y");
    b.initializer("W", bg::Tensor({16, 8, 3, 3}, ramp(weight)));
    b.node("Conv", {"x", "W"}, {"y"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}}, "conv");
    return bg::loadModelFromBytes(b.serialize(), "conv.onnx");
}

} // namespace

class TestDnnlWeightCache : public QObject {
    Q_OBJECT
private slots:
    void hashedEntriesFollowTheBytes()
    {
        std::vector<float> w = ramp(0.5f);
        memory user(plainDesc(), bg::dnnlEngine(), w.data());
        const memory first = bg::dnnlCachedWeights(user, blockedDesc());
        QCOMPARE(plainValues(first), w);
        QCOMPARE(bg::dnnlCachedWeights(user, blockedDesc()).get_data_handle(), first.get_data_handle());  // a hit
        const std::vector<float> changed = ramp(-2.0f);
        std::copy(changed.begin(), changed.end(), w.begin());  // same address, new contents
        QCOMPARE(plainValues(bg::dnnlCachedWeights(user, blockedDesc())), w);
    }

    void ownedEntriesLiveUntilForgotten()
    {
        const uint64_t owner = 0x5eed0001;
        std::vector<float> w = ramp(1.5f);
        memory user(plainDesc(), bg::dnnlEngine(), w.data());
        const memory first = bg::dnnlCachedWeights(user, blockedDesc(), owner);
        QCOMPARE(plainValues(first), w);
        QCOMPARE(bg::dnnlCachedWeights(user, blockedDesc(), owner).get_data_handle(), first.get_data_handle());
        // Another owner (or none) never shares it.
        QVERIFY(bg::dnnlCachedWeights(user, blockedDesc(), owner + 1).get_data_handle() != first.get_data_handle());
        bg::dnnlForgetWeights(owner);
        bg::dnnlForgetWeights(owner + 1);
        const std::vector<float> next = ramp(3.0f);
        std::copy(next.begin(), next.end(), w.begin());  // the owner's weights gone, the address taken by new ones
        QCOMPARE(plainValues(bg::dnnlCachedWeights(user, blockedDesc(), owner)), w);
        bg::dnnlForgetWeights(owner);
    }

    // Runtimes one after another, each on its own weights: every fast run equals the reference.
    void runtimesInTurnUseTheirOwnWeights()
    {
        std::vector<float> xv(8 * 12 * 12);
        for (size_t i = 0; i < xv.size(); ++i)
            xv[i] = static_cast<float>(i % 13) * 0.1f - 0.6f;
        const bg::TensorMap inputs{{"x", bg::Tensor({1, 8, 12, 12}, xv)}};
        bg::RunOptions reference;
        reference.kernels = bg::KernelChoice::Reference;
        for (float weight : {0.25f, -1.0f, 0.75f}) {
            const bg::Graph g = convModel(weight);
            auto rt = std::make_unique<bg::FloatRuntime>(g);
            const bg::Tensor fast = rt->run(inputs, {}).at("y");
            const bg::Tensor again = rt->run(inputs, {}).at("y");
            const bg::Tensor ref = rt->run(inputs, reference).at("y");
            QCOMPARE(again.floats().size(), fast.floats().size());
            QVERIFY(std::memcmp(again.floats().data(), fast.floats().data(), fast.floats().size() * sizeof(float)) == 0);
            for (size_t i = 0; i < ref.floats().size(); ++i)
                QVERIFY(std::fabs(fast.floats()[i] - ref.floats()[i]) <= 1e-4f * (1.0f + std::fabs(ref.floats()[i])));
        }
    }
};

QTEST_GUILESS_MAIN(TestDnnlWeightCache)
#include "tst_dnnl_weight_cache.moc"
