// Calibration: the three core sources, folder detection and its errors, and the calibrator's
// min/max over every float tensor (checked against hand-computed ranges), progress, cancel and
// non-finite values.
#include "folding/fold_pair_finder.h"
#include "common/test_paths.h"
#include "export/onnx_builder.h"
#include "io/error.h"
#include "model/model_loader.h"
#include "model/tensor_file.h"
#include "calibration/calibration_npy_source.h"
#include "calibration/calibration_ranges.h"
#include "calibration/calibration_source_factory.h"
#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibration_test_data_source.h"
#include "calibration/calibrator.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>

#include <omp.h>

namespace {

// Sets the calling thread's OpenMP team (the calibrator runs threads / team samples at once) for
// one scope.
class OmpThreads {
public:
    explicit OmpThreads(int n) : previous_(omp_get_max_threads()) { omp_set_num_threads(n); }
    ~OmpThreads() { omp_set_num_threads(previous_); }
    OmpThreads(const OmpThreads&) = delete;
    OmpThreads& operator=(const OmpThreads&) = delete;

private:
    int previous_;
};

// x [N,4] -> Relu -> r -> Neg -> y: ranges of r and y follow from x's by hand.
bg::Graph reluNegModel(bool symbolicBatch = true)
{
    bg::OnnxBuilder b(13, "relu_neg");
    b.input("x", {symbolicBatch ? -1 : 1, 4}, 1, {"N", ""});
    b.node("Relu", {"x"}, {"r"}, {}, "relu");
    b.node("Neg", {"r"}, {"y"}, {}, "neg");
    b.output("y");
    return bg::loadModelFromBytes(b.serialize(), "relu_neg.onnx");
}

// a [1,2], b [1,2] -> Add -> s.
bg::Graph addModel()
{
    bg::OnnxBuilder b(13, "add");
    b.input("a", {1, 2});
    b.input("b", {1, 2});
    b.node("Add", {"a", "b"}, {"s"}, {}, "add");
    b.output("s");
    return bg::loadModelFromBytes(b.serialize(), "add.onnx");
}

bg::Tensor row(std::vector<float> v, bg::Shape shape = {})
{
    if (shape.empty())
        shape = {1, static_cast<int64_t>(v.size())};
    return bg::Tensor(shape, std::move(v));
}

std::string mkdir(const QTemporaryDir& tmp, const std::string& rel)
{
    const std::string p = tmp.path().toStdString() + "/" + rel;
    std::filesystem::create_directories(p);
    return p;
}

void touch(const std::string& path)
{
    std::ofstream(path) << "x";
}

void checkRange(const bg::RangeTable& t, const std::string& name, double lo, double hi)
{
    const auto it = t.find(name);
    QVERIFY2(it != t.end(), ("no range for " + name).c_str());
    QCOMPARE(it->second.min, lo);
    QCOMPARE(it->second.max, hi);
    QVERIFY(!it->second.nonFinite);
}

template <class F>
bg::Error expectError(F&& f)
{
    try {
        f();
    } catch (const bg::Error& e) {
        return e;
    }
    return bg::Error(bg::ErrorCode::InvalidModel, "test", "expected a bg::Error, none was thrown");
}

bool mentions(const bg::Error& e, const std::string& s) { return std::string(e.what()).find(s) != std::string::npos; }

} // namespace

