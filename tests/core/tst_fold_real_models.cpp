// The PaddleOCR models against the counts of resources/models/paddleocr/README.md (taken independently of
// this code): 35 Conv->BN pairs with 2136 channels in the classifier, 2 pairs (40 channels) and one
// BN after an Add in the detector. Then the whole analysis over synthetic calibration ranges,
// checked for the invariants of §5 on every channel and against tests/tools/fold_counts.py, an
// independent numpy implementation with its own ONNX reader.
#include "analysis/fold_analysis.h"
#include "folding/fold_pair_finder.h"
#include "export/analysis_json.h"
#include "io/atomic_file.h"
#include "io/json_writer.h"
#include "model/model_loader.h"
#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibrator.h"
#include "arithmetic/quant_math.h"
#include "common/test_paths.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

namespace {
// The bundled copies (a user's clone has nothing outside the repository).
const std::string kModels = bgtest::sourcePath("resources/models/paddleocr/");
}

class TestFoldRealModels : public QObject {
    Q_OBJECT
    bg::Graph cls_;
    bg::RangeTable clsRanges_;

private slots:
    void initTestCase()
    {
        cls_ = bg::loadModel(kModels + "ch_ppocr_mobile_v2.0_cls_infer.onnx");
        bg::SyntheticCalibrationSource source(cls_);
        clsRanges_ = bg::calibrate(cls_, bg::findFoldPairs(cls_), source);
    }

    void clsPairs()
    {
        const bg::Graph g = bg::loadModel(kModels + "ch_ppocr_mobile_v2.0_cls_infer.onnx");
        const bg::FoldPairs fp = bg::findFoldPairs(g);
        QCOMPARE(fp.pairs.size(), size_t(35));
        int64_t channels = 0;
        for (const bg::FoldPair& p : fp.pairs) {
            channels += p.channels;
            QCOMPARE(p.op, std::string("Conv"));
        }
        QCOMPARE(channels, int64_t(2136));
        for (const bg::StandaloneBn& s : fp.standalone)
            qInfo() << "standalone" << s.name.c_str() << s.reason.c_str();
        QVERIFY(fp.standalone.empty());
    }

    void detPairs()
    {
        const bg::Graph g = bg::loadModel(kModels + "ch_PP-OCRv4_det_infer.onnx");
        const bg::FoldPairs fp = bg::findFoldPairs(g);
        QCOMPARE(fp.pairs.size(), size_t(2));
        int64_t channels = 0;
        for (const bg::FoldPair& p : fp.pairs)
            channels += p.channels;
        QCOMPARE(channels, int64_t(40));
        QCOMPARE(fp.standalone.size(), size_t(1));
        QVERIFY2(fp.standalone[0].reason.find("Add") != std::string::npos, fp.standalone[0].reason.c_str());
    }

