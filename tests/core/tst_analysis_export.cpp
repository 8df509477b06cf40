// QUANT_SPEC §9 JSON and the per-channel CSV: parsed back with Qt's JSON parser (independent of our
// writer) to check structure, full double precision, escaping and the inf/nan spelling.
#include "export/analysis_csv.h"
#include "export/analysis_json.h"
#include "io/json_writer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

namespace {

bg::FoldAnalysis sample()
{
    bg::FoldAnalysis a;
    a.settings.biasBits = 12;
    a.settings.weightBits = 8;
    a.settings.strategy = bg::Strategy::Auto;
    a.modelPath = "/models/a \"quoted\" name.onnx";
    a.opset = 11;
    a.producer = "paddle2onnx 0.9";
    bg::LayerAnalysis l;
    l.name = "conv,1\nx";
    l.op = "Conv";
    l.bn = "bn1";
    l.inputScale = 0.1;  // not exactly representable: must come back bit-identical
    l.inputZeroPoint = 128;
    for (int c = 0; c < 3; ++c) {
        bg::ChannelAnalysis ch;
        ch.channel = c;
        ch.gamma = c == 0 ? 1.0 / 3.0 : 0.0;
        ch.foldFactor = c == 1 ? std::numeric_limits<double>::infinity() : 0.5;
        ch.weightScale = 1.0;
        ch.biasFloat = -2.5e-300;
        ch.biasExact = c == 2 ? std::numeric_limits<double>::quiet_NaN() : 123456789.125;
        ch.biasInt = c == 1 ? -std::numeric_limits<double>::infinity() : 123456789.0;
        ch.bits = 28;
        ch.outOfRange = true;
        ch.bitsSeparated = 5;
        ch.strategy = c == 0 ? bg::Strategy::Separate : bg::Strategy::Constant;
        ch.splitPre = -128 + c;
        ch.splitPost = 127 - c;
        ch.splitError = 0.125 * c;
        ch.note = "pre \"x\"";
        l.channels.push_back(ch);
    }
    a.layers.push_back(l);
    a.standalone.push_back({7, "bn_after_add", "input produced by Add 'add_3', not a Conv/ConvTranspose/Gemm/MatMul"});
    a.summary.pairs = 1;
    a.summary.channels = 3;
    a.summary.outOfRange = 3;
    a.summary.crushed = 0;
    a.summary.maxBits = 28;
    return a;
}

} // namespace

class TestAnalysisExport : public QObject {
    Q_OBJECT
private slots:
    void formatDouble_data()
    {
        QTest::addColumn<double>("v");
        QTest::addColumn<QString>("text");
        QTest::newRow("integer") << 1.0 << "1";
        QTest::newRow("0.1 at 17 digits") << 0.1 << "0.10000000000000001";
        QTest::newRow("exponent") << 1e300 << "1.0000000000000001e+300";
        QTest::newRow("inf") << std::numeric_limits<double>::infinity() << "\"inf\"";
        QTest::newRow("-inf") << -std::numeric_limits<double>::infinity() << "\"-inf\"";
        QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN() << "\"nan\"";
    }
    void formatDouble()
    {
        QFETCH(double, v);
        QFETCH(QString, text);
        QCOMPARE(QString::fromStdString(bg::JsonWriter::formatDouble(v)), text);
    }