class TestCalibration : public QObject {
    Q_OBJECT
private slots:
    void testDataFolder_data()
    {
        QTest::addColumn<bool>("reference");
        QTest::newRow("reference kernels") << true;
        QTest::newRow("fast kernels") << false;
    }
    void testDataFolder()
    {
        QFETCH(bool, reference);
        QTemporaryDir tmp;
        const bg::Graph g = reluNegModel();
        // test_data_set_10 must come after _2 (natural order), not between _1 and _2.
        bg::writeTensorProtoFile(mkdir(tmp, "test_data_set_2") + "/input_0.pb", "x", row({-3, 1, 2, 0.5f}));
        bg::writeTensorProtoFile(mkdir(tmp, "test_data_set_10") + "/input_0.pb", "x", row({-1, 4, -0.25f, 0}));
        bg::writeTensorProtoFile(mkdir(tmp, "test_data_set_1") + "/input_0.pb", "", row({0.5f, 0.5f, 0.5f, 0.5f}));

        const auto source = bg::openCalibrationSource(tmp.path().toStdString(), g);
        QCOMPARE(source->count(), size_t(3));
        const auto* td = dynamic_cast<const bg::TestDataCalibrationSource*>(source.get());
        QVERIFY(td);
        QVERIFY(td->sampleDirs()[0].ends_with("test_data_set_1"));
        QVERIFY(td->sampleDirs()[1].ends_with("test_data_set_2"));
        QVERIFY(td->sampleDirs()[2].ends_with("test_data_set_10"));
        QCOMPARE(source->sample(1).at("x").toFloatVector(), (std::vector<float>{-3, 1, 2, 0.5f}));

        bg::CalibrationOptions options;
        options.kernels = reference ? bg::KernelChoice::Reference : bg::KernelChoice::Fast;
        const bg::RangeTable t = bg::calibrate(g, bg::findFoldPairs(g), *source, options);
        QCOMPARE(t.size(), size_t(3));
        checkRange(t, "x", -3, 4);
        checkRange(t, "r", 0, 4);
        checkRange(t, "y", -4, 0);
        QCOMPARE(t.at("x").count, int64_t(12));
    }

    // A real ONNX backend test folder (model.onnx beside test_data_set_0/{input_0,output_0}.pb):
    // the calibrated ranges of the input and the output are the min/max of the stored tensors.
    void onnxBackendTestFolder()
    {
        const std::string dir = bgtest::onnxTestData("node/test_relu");
        if (!std::filesystem::exists(dir + "/model.onnx"))
            QSKIP("Debian's ONNX test data is not installed");
        const bg::Graph g = bg::loadModel(dir + "/model.onnx");
        auto source = bg::openCalibrationSource(dir, g);
        QCOMPARE(source->count(), size_t(1));
        const bg::RangeTable t = bg::calibrate(g, bg::findFoldPairs(g), *source);
        for (const auto& [name, file] : {std::pair{g.inputs[0].name, std::string("input_0.pb")},
                                         std::pair{g.outputs[0].name, std::string("output_0.pb")}}) {
            const std::vector<float> v = bg::readTensorProtoFile(dir + "/test_data_set_0/" + file).tensor.toFloatVector();
            const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
            checkRange(t, name, *lo, *hi);
        }
    }

    void singleSampleFolderAndNameMatching()
    {
        // input_K.pb directly in the folder; the TensorProto names put b first and a second.
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        bg::writeTensorProtoFile(dir + "/input_0.pb", "b", row({10, 20}));
        bg::writeTensorProtoFile(dir + "/input_1.pb", "a", row({-1, 2}));
        const bg::Graph g = addModel();
        QCOMPARE(bg::detectCalibrationFolder(dir), bg::CalibrationFolderKind::TestData);
        auto source = bg::openCalibrationSource(dir, g);
        QCOMPARE(source->count(), size_t(1));
        const bg::RangeTable t = bg::calibrate(g, bg::findFoldPairs(g), *source);
        checkRange(t, "a", -1, 2);
        checkRange(t, "b", 10, 20);
        checkRange(t, "s", 9, 22);
    }

