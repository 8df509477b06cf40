// biasguard-cli fix, driven as a user would: the fixed model loads with no foldable BatchNorm left and
// with gamma separation where auto separates; the input model is never overwritten.
#include "common/process_runner.h"
#include "common/test_paths.h"

#include "folding/fold_pair_finder.h"
#include "io/atomic_file.h"
#include "io/file_reader.h"
#include "model/model_loader.h"

#include <QTemporaryDir>
#include <QtTest>

namespace {

bgtest::ProcessResult runCli(const QStringList& args) { return bgtest::runProgram(QString::fromStdString(bgtest::cliPath()), args); }

} // namespace

class TestFixCli : public QObject {
    Q_OBJECT
private slots:
    void writesTheFixedModel()
    {
        QTemporaryDir dir;
        const QString out = dir.filePath("demo_fixed.onnx");
        const auto r = runCli({"fix", QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx")),
                               "--out", out});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        // The demo at the default settings: 7 pairs, auto separates conv2 c25 and conv6 c5.
        QVERIFY2(r.out.contains("folded 7 BatchNorm pairs; gamma separation kept on 2 channels of 2 layers"), qPrintable(r.out));
        const bg::Graph fixed = bg::loadModel(out.toStdString());
        QVERIFY(bg::findFoldPairs(fixed).pairs.empty());
        int bn = 0;
        for (const auto& n : fixed.nodes)
            bn += n.opType == "BatchNormalization" ? 1 : 0;
        QCOMPARE(bn, 0);
    }

    void refusals()
    {
        QTemporaryDir dir;
        const QString model = dir.filePath("demo.onnx");
        const std::string bytes = bg::readWholeFile(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx"));
        bg::writeFileAtomically(model.toStdString(), bytes);
        QCOMPARE(runCli({"fix", model}).code, 2);  // --out is required
        const auto same = runCli({"fix", model, "--out", model});
        QCOMPARE(same.code, 2);
        QVERIFY2(same.err.contains("never overwrites"), qPrintable(same.err));
        QVERIFY(bg::readWholeFile(model.toStdString()) == bytes);
        const QString bad = dir.filePath("missing/dir/x.onnx");
        const auto r = runCli({"fix", model, "--out", bad});
        QCOMPARE(r.code, 1);
        QVERIFY2(r.err.contains(bad), qPrintable(r.err));
    }
};

QTEST_APPLESS_MAIN(TestFixCli)
#include "tst_fix_cli.moc"