    void escaping()
    {
        QCOMPARE(QString::fromStdString(bg::JsonWriter::escape("a\"b\\c\n\x01")), QString("\"a\\\"b\\\\c\\n\\u0001\""));
        bg::JsonWriter w;
        w.beginObject().key("empty").beginArray().endArray().key("o").beginObject().endObject().endObject();
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(w.str()), &err);
        QCOMPARE(err.error, QJsonParseError::NoError);
        QVERIFY(doc.object()["empty"].toArray().isEmpty());
    }

    void jsonRoundTrip()
    {
        const bg::FoldAnalysis a = sample();
        QJsonParseError err;
        const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(bg::analysisToJson(a)), &err);
        QCOMPARE(err.error, QJsonParseError::NoError);
        const QJsonObject root = doc.object();

        const QJsonObject settings = root["settings"].toObject();
        QCOMPARE(settings["weight_bits"].toInt(), 8);
        QCOMPARE(settings["activation_bits"].toInt(), 8);
        QCOMPARE(settings["bias_bits"].toInt(), 12);
        QCOMPARE(settings["granularity"].toString(), QString("per_channel"));
        QCOMPARE(settings["strategy"].toString(), QString("auto"));
        QCOMPARE(settings["accumulator_bits"].toInt(), 32);
        QCOMPARE(settings["arithmetic"].toString(), QString("exact"));

        const QJsonObject model = root["model"].toObject();
        QCOMPARE(model["path"].toString(), QString("/models/a \"quoted\" name.onnx"));
        QCOMPARE(model["opset"].toInt(), 11);
        QCOMPARE(model["producer"].toString(), QString("paddle2onnx 0.9"));

        const QJsonArray layers = root["layers"].toArray();
        QCOMPARE(layers.size(), 1);
        const QJsonObject l = layers[0].toObject();
        QCOMPARE(l["name"].toString(), QString("conv,1\nx"));
        QCOMPARE(l["op"].toString(), QString("Conv"));
        QCOMPARE(l["bn"].toString(), QString("bn1"));
        QVERIFY(l["input_scale"].toDouble() == 0.1);  // bit-exact, not fuzzy
        QCOMPARE(l["input_zero_point"].toInt(), 128);
        const QJsonArray chs = l["channels"].toArray();
        QCOMPARE(chs.size(), 3);
        const QJsonObject c0 = chs[0].toObject();
        for (const char* key : {"gamma", "fold_factor", "weight_scale", "bias_float", "bias_exact", "bias_int", "bits",
                                "out_of_range", "crushed", "bits_separated", "strategy"})
            QVERIFY2(c0.contains(key), key);
        QVERIFY(c0["gamma"].toDouble() == 1.0 / 3.0);
        QVERIFY(c0["bias_float"].toDouble() == -2.5e-300);
        QVERIFY(c0["bias_exact"].toDouble() == 123456789.125);
        QCOMPARE(c0["bits"].toInt(), 28);
        QCOMPARE(c0["out_of_range"].toBool(), true);
        QCOMPARE(c0["strategy"].toString(), QString("separate"));
        QCOMPARE(chs[2].toObject()["split_pre_int"].toInt(), -126);
        QCOMPARE(chs[2].toObject()["split_post_int"].toInt(), 125);
        QVERIFY(chs[2].toObject()["split_error_steps"].toDouble() == 0.25);
        QCOMPARE(chs[1].toObject()["fold_factor"].toString(), QString("inf"));
        QCOMPARE(chs[1].toObject()["bias_int"].toString(), QString("-inf"));
        QCOMPARE(chs[2].toObject()["bias_exact"].toString(), QString("nan"));
        QCOMPARE(chs[2].toObject()["strategy"].toString(), QString("constant"));

        const QJsonArray sbn = root["standalone_bn"].toArray();
        QCOMPARE(sbn.size(), 1);
        QCOMPARE(sbn[0].toString(), QString("bn_after_add"));

        const QJsonObject sum = root["summary"].toObject();
        QCOMPARE(sum["pairs"].toInt(), 1);
        QCOMPARE(sum["channels"].toInt(), 3);
        QCOMPARE(sum["out_of_range"].toInt(), 3);
        QCOMPARE(sum["crushed"].toInt(), 0);
        QCOMPARE(sum["max_bits"].toInt(), 28);
    }

    void csvRows()
    {
        const std::string csv = bg::analysisToCsv(sample());
        std::istringstream in(csv);
        std::string header;
        std::getline(in, header);
        QVERIFY(header.rfind("layer,op,bn,channel,gamma,fold_factor,weight_scale,bias_float,bias_exact,bias_int,bits,"
                             "out_of_range,crushed,bits_separated,strategy", 0) == 0);
        // The layer name holds a comma and a newline: quoted, so the first row starts with a quote.
        QVERIFY(csv.find("\"conv,1\nx\",Conv,bn1,0,0.33333333333333331,0.5,1,") != std::string::npos);
        QVERIFY(csv.find(",inf,") != std::string::npos);
        QVERIFY(csv.find(",-inf,") != std::string::npos);
        QVERIFY(csv.find(",nan,") != std::string::npos);
        QVERIFY(csv.find("\"pre \"\"x\"\"\"") != std::string::npos);  // quotes doubled
        // 3 channel rows: 3 row starts with the quoted layer name
        size_t rows = 0;
        for (size_t p = csv.find("\"conv,1"); p != std::string::npos; p = csv.find("\"conv,1", p + 1))
            ++rows;
        QCOMPARE(rows, size_t(3));
    }

    void writesFilesAtomically()
    {
        QTemporaryDir dir;
        const std::string json = dir.filePath("a.json").toStdString();
        const std::string csv = dir.filePath("a.csv").toStdString();
        bg::writeAnalysisJson(json, sample());
        bg::writeAnalysisCsv(csv, sample());
        std::ifstream j(json), c(csv);
        std::stringstream js, cs;
        js << j.rdbuf();
        cs << c.rdbuf();
        QCOMPARE(js.str(), bg::analysisToJson(sample()));
        QCOMPARE(cs.str(), bg::analysisToCsv(sample()));
    }
};

QTEST_APPLESS_MAIN(TestAnalysisExport)
#include "tst_analysis_export.moc"
