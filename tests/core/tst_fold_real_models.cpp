// The PaddleOCR models against the counts of /work/shared/models/README.md (taken independently of
// this code): 35 Conv->BN pairs with 2136 channels in the classifier, 2 pairs (40 channels) and one
// BN after an Add in the detector. Then the whole analysis over synthetic calibration ranges,
// checked for the invariants of §5 on every channel.
#include "analysis/fold_analysis.h"
#include "analysis/fold_pair_finder.h"
#include "export/analysis_json.h"
#include "model/model_loader.h"
#include "quantization/calibration_synthetic_source.h"
#include "quantization/calibrator.h"
#include "quantization/quant_math.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <cmath>

namespace {
const std::string kModels = "/work/shared/models/paddleocr/";
}

class TestFoldRealModels : public QObject {
    Q_OBJECT
private slots:
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
        const bg::Graph g = bg::loadModel(kModels + "ch_ppocr_mobile_v2.0_cls_infer.onnx");
        bg::SyntheticCalibrationSource source(g);
        const bg::RangeTable ranges = bg::calibrate(g, source);
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
};

QTEST_APPLESS_MAIN(TestFoldRealModels)
#include "tst_fold_real_models.moc"
