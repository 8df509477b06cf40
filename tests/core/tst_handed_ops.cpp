// GlobalAveragePool, Add and Mul on tensors in oneDNN's layouts (dnnl_handed_ops.h) against the
// plain kernels the float runtime runs otherwise (a one-node model, run without handoff): the same
// bits in every layout oneDNN's f32 convolutions choose (NCHW, NHWC, 8- and 16-channel blocks),
// with channel counts that leave padding in a block, planes whose length is and is not a multiple
// of 8 (the interleaved sum's tail), and garbage (NaN) in the padding, which must never reach a
// real channel. Forms they do not cover give nothing, for the runtime to reorder instead.
#include "common/random_tensor.h"
#include "export/onnx_builder.h"
#include "model/model_loader.h"
#include "runtime/float_runtime.h"
#include "runtime/kernels/dnnl_context.h"
#include "runtime/kernels/dnnl_conv.h"
#include "runtime/kernels/dnnl_handed_ops.h"

#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>

using bg::Tensor;
using bgtest::randomTensor;
using tag = dnnl::memory::format_tag;

Q_DECLARE_METATYPE(tag)

namespace {

// `t` in layout `layout`, with every padding lane set to NaN.
dnnl::memory inLayout(const Tensor& t, tag layout)
{
    const dnnl::memory::dims dims(t.shape().begin(), t.shape().end());
    dnnl::memory m(dnnl::memory::desc(dims, dnnl::memory::data_type::f32, layout), bg::dnnlEngine());
    dnnl::memory plain(bg::dnnlPlainDesc(t.shape()), bg::dnnlEngine(), const_cast<float*>(t.floats().data()));
    bg::dnnlReorder(plain, m);
    if (const std::optional<bg::HandedGeometry> g = bg::handedGeometry(m.get_desc()); g && g->paddedC > g->c) {
        float* data = static_cast<float*>(m.get_data_handle());
        for (int64_t n = 0; n < g->n; ++n)
            for (int64_t c = g->c; c < g->paddedC; ++c)
                for (int64_t h = 0; h < g->h; ++h)
                    for (int64_t w = 0; w < g->w; ++w)
                        data[g->offset0 + n * g->sN + c / g->block * g->sBlock + h * g->sH + w * g->sW + c % g->block] =
                            std::numeric_limits<float>::quiet_NaN();
    }
    return m;
}

// Values near 1 with +2^55 first and -2^55 last in every plane: the two cancel, and what is left
// depends on which small values each partial sum absorbed beside them, so the order of the adds
// shows in the bits (values of one magnitude sum exactly in double in any order).
Tensor cancellingTensor(const bg::Shape& shape, uint32_t seed)
{
    Tensor t = randomTensor(shape, seed, 1.0f);
    const int64_t plane = shape[2] * shape[3];
    if (plane < 2)
        return t;
    for (int64_t p = 0; p < shape[0] * shape[1]; ++p) {
        t.floats()[static_cast<size_t>(p * plane)] = std::ldexp(1.0f, 55);
        t.floats()[static_cast<size_t>(p * plane + plane - 1)] = -std::ldexp(1.0f, 55);
    }
    return t;
}

Tensor plainOf(const dnnl::memory& m) { return Tensor(bg::dnnlDims(m), bg::dnnlToPlainValues(m)); }

// The plain kernel: `op` on inputs a (and b) as a one-node model.
Tensor plainKernel(const std::string& op, const Tensor& a, const Tensor* b = nullptr)
{
    bg::OnnxBuilder builder(13);
    builder.input("a", a.shape()).output("y");
    std::vector<std::string> ins{"a"};
    if (b) {
        builder.input("b", b->shape());
        ins.push_back("b");
    }
    builder.node(op, ins, {"y"}, {}, "op");
    const bg::Graph g = bg::loadModelFromBytes(builder.serialize(), "one_node.onnx");
    const bg::FloatRuntime rt(g);
    bg::TensorMap inputs{{"a", a}};
    if (b)
        inputs["b"] = *b;
    bg::RunOptions plain;
    plain.handoff = false;
    return rt.run(inputs, plain).at("y");
}

bool sameBits(const Tensor& x, const Tensor& y)
{
    return x.shape() == y.shape() && std::memcmp(x.floats().data(), y.floats().data(), x.floats().size_bytes()) == 0;
}

} // namespace

class TestHandedOps : public QObject {
    Q_OBJECT

private slots:
    void globalAveragePool_data()
    {
        QTest::addColumn<tag>("layout");
        QTest::addColumn<bg::Shape>("shape");
        const std::pair<const char*, tag> layouts[] = {
            {"nchw", tag::abcd}, {"nhwc", tag::acdb}, {"8-channel blocks", tag::aBcd8b}, {"16-channel blocks", tag::aBcd16b}};
        for (const auto& [name, layout] : layouts) {
            QTest::addRow("%s, 12 channels, 5x7", name) << layout << bg::Shape{1, 12, 5, 7};
            QTest::addRow("%s, 3 channels, 4x4", name) << layout << bg::Shape{1, 3, 4, 4};
            QTest::addRow("%s, 16 channels, 1x1", name) << layout << bg::Shape{1, 16, 1, 1};
            QTest::addRow("%s, 2 images, 20 channels, 9x3", name) << layout << bg::Shape{2, 20, 9, 3};
        }
    }

    void globalAveragePool()
    {
        QFETCH(tag, layout);
        QFETCH(bg::Shape, shape);
        const Tensor x = cancellingTensor(shape, 31);
        const std::optional<Tensor> y = bg::handedGlobalAveragePool(inLayout(x, layout), 1);
        QVERIFY(y);
        QVERIFY(sameBits(*y, plainKernel("GlobalAveragePool", x)));
    }

