// Every input a fuzz target (tests/fuzz, scripts/fuzz.sh) once crashed on, replayed through the
// same target body in the normal build: tests/data/fuzz_regressions/<target>/<input>. A target
// body answers a hostile input with a bg::Error at most; a crash, an abort or another exception
// fails this test.
#include "common/test_paths.h"

#include "fuzz_targets.h"

#include <QDir>
#include <QFile>
#include <QtTest>

class TestFuzzRegressions : public QObject {
    Q_OBJECT

private slots:
    void replay_data();
    void replay();
};

void TestFuzzRegressions::replay_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("file");
    int inputs = 0;
    for (const bgfuzz::TargetInfo& t : bgfuzz::targets()) {
        const QDir dir(QString::fromStdString(bgtest::sourcePath("tests/data/fuzz_regressions/" + std::string(t.name))));
        for (const QString& f : dir.entryList(QDir::Files, QDir::Name)) {
            if (f.startsWith('.') || f == "README.md")
                continue;
            QTest::newRow(qPrintable(QString(t.name) + "/" + f)) << QString(t.name) << dir.filePath(f);
            ++inputs;
        }
    }
    if (inputs == 0)
        QTest::newRow("none") << QString() << QString();
}

void TestFuzzRegressions::replay()
{
    QFETCH(QString, target);
    QFETCH(QString, file);
    if (target.isEmpty())
        QSKIP("no committed fuzz regression inputs");
    QFile f(file);
    QVERIFY2(f.open(QIODevice::ReadOnly), qPrintable(file));
    const QByteArray bytes = f.readAll();
    for (const bgfuzz::TargetInfo& t : bgfuzz::targets())
        if (target == t.name) {
            try {
                t.run(reinterpret_cast<const uint8_t*>(bytes.constData()), static_cast<size_t>(bytes.size()));
            } catch (const std::exception& e) {
                QFAIL(qPrintable(QString("a non-bg exception escaped: ") + e.what()));
            }
            return;
        }
    QFAIL("unknown target");
}

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzz_regressions.moc"