    void clsAnalysisInvariants()
    {
        const bg::Graph& g = cls_;
        const bg::RangeTable& ranges = clsRanges_;
        bg::QuantSettings s;  // spec defaults: 4-bit weights, 16-bit bias, per channel
        const bg::FoldPairs pairs = bg::findFoldPairs(g);
        const bg::FoldAnalysis a = bg::analyzeFolds(g, pairs, s, ranges);
        QCOMPARE(a.summary.pairs, int64_t(35));
        QCOMPARE(a.summary.channels, int64_t(2136));
        int64_t out = 0;
        int maxBits = 0;
        for (const bg::LayerAnalysis& l : a.layers) {
            QVERIFY(l.inputScale > 0.0);
            QVERIFY(l.outputScale > 0.0);
            for (const bg::ChannelAnalysis& ch : l.channels) {
                // §2 and §5 recomputed from the channel's own inputs
                const double aC = ch.gamma / std::sqrt(ch.var + pairs.pairs[l.pairIndex].epsilon);
                QVERIFY(std::fabs(aC - ch.foldFactor) <= 1e-9 * std::max(1.0, std::fabs(aC)));
                QVERIFY(std::fabs(ch.biasExact * ch.weightScale * l.inputScale - ch.biasFloat)
                        <= 1e-9 * std::max(1.0, std::fabs(ch.biasFloat)));
                QCOMPARE(ch.biasInt, std::round(ch.biasExact));
                QCOMPARE(ch.outOfRange, ch.bits > s.biasBits);
                QVERIFY(!ch.crushed);  // per channel never crushes
                out += ch.outOfRange ? 1 : 0;
                maxBits = std::max(maxBits, ch.bits);
            }
        }
        QCOMPARE(a.summary.outOfRange, out);
        QCOMPARE(a.summary.maxBits, maxBits);
        qInfo() << "cls defaults: out_of_range" << a.summary.outOfRange << "max_bits" << a.summary.maxBits
                << "unfixable" << a.summary.unfixable;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(bg::analysisToJson(a)));
        QCOMPARE(doc.object()["summary"].toObject()["channels"].toInt(), 2136);
    }

    void clsCountsMatchIndependentScript_data()
    {
        QTest::addColumn<int>("weightBits");
        QTest::addColumn<int>("biasBits");
        QTest::addColumn<QString>("granularity");
        QTest::newRow("w4 b16 per channel (defaults)") << 4 << 16 << "per_channel";
        QTest::newRow("w8 b12 per channel") << 8 << 12 << "per_channel";
        QTest::newRow("w8 b8 per channel") << 8 << 8 << "per_channel";
        QTest::newRow("w4 b8 per tensor") << 4 << 8 << "per_tensor";
        QTest::newRow("w8 b16 per tensor") << 8 << 16 << "per_tensor";
    }
    void clsCountsMatchIndependentScript()
    {
        QFETCH(int, weightBits);
        QFETCH(int, biasBits);
        QFETCH(QString, granularity);
        QTemporaryDir dir;
        const QString rangesPath = dir.filePath("ranges.json");
        bg::JsonWriter w;
        w.beginObject();
        for (const auto& [name, r] : clsRanges_) {
            w.key(name).beginArray();
            w.value(r.min).value(r.max);
            w.endArray();
        }
        w.endObject();
        bg::writeFileAtomically(rangesPath.toStdString(), w.str());

        QProcess py;
        py.start("/usr/bin/python3",
                 {QString::fromStdString(bgtest::sourcePath("tests/tools/fold_counts.py")),
                  QString::fromStdString(kModels + "ch_ppocr_mobile_v2.0_cls_infer.onnx"), rangesPath,
                  "--weight-bits", QString::number(weightBits), "--bias-bits", QString::number(biasBits),
                  "--granularity", granularity});
        QVERIFY(py.waitForFinished(300000));
        QVERIFY2(py.exitCode() == 0, py.readAllStandardError().constData());
        const QJsonObject ref = QJsonDocument::fromJson(py.readAllStandardOutput()).object();

        bg::QuantSettings s;
        s.weightBits = weightBits;
        s.biasBits = biasBits;
        s.granularity = bg::parseGranularity(granularity.toStdString());
        const bg::FoldAnalysis a = bg::analyzeFolds(cls_, bg::findFoldPairs(cls_), s, clsRanges_);
        qInfo() << "script" << ref;
        QCOMPARE(a.summary.pairs, int64_t(ref["pairs"].toInt()));
        QCOMPARE(a.summary.channels, int64_t(ref["channels"].toInt()));
        QCOMPARE(a.summary.outOfRange, int64_t(ref["out_of_range"].toInt()));
        QCOMPARE(a.summary.crushed, int64_t(ref["crushed"].toInt()));
        QCOMPARE(a.summary.maxBits, ref["max_bits"].toInt());
    }
};

QTEST_APPLESS_MAIN(TestFoldRealModels)
#include "tst_fold_real_models.moc"