    void binary_data()
    {
        QTest::addColumn<QString>("op");
        QTest::addColumn<tag>("layout");
        QTest::addColumn<bg::Shape>("otherShape");
        QTest::addColumn<bool>("otherHanded");  // in the same layout, or 8-channel blocks for [.., 1, 1]
        QTest::addColumn<bool>("handedFirst");
        const std::pair<const char*, tag> layouts[] = {
            {"nchw", tag::abcd}, {"nhwc", tag::acdb}, {"8-channel blocks", tag::aBcd8b}, {"16-channel blocks", tag::aBcd16b}};
        for (const char* op : {"Add", "Mul"})
            for (const auto& [name, layout] : layouts) {
                QTest::addRow("%s, %s, plain [1,C,1,1]", op, name) << op << layout << bg::Shape{2, 12, 1, 1} << false << true;
                QTest::addRow("%s, %s, plain [C,1,1] first", op, name) << op << layout << bg::Shape{12, 1, 1} << false << false;
                QTest::addRow("%s, %s, plain scalar", op, name) << op << layout << bg::Shape{} << false << true;
                QTest::addRow("%s, %s, plain [1]", op, name) << op << layout << bg::Shape{1} << false << false;
                QTest::addRow("%s, %s, handed, same layout", op, name) << op << layout << bg::Shape{2, 12, 5, 9} << true << true;
                QTest::addRow("%s, %s, handed scales", op, name) << op << layout << bg::Shape{2, 12, 1, 1} << true << true;
                QTest::addRow("%s, %s, handed scales first", op, name) << op << layout << bg::Shape{1, 12, 1, 1} << true << false;
            }
    }

    void binary()
    {
        QFETCH(QString, op);
        QFETCH(tag, layout);
        QFETCH(bg::Shape, otherShape);
        QFETCH(bool, otherHanded);
        QFETCH(bool, handedFirst);
        const Tensor x = randomTensor({2, 12, 5, 9}, 41, 3.0f);
        const Tensor other = randomTensor(otherShape, 43, 2.0f);
        bg::HandedOperand hx{inLayout(x, layout), nullptr, false};
        bg::HandedOperand ho;
        if (otherHanded)
            ho.mem = inLayout(other, otherShape[2] == 1 && otherShape[3] == 1 ? tag::aBcd8b : layout);
        else
            ho.plain = &other;
        const bg::HandedBinaryOp kind = op == "Add" ? bg::HandedBinaryOp::Add : bg::HandedBinaryOp::Mul;
        const std::optional<dnnl::memory> y = handedFirst ? bg::handedBinary(kind, hx, ho) : bg::handedBinary(kind, ho, hx);
        QVERIFY(y);
        QCOMPARE(y->get_desc(), hx.mem.get_desc());  // the handed feature map's layout
        QVERIFY(y->get_data_handle() != hx.mem.get_data_handle());  // not reusable: a new buffer
        const Tensor expected = handedFirst ? plainKernel(op.toStdString(), x, &other) : plainKernel(op.toStdString(), other, &x);
        QVERIFY(sameBits(plainOf(*y), expected));
        QVERIFY(sameBits(plainOf(hx.mem), x));  // the input is left as it was
    }

    // A reusable operand holds the result: no second buffer.
    void reusableOperandHoldsTheResult()
    {
        const Tensor x = randomTensor({1, 12, 4, 4}, 51, 1.0f);
        const Tensor s = randomTensor({1, 12, 1, 1}, 52, 1.0f);
        bg::HandedOperand hx{inLayout(x, tag::aBcd8b), nullptr, true};
        const bg::HandedOperand hs{dnnl::memory(), &s, false};
        const std::optional<dnnl::memory> y = bg::handedBinary(bg::HandedBinaryOp::Mul, hx, hs);
        QVERIFY(y);
        QCOMPARE(y->get_data_handle(), hx.mem.get_data_handle());
        QVERIFY(sameBits(plainOf(*y), plainKernel("Mul", x, &s)));
    }

    // What the runtime must reorder instead: nothing comes back.
    void uncoveredFormsGiveNothing()
    {
        const Tensor x = randomTensor({1, 12, 4, 4}, 61, 1.0f);
        const bg::HandedOperand hx{inLayout(x, tag::aBcd8b), nullptr, false};
        const Tensor full = randomTensor({1, 12, 4, 4}, 62, 1.0f);
        const Tensor spatial = randomTensor({1, 1, 4, 4}, 63, 1.0f);
        const Tensor wider = randomTensor({3, 12, 1, 1}, 64, 1.0f);  // broadcasts x over a batch of 3
        const Tensor ints({1, 12, 1, 1}, std::vector<int64_t>(12, 2));
        for (const Tensor* t : {&full, &spatial, &wider, &ints})
            QVERIFY(!bg::handedBinary(bg::HandedBinaryOp::Add, hx, bg::HandedOperand{dnnl::memory(), t, false}));
        // Two full-size handed operands in different layouts.
        const bg::HandedOperand nhwc{inLayout(full, tag::acdb), nullptr, false};
        QVERIFY(!bg::handedBinary(bg::HandedBinaryOp::Mul, hx, nhwc));
        // A 5-D tensor.
        const Tensor x5 = randomTensor({1, 8, 2, 3, 3}, 65, 1.0f);
        dnnl::memory m5(dnnl::memory::desc({1, 8, 2, 3, 3}, dnnl::memory::data_type::f32, tag::aBcde8b), bg::dnnlEngine());
        QVERIFY(!bg::handedGlobalAveragePool(m5, 1));
        QVERIFY(!bg::handedGeometry(m5.get_desc()));
    }
};

QTEST_GUILESS_MAIN(TestHandedOps)
#include "tst_handed_ops.moc"
