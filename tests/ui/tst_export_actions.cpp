// File ▸ Export (ui/export_actions.h), offscreen: triggering an action writes the file the core's
// exporter writes (the fixed model with its provenance, the QDQ model, the encodings, an overlay),
// and an export before any analysis fails naming the file.
#include "export_actions.h"

#include "common/test_paths.h"

#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibrator.h"
#include "export/export_names.h"
#include "export/fix_provenance_json.h"
#include "io/file_reader.h"
#include "io/json_reader.h"

#include <QMenu>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>
#include <QWidget>

namespace {

ExportContext analysedDemo()
{
    ExportContext c;
    c.modelPath = QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx"));
    c.model = bg::loadModelStructure(c.modelPath.toStdString());
    bg::SyntheticCalibrationSource source(c.model->graph, {}, 2);
    c.ranges = std::make_shared<const bg::RangeTable>(bg::calibrate(c.model->graph, c.model->pairs, source));
    bg::QuantSettings s;
    s.biasBits = 8;
    c.analysis = std::make_shared<const bg::FoldAnalysis>(bg::analyzeFolds(c.model->graph, c.model->pairs, s, *c.ranges));
    c.plan = bg::FixPlan(bg::Strategy::Auto);
    return c;
}

// The action of `menu` (or one of its submenus) whose text starts with `text`.
QAction* findAction(QMenu* menu, const QString& text)
{
    for (QAction* a : menu->actions()) {
        if (a->text().remove('&').startsWith(text))
            return a;
        if (a->menu())
            if (QAction* inner = findAction(a->menu(), text))
                return inner;
    }
    return nullptr;
}

} // namespace

class TestExportActions : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { qputenv("BIASGUARD_NO_DIALOGS", "1"); }

    void triggeredExportsWriteTheirFiles_data()
    {
        QTest::addColumn<QString>("action");
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("mustContain");
        QTest::newRow("float") << "Float Model" << "fixed.onnx" << bg::kProvenanceKey;
        QTest::newRow("qdq") << "QDQ Model" << "qdq.onnx" << "QuantizeLinear";
        QTest::newRow("encodings") << "Encodings" << "demo.encodings" << "\"activation_encodings\"";
        QTest::newRow("overlay bits") << "bits" << "overlay.json" << "\"thresholds\"";
    }

    void triggeredExportsWriteTheirFiles()
    {
        QFETCH(QString, action);
        QFETCH(QString, file);
        QFETCH(QString, mustContain);
        QWidget window;
        const ExportContext context = analysedDemo();
        ExportActions actions([&] { return context; }, &window);
        QTemporaryDir dir;
        const QString path = dir.filePath(file);
        actions.setPathChooser([&](const QString&, const QString&, const QString&) { return path; });
        QSignalSpy done(&actions, &ExportActions::exported);
        QAction* a = findAction(actions.menu(), action);
        QVERIFY(a && a->isEnabled());
        a->trigger();
        QCOMPARE(done.count(), 1);
        QCOMPARE(done.at(0).at(0).toString(), path);
        const std::string bytes = bg::readWholeFile(path.toStdString());
        QVERIFY2(bytes.find(mustContain.toStdString()) != std::string::npos, qPrintable(mustContain));
        if (file.endsWith(".json")) {
            const bg::JsonValue root = bg::parseJson(bytes, "overlay");
            QVERIFY(root.find(bg::exportGraphName(context.model->graph.graphName)));
        }
    }

    void failuresNameTheFile()
    {
        QWidget window;
        ExportContext context;  // nothing analysed
        context.modelPath = "model.onnx";
        ExportActions actions([&] { return context; }, &window);
        QTemporaryDir dir;
        const QString path = dir.filePath("x.encodings");
        actions.setPathChooser([&](const QString&, const QString&, const QString&) { return path; });
        QSignalSpy failed(&actions, &ExportActions::exportFailed);
        findAction(actions.menu(), "Encodings")->trigger();
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.at(0).at(0).toString().contains(path), qPrintable(failed.at(0).at(0).toString()));
        QVERIFY(!QFile::exists(path));
        // A SQNR overlay needs a comparison.
        const ExportContext analysed = analysedDemo();
        ExportActions withAnalysis([&] { return analysed; }, &window);
        QString error;
        QVERIFY(!withAnalysis.exportOverlay(dir.filePath("o.json"), bg::OverlayFigure::SqnrFixed, &error));
        QVERIFY2(error.contains("comparison"), qPrintable(error));
    }
};

QTEST_MAIN(TestExportActions)
#include "tst_export_actions.moc"
