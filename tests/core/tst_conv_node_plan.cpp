// A FloatRuntime keeps what each Conv derives from its shapes (conv.cpp's ConvNodePlan in the
// node's memo, runtime/node_memo.h) across runs. It must be used only for the shapes it was made
// for: runs that alternate input sizes, with and without fusion, and runs on two threads at once
// each give the bytes of a runtime made afresh for that run.
#include "common/random_tensor.h"
#include "common/same_bytes.h"
#include "export/onnx_builder.h"
#include "model/model_loader.h"
#include "runtime/float_runtime.h"

#include <QtTest>

#include <thread>

using bg::OnnxBuilder;
using bg::Tensor;
using bgtest::randomTensor;

namespace {

// x [1,4,H,W] (H, W symbolic) -> Conv 3x3 stride 2 pads 1 (8 channels) -> Relu -> Conv 1x1 -> y.
bg::Graph buildModel()
{
    OnnxBuilder b(13);
    b.input("x", {1, 4, -1, -1}, 1, {"", "", "H", "W"}).output("y");
    b.initializer("W1", randomTensor({8, 4, 3, 3}, 3)).initializer("B1", randomTensor({8}, 4));
    b.initializer("W2", randomTensor({6, 8, 1, 1}, 5));
    b.node("Conv", {"x", "W1", "B1"}, {"z"}, {{"pads", std::vector<int64_t>{1, 1, 1, 1}}, {"strides", std::vector<int64_t>{2, 2}}},
           "conv1");
    b.node("Relu", {"z"}, {"r"}, {}, "relu");
    b.node("Conv", {"r", "W2"}, {"y"}, {}, "conv2");
    return bg::loadModelFromBytes(b.serialize(), "plan.onnx");
}

Tensor runOnce(const bg::FloatRuntime& runtime, const Tensor& x, bool fuse)
{
    bg::RunOptions options;
    options.fuse = fuse;
    return runtime.run(bg::TensorMap{{"x", x}}, options).at("y");
}

} // namespace

class TestConvNodePlan : public QObject {
    Q_OBJECT
private slots:
    void alternatingShapesGiveFreshBytes()
    {
        const bg::Graph graph = buildModel();
        const bg::FloatRuntime kept(graph);
        const std::vector<bg::Shape> shapes{{1, 4, 9, 9}, {1, 4, 16, 12}, {1, 4, 9, 9}, {1, 4, 5, 20}, {1, 4, 16, 12}};
        uint32_t seed = 10;
        for (const bg::Shape& shape : shapes)
            for (const bool fuse : {true, false}) {
                const Tensor x = randomTensor(shape, seed++);
                const Tensor y = runOnce(kept, x, fuse);
                const bg::FloatRuntime fresh(graph);
                const Tensor expected = runOnce(fresh, x, fuse);
                QCOMPARE(y.shape(), expected.shape());
                QVERIFY2(bgtest::sameBytes(y, expected), qPrintable(QString::fromStdString(bg::shapeToString(shape))));
            }
    }

    void twoThreadsTwoShapes()
    {
        const bg::Graph graph = buildModel();
        const bg::FloatRuntime shared(graph);
        const Tensor a = randomTensor({1, 4, 12, 12}, 1), b = randomTensor({1, 4, 7, 15}, 2);
        const bg::FloatRuntime fresh(graph);
        const Tensor ya = runOnce(fresh, a, true), yb = runOnce(fresh, b, true);
        bool sameA = true, sameB = true;
        std::thread other([&] {
            for (int k = 0; k < 50; ++k)
                sameB = bgtest::sameBytes(runOnce(shared, b, true), yb) && sameB;
        });
        for (int k = 0; k < 50; ++k)
            sameA = bgtest::sameBytes(runOnce(shared, a, true), ya) && sameA;
        other.join();
        QVERIFY(sameA);
        QVERIFY(sameB);
    }
};

QTEST_GUILESS_MAIN(TestConvNodePlan)
#include "tst_conv_node_plan.moc"