    void npyFolderSplitsBatches()
    {
        QTemporaryDir tmp;
        const std::string dir = tmp.path().toStdString();
        // 3 rows -> 3 samples; a file without the batch axis -> 1 sample.
        bg::writeNpyFile(dir + "/a.npy", row({1, 2, 3, 4, -5, 0, 0, 0, 0, 0, 0, 7}, {3, 4}));
        bg::writeNpyFile(dir + "/b.npy", row({-1, -1, -1, -2}, {4}));
        const bg::Graph g = reluNegModel();
        QCOMPARE(bg::detectCalibrationFolder(dir), bg::CalibrationFolderKind::Npy);
        auto source = bg::openCalibrationSource(dir, g);
        QVERIFY(dynamic_cast<bg::NpyCalibrationSource*>(source.get()));
        QCOMPARE(source->count(), size_t(4));
        QCOMPARE(source->sample(1).at("x").shape(), (bg::Shape{1, 4}));
        QCOMPARE(source->sample(1).at("x").toFloatVector(), (std::vector<float>{-5, 0, 0, 0}));
        QCOMPARE(source->sample(3).at("x").toFloatVector(), (std::vector<float>{-1, -1, -1, -2}));
        QCOMPARE(source->sample(0).at("x").toFloatVector(), (std::vector<float>{1, 2, 3, 4}));

        const bg::RangeTable t = bg::calibrate(g, bg::findFoldPairs(g), *source);
        checkRange(t, "x", -5, 7);
        checkRange(t, "r", 0, 7);
        checkRange(t, "y", -7, 0);
        QCOMPARE(t.at("x").count, int64_t(16));
    }

    void npyKeepsBatchWhenModelHasOne()
    {
        // A static batch of 2 is the model's own: the [2,4] file is one sample, not two.
        bg::OnnxBuilder b(13, "batch2");
        b.input("x", {2, 4});
        b.node("Relu", {"x"}, {"y"});
        b.output("y");
        const bg::Graph g = bg::loadModelFromBytes(b.serialize(), "batch2.onnx");
        QTemporaryDir tmp;
        bg::writeNpyFile(tmp.path().toStdString() + "/s.npy", row({1, 2, 3, 4, 5, 6, 7, 8}, {2, 4}));
        auto source = bg::openCalibrationSource(tmp.path().toStdString(), g);
        QCOMPARE(source->count(), size_t(1));
        QCOMPARE(source->sample(0).at("x").shape(), (bg::Shape{2, 4}));
    }

    void syntheticSource()
    {
        const bg::Graph g = reluNegModel();
        bg::SyntheticCalibrationSource source(g);
        QCOMPARE(source.count(), size_t(8));
        // Expected ranges: scan the generated samples here, then apply Relu/Neg by hand.
        double lo = std::numeric_limits<double>::infinity();
        double hi = -lo;
        for (size_t i = 0; i < source.count(); ++i) {
            const auto s = source.sample(i);
            QCOMPARE(s.at("x").shape(), (bg::Shape{1, 4}));
            for (float v : s.at("x").floats()) {
                lo = std::min(lo, double(v));
                hi = std::max(hi, double(v));
            }
        }
        const bg::RangeTable t = bg::calibrate(g, bg::findFoldPairs(g), source);
        checkRange(t, "x", lo, hi);
        checkRange(t, "r", std::max(0.0, lo), std::max(0.0, hi));
        checkRange(t, "y", -std::max(0.0, hi), -std::max(0.0, lo));
    }

    void progressCoversEveryNodeOfEverySample()
    {
        const bg::Graph g = reluNegModel();
        bg::SyntheticCalibrationSource source(g, {}, 3);
        std::vector<std::pair<size_t, size_t>> calls;
        bg::CalibrationOptions options;
        options.progress = [&](size_t done, size_t total) { calls.emplace_back(done, total); };
        bg::calibrate(g, bg::findFoldPairs(g), source, options);
        std::vector<std::pair<size_t, size_t>> expected;
        for (size_t k = 1; k <= 6; ++k)  // 3 samples x 2 nodes
            expected.emplace_back(k, 6);
        QCOMPARE(calls, expected);
    }

    void cancelBeforeStart()
    {
        const bg::Graph g = reluNegModel();
        bg::SyntheticCalibrationSource source(g);
        std::atomic<bool> cancel{true};
        bg::CalibrationOptions options;
        options.cancel = &cancel;
        const bg::Error e = expectError([&] { bg::calibrate(g, bg::findFoldPairs(g), source, options); });
        QCOMPARE(int(e.code()), int(bg::ErrorCode::Cancelled));
    }

