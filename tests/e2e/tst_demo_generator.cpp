// tools/demo_model/train_slimmed_demo.py, run where its dependencies are (Debian's /usr/bin/python3
// with python3-numpy, and python3-torch for training; skipped with a message otherwise): it remakes
// the committed labelled test set and calibration set byte for byte, and a one-epoch training on a
// few samples exports an ONNX model whose four Conv→BatchNormalization pairs BiasGuard finds.
#include "common/process_runner.h"
#include "common/test_paths.h"
#include "folding/model_structure.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

namespace {

const QString kPython = "/usr/bin/python3";

bool canImport(const QString& module)
{
    if (!QFile::exists(kPython))
        return false;
    return bgtest::runProgram(kPython, {"-c", "import " + module}, 300000).code == 0;
}

QString generator() { return QString::fromStdString(bgtest::sourcePath("tools/demo_model/train_slimmed_demo.py")); }

QByteArray readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestDemoGenerator : public QObject {
    Q_OBJECT
private slots:
    void dataMatchesCommitted()
    {
        if (!canImport("numpy"))
            QSKIP("/usr/bin/python3 cannot import numpy (apt-get install python3-numpy): generator not run");
        QTemporaryDir out;
        QVERIFY(out.isValid());
        const bgtest::ProcessResult r = bgtest::runProgram(kPython, {generator(), "--data-only", "--out-dir", out.path()});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const QString committed = QString::fromStdString(bgtest::sourcePath("resources/models/demo"));
        int files = 0;
        for (const QString& set : {QString("testset"), QString("calib")}) {
            QDirIterator it(committed + "/" + set, QDir::Files, QDirIterator::Subdirectories);
            while (it.hasNext()) {
                const QString path = it.next();
                const QString rel = QDir(committed).relativeFilePath(path);
                const QByteArray made = readAll(out.path() + "/" + rel);
                QVERIFY2(!made.isEmpty(), qPrintable(rel + " was not made"));
                QVERIFY2(made == readAll(path), qPrintable(rel + " differs from the committed file"));
                ++files;
            }
            // No file made that is not committed.
            QDirIterator madeIt(out.path() + "/" + set, QDir::Files, QDirIterator::Subdirectories);
            while (madeIt.hasNext()) {
                const QString rel = QDir(out.path()).relativeFilePath(madeIt.next());
                QVERIFY2(QFile::exists(committed + "/" + rel), qPrintable(rel + " is not committed"));
            }
        }
        QVERIFY(files > 100);
    }

    void tinyTrainingExports()
    {
        if (!canImport("torch"))
            QSKIP("/usr/bin/python3 cannot import torch (apt-get install python3-torch): training not run");
        QTemporaryDir out;
        QVERIFY(out.isValid());
        const bgtest::ProcessResult r = bgtest::runProgram(
            kPython, {generator(), "--out-dir", out.path(), "--epochs", "1", "--train-samples", "128",
                      "--test-samples", "10", "--calib-samples", "2"});
        QVERIFY2(r.code == 0, qPrintable(r.err));
        const auto model = bg::loadModelStructure((out.path() + "/trained_slimmed_cnn.onnx").toStdString());
        QCOMPARE(model->pairs.pairs.size(), size_t(4));
        QCOMPARE(model->graph.outputs.size(), size_t(1));
    }
};

QTEST_APPLESS_MAIN(TestDemoGenerator)
#include "tst_demo_generator.moc"
