// The conformance runner's own checks: the tolerance rule, NaN/inf handling, shape and type
// mismatches, and whole test folders that pass, fail and skip. A comparator that let wrong
// results through would hide operator bugs from everyone, so it gets tests of its own.
#include "conformance_case.h"
#include "tensor_compare.h"

#include "export/onnx_builder.h"
#include "model/half_float.h"
#include "model/tensor_file.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <limits>

namespace {

bg::Tensor floats(std::vector<float> v)
{
    const auto n = static_cast<int64_t>(v.size());
    return bg::Tensor(bg::Shape{n}, std::move(v));
}

bool close(float actual, float expected, int32_t elemType = 1)
{
    return bgconf::compareTensors(floats({actual}), floats({expected}), elemType).ok;
}

} // namespace

class TestConformanceRunner : public QObject {
    Q_OBJECT

private slots:
    void toleranceRule();
    void specialValues();
    void shapesAndTypes();
    void halfPrecisionExpectations();
    void reportNamesWorstElement();
    void wholeCasePassFailSkip();
};

void TestConformanceRunner::toleranceRule()
{
    // |a - b| <= 1e-5 + 1e-4 * |b|: at b = 100 the allowance is 0.01001.
    QVERIFY(close(100.0f, 100.0f));
    QVERIFY(close(100.0099f, 100.0f));
    QVERIFY(!close(100.0102f, 100.0f));
    // Near zero the absolute term decides.
    QVERIFY(close(9e-6f, 0.0f));
    QVERIFY(!close(2e-5f, 0.0f));
    QVERIFY(!close(-1.0f, 1.0f));
}

void TestConformanceRunner::specialValues()
{
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const float inf = std::numeric_limits<float>::infinity();
    QVERIFY(close(nan, nan));
    QVERIFY(!close(nan, 1.0f));
    QVERIFY(!close(1.0f, nan));
    QVERIFY(close(inf, inf));
    QVERIFY(close(-inf, -inf));
    QVERIFY(!close(inf, -inf));
    QVERIFY(!close(1e30f, inf));
}

void TestConformanceRunner::shapesAndTypes()
{
    const bg::Tensor a(bg::Shape{2, 2}, std::vector<float>{1, 2, 3, 4});
    const bg::Tensor b(bg::Shape{4}, std::vector<float>{1, 2, 3, 4});
    const auto r = bgconf::compareTensors(a, b, 1);
    QVERIFY(!r.ok);
    QVERIFY(r.detail.find("shape [2,2]") != std::string::npos);

    const bg::Tensor i(bg::Shape{4}, std::vector<int64_t>{1, 2, 3, 4});
    QVERIFY(!bgconf::compareTensors(b, i, 7).ok);  // float result where ints are expected
    QVERIFY(bgconf::compareTensors(i, i, 7).ok);
    const bg::Tensor j(bg::Shape{4}, std::vector<int64_t>{1, 2, 3, 5});
    const auto ri = bgconf::compareTensors(j, i, 7);  // integers compare exactly
    QVERIFY(!ri.ok);
    QVERIFY(ri.detail.find("got 5, expected 4") != std::string::npos);
}

void TestConformanceRunner::halfPrecisionExpectations()
{
    // float16 spacing at 1 is 2^-10: 1.0004 rounds to 1.0 in float16, so a float32 kernel result
    // of 1.0004 matches a stored float16 1.0, while 1.0008 rounds to 1.000977 and does not.
    QVERIFY(close(1.0004f, 1.0f, 10));
    QVERIFY(!close(1.0008f, 1.0f, 10));
    QVERIFY(!close(1.0004f, 1.0f, 1));  // as float32 the same difference is too large
    // bfloat16 spacing at 1 is 2^-7.
    QVERIFY(close(1.003f, 1.0f, 16));
    QVERIFY(!close(1.006f, 1.0f, 16));
}

void TestConformanceRunner::reportNamesWorstElement()
{
    const bg::Tensor expected(bg::Shape{2, 3}, std::vector<float>{0, 1, 2, 3, 4, 5});
    const bg::Tensor actual(bg::Shape{2, 3}, std::vector<float>{0, 1.1f, 2, 3, 4, 9});
    const auto r = bgconf::compareTensors(actual, expected, 1);
    QVERIFY(!r.ok);
    QVERIFY2(r.detail.find("2 of 6") != std::string::npos, r.detail.c_str());
    QVERIFY2(r.detail.find("worst at [1,2]") != std::string::npos, r.detail.c_str());
    QVERIFY2(r.detail.find("got 9, expected 5") != std::string::npos, r.detail.c_str());
}

void TestConformanceRunner::wholeCasePassFailSkip()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    namespace fs = std::filesystem;
    auto makeCase = [&](const std::string& name, const std::string& op, const std::vector<float>& out) {
        const std::string dir = tmp.path().toStdString() + "/suite/" + name;
        fs::create_directories(dir + "/test_data_set_0");
        bg::OnnxBuilder b(13);
        b.input("x", {4}).output("y", {4}).node(op, {"x"}, {"y"}, {}, "n0");
        b.save(dir + "/model.onnx");
        bg::writeTensorProtoFile(dir + "/test_data_set_0/input_0.pb", "x", floats({-1, 0, 2, -3}));
        bg::writeTensorProtoFile(dir + "/test_data_set_0/output_0.pb", "y", floats(out));
        return dir;
    };
    // Relu of [-1, 0, 2, -3] is [0, 0, 2, 0] by hand.
    const auto pass = bgconf::runConformanceCase(makeCase("test_relu_ok", "Relu", {0, 0, 2, 0}));
    QVERIFY2(pass.status == bgconf::CaseResult::Status::Pass, pass.reason.c_str());

    const auto fail = bgconf::runConformanceCase(makeCase("test_relu_wrong", "Relu", {0, 0, 2.5f, 0}));
    QVERIFY(fail.status == bgconf::CaseResult::Status::Fail);
    QVERIFY2(fail.reason.find("fast kernels") != std::string::npos, fail.reason.c_str());
    QVERIFY2(fail.reason.find("reference kernels") != std::string::npos, fail.reason.c_str());
    QVERIFY2(fail.reason.find("worst at [2]") != std::string::npos, fail.reason.c_str());

    const auto skip = bgconf::runConformanceCase(makeCase("test_unknown", "NoSuchOperatorAnywhere", {0, 0, 0, 0}));
    QVERIFY(skip.status == bgconf::CaseResult::Status::Skip);
    QCOMPARE(skip.missingOps, std::vector<std::string>{"NoSuchOperatorAnywhere"});
    QVERIFY2(skip.reason.find("NoSuchOperatorAnywhere") != std::string::npos, skip.reason.c_str());

    QCOMPARE(bgconf::caseName(tmp.path().toStdString() + "/node/test_abs"), std::string("onnx_node.test_abs"));
    QCOMPARE(bgconf::caseName("/x/pytorch-converted/test_Conv2d/"), std::string("onnx_pytorch.test_Conv2d"));
}

QTEST_APPLESS_MAIN(TestConformanceRunner)
#include "tst_conformance_runner.moc"