    void cancelMidway_data()
    {
        QTest::addColumn<int>("threads");
        QTest::addColumn<int>("maxLastDone");
        // One sample at a time: polled before the next node, no work after the flag.
        QTest::newRow("one sample at a time") << 1 << 3;
        // Two at once: the other run finishes at most the node it is in, then stops too.
        QTest::newRow("two samples at once") << 2 << 4;
    }
    void cancelMidway()
    {
        QFETCH(int, threads);
        QFETCH(int, maxLastDone);
        const bg::Graph g = reluNegModel();
        bg::SyntheticCalibrationSource source(g);
        std::atomic<bool> cancel{false};
        size_t lastDone = 0;
        bg::CalibrationOptions options;
        options.cancel = &cancel;
        options.progress = [&](size_t done, size_t) {
            lastDone = done;
            if (done == 3)
                cancel = true;  // after the first node of the second sample
        };
        const OmpThreads team(threads);
        const bg::Error e = expectError([&] { bg::calibrate(g, bg::findFoldPairs(g), source, options); });
        QCOMPARE(int(e.code()), int(bg::ErrorCode::Cancelled));
        QVERIFY2(lastDone >= 3 && lastDone <= size_t(maxLastDone), qPrintable(QString::number(lastDone)));
    }

    void samplesAtOnceGiveTheSerialTable_data()
    {
        QTest::addColumn<int64_t>("batch");
        QTest::newRow("batch 1") << int64_t(1);
        QTest::newRow("batch 2") << int64_t(2);
    }
    void samplesAtOnceGiveTheSerialTable()
    {
        // The detector (oneDNN convolutions, cached primitives run from both threads) at 192x320:
        // every range, count and channel statistic of two samples at a time equals one at a time.
        QFETCH(int64_t, batch);
        const bg::Graph g = bg::loadModel(bgtest::sourcePath("resources/models/paddleocr/ch_PP-OCRv4_det_infer.onnx"));
        const bg::FoldPairs pairs = bg::findFoldPairs(g);
        bg::SyntheticShapeOptions shape;
        shape.batch = batch;
        shape.dimSizes = {{"x:2", 192}, {"x:3", 320}};
        auto calibrateWith = [&](int threads) {
            bg::SyntheticCalibrationSource source(g, shape, 6);
            const OmpThreads team(threads);
            return bg::calibrate(g, pairs, source);
        };
        const bg::RangeTable serial = calibrateWith(1);
        QVERIFY(serial.size() > 300);
        for (int round = 0; round < 3; ++round) {
            const bg::RangeTable atOnce = calibrateWith(2);
            QCOMPARE(atOnce.size(), serial.size());
            for (const auto& [name, r] : serial) {
                const bg::TensorRange& o = atOnce.at(name);
                QVERIFY2(o.min == r.min && o.max == r.max && o.count == r.count && o.nonFinite == r.nonFinite
                             && o.rank == r.rank,
                         name.c_str());
                QVERIFY2(o.channelMin == r.channelMin && o.channelMax == r.channelMax
                             && o.channelMeanSquare == r.channelMeanSquare,
                         name.c_str());
            }
        }
    }

    void nonFiniteValuesAreFlaggedNotFolded()
    {
        QTemporaryDir tmp;
        const float nan = std::numeric_limits<float>::quiet_NaN();
        const float inf = std::numeric_limits<float>::infinity();
        bg::writeTensorProtoFile(mkdir(tmp, "test_data_set_0") + "/input_0.pb", "x", row({nan, 2, -inf, -1}));
        bg::writeTensorProtoFile(mkdir(tmp, "test_data_set_1") + "/input_0.pb", "x", row({0.5f, 1, 1, 1}));
        const bg::Graph g = reluNegModel();
        auto source = bg::openCalibrationSource(tmp.path().toStdString(), g);
        const bg::RangeTable t = bg::calibrate(g, bg::findFoldPairs(g), *source);
        QVERIFY(t.at("x").nonFinite);  // the clean second sample does not clear the flag
        QCOMPARE(t.at("x").min, -1.0);
        QCOMPARE(t.at("x").max, 2.0);
    }

    void rangeAccumulator()
    {
        bg::RangeAccumulator acc;
        // 19 values: two full 8-lane blocks and a tail holding both extremes.
        std::vector<float> v(19, 0.25f);
        v[17] = -9.5f;
        v[18] = 3.0f;
        v[4] = 2.0f;
        acc.add("t", bg::Tensor({19}, v));
        acc.add("t", bg::Tensor({2}, std::vector<float>{-1.0f, 3.5f}));
        const float nan = std::numeric_limits<float>::quiet_NaN();
        acc.add("allnan", bg::Tensor({3}, std::vector<float>{nan, nan, nan}));
        acc.add("posinf", bg::Tensor({2}, std::vector<float>{std::numeric_limits<float>::infinity(), -2.0f}));
        acc.add("ints", bg::Tensor({2}, std::vector<int64_t>{1, 2}));
        acc.add("empty", bg::Tensor({0}, std::vector<float>{}));
        const bg::RangeTable t = acc.table();
        QCOMPARE(t.at("t").min, -9.5);
        QCOMPARE(t.at("t").max, 3.5);
        QCOMPARE(t.at("t").count, int64_t(21));
        QVERIFY(!t.at("t").nonFinite);
        QVERIFY(t.at("allnan").nonFinite);
        QCOMPARE(t.at("allnan").min, 0.0);
        QCOMPARE(t.at("allnan").max, 0.0);
        QVERIFY(t.at("posinf").nonFinite);
        QCOMPARE(t.at("posinf").min, -2.0);
        QCOMPARE(t.at("posinf").max, -2.0);
        QVERIFY(!t.count("ints"));
        // A zero-size tensor has an entry with nothing counted, so the integer runtime quantizes it
        // (range [0, 0]) instead of calling it uncalibrated.
        QVERIFY(t.count("empty"));
        QCOMPARE(t.at("empty").count, int64_t(0));
        QCOMPARE(t.at("empty").min, 0.0);
        QCOMPARE(t.at("empty").max, 0.0);
    }

    void folderErrors_data()
    {
        QTest::addColumn<QString>("layout");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentioned");
        QTest::newRow("missing folder") << "missing" << int(bg::ErrorCode::FileNotFound) << "does not exist";
        QTest::newRow("a file, not a folder") << "file" << int(bg::ErrorCode::FileNotFound) << "is a file";
        QTest::newRow("empty folder") << "empty" << int(bg::ErrorCode::BadInput) << "no calibration data";
        QTest::newRow("unrelated files only") << "junk" << int(bg::ErrorCode::BadInput) << "no calibration data";
        QTest::newRow("npy mixed with pb") << "mixed" << int(bg::ErrorCode::BadInput) << "mixes";
        QTest::newRow("images") << "images" << int(bg::ErrorCode::BadInput) << "images";
        QTest::newRow("two inputs for a one-input model") << "count" << int(bg::ErrorCode::BadInput)
                                                          << "test_data_set_0: holds 2 input_K.pb files";
        QTest::newRow("test_data_set without files") << "emptyset" << int(bg::ErrorCode::BadInput)
                                                     << "test_data_set_1: holds no input_K.pb";
        QTest::newRow("npy of the wrong shape") << "npyshape" << int(bg::ErrorCode::BadInput) << "bad.npy";
        QTest::newRow("npy of the wrong rank") << "npyrank" << int(bg::ErrorCode::BadInput) << "bad.npy";
    }
    void folderErrors()
    {
        QFETCH(QString, layout);
        QFETCH(int, code);
        QFETCH(QString, mentioned);
        QTemporaryDir tmp;
        std::string dir = tmp.path().toStdString();
        const std::string which = layout.toStdString();
        bg::Graph g = reluNegModel(false);  // x is [1,4]
        if (which == "missing") {
            dir += "/nowhere";
        } else if (which == "file") {
            dir += "/x.npy";
            bg::writeNpyFile(dir, row({1, 2, 3, 4}));
        } else if (which == "junk") {
            touch(dir + "/notes.txt");
            touch(dir + "/output_0.pb");
        } else if (which == "mixed") {
            bg::writeNpyFile(dir + "/x.npy", row({1, 2, 3, 4}));
            bg::writeTensorProtoFile(mkdir(tmp, "test_data_set_0") + "/input_0.pb", "x", row({1, 2, 3, 4}));
        } else if (which == "images") {
            touch(dir + "/cat.PNG");
            touch(dir + "/dog.jpg");
        } else if (which == "count") {
            const std::string s = mkdir(tmp, "test_data_set_0");
            bg::writeTensorProtoFile(s + "/input_0.pb", "x", row({1, 2, 3, 4}));
            bg::writeTensorProtoFile(s + "/input_1.pb", "z", row({1, 2, 3, 4}));
        } else if (which == "emptyset") {
            bg::writeTensorProtoFile(mkdir(tmp, "test_data_set_0") + "/input_0.pb", "x", row({1, 2, 3, 4}));
            mkdir(tmp, "test_data_set_1");
        } else if (which == "npyshape") {
            bg::writeNpyFile(dir + "/good.npy", row({1, 2, 3, 4}));
            bg::writeNpyFile(dir + "/bad.npy", row({1, 2, 3, 4, 5}));
        } else if (which == "npyrank") {
            bg::writeNpyFile(dir + "/bad.npy", row({1, 2, 3, 4}, {1, 1, 4}));
        }
        const bg::Error e = expectError([&] { bg::openCalibrationSource(dir, g); });
        QVERIFY2(mentions(e, mentioned.toStdString()), e.what());
        QCOMPARE(int(e.code()), code);
    }

    void npyNeedsSingleInputModel()
    {
        QTemporaryDir tmp;
        bg::writeNpyFile(tmp.path().toStdString() + "/a.npy", row({1, 2}));
        const bg::Graph g = addModel();
        const bg::Error e = expectError([&] { bg::openCalibrationSource(tmp.path().toStdString(), g); });
        QCOMPARE(int(e.code()), int(bg::ErrorCode::BadInput));
        QVERIFY2(mentions(e, "single-input"), e.what());
    }

    void badSampleNamesItsFileDuringCalibration()
    {
        // Shapes in .pb files are checked when the sample is read: calibration stops naming the file.
        QTemporaryDir tmp;
        bg::writeTensorProtoFile(mkdir(tmp, "test_data_set_0") + "/input_0.pb", "x", row({1, 2, 3, 4}));
        bg::writeTensorProtoFile(mkdir(tmp, "test_data_set_1") + "/input_0.pb", "x", row({1, 2, 3}));
        const bg::Graph g = reluNegModel(false);
        auto source = bg::openCalibrationSource(tmp.path().toStdString(), g);
        const bg::Error e = expectError([&] { bg::calibrate(g, bg::findFoldPairs(g), *source); });
        QCOMPARE(int(e.code()), int(bg::ErrorCode::BadInput));
        QVERIFY2(mentions(e, "test_data_set_1/input_0.pb"), e.what());
    }

    void emptySourceIsRefused()
    {
        const bg::Graph g = reluNegModel();
        bg::SyntheticCalibrationSource source(g, {}, 0);
        const bg::Error e = expectError([&] { bg::calibrate(g, bg::findFoldPairs(g), source); });
        QCOMPARE(int(e.code()), int(bg::ErrorCode::BadInput));
    }
};

QTEST_APPLESS_MAIN(TestCalibration)
#include "tst_calibration.moc"
