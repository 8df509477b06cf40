// biasguard-cli --version: the version, the ISA oneDNN runs and the integer kernel path of every
// setting, natively and with oneDNN capped at AVX2 (a CPU without VNNI, on any machine).
#include "common/test_paths.h"

#include <QFile>
#include <QProcess>
#include <QtTest>

namespace {

QString runVersion(const QString& isaCap)
{
    QProcess p;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("ONEDNN_MAX_CPU_ISA");
    if (!isaCap.isEmpty())
        env.insert("ONEDNN_MAX_CPU_ISA", isaCap);
    p.setProcessEnvironment(env);
    p.start(QString::fromStdString(bgtest::cliPath()), {"--version"});
    if (!p.waitForFinished(60000) || p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
        return {};
    return QString::fromUtf8(p.readAllStandardOutput());
}

bool cpuHasVnni()
{
    QFile f("/proc/cpuinfo");
    return f.open(QIODevice::ReadOnly) && f.readAll().contains(" avx512_vnni");
}

} // namespace

class TestVersionCli : public QObject {
    Q_OBJECT
private slots:
    void withoutVnniEightBitsRunSplit()
    {
        const QString out = runVersion("AVX2");
        QVERIFY2(out.startsWith("biasguard-cli " BIASGUARD_VERSION "\n"), qPrintable(out));
        QVERIFY2(out.contains("CPU ISA in use: avx2 (no VNNI)"), qPrintable(out));
        // Only W8/A8 can saturate a pair of products (2·255·127 > 32767; 2·127·127 and 2·255·63 fit).
        QVERIFY2(out.contains(QRegularExpression("onednn-split: .*: W8/A8\n")), qPrintable(out));
        QVERIFY2(out.contains(QRegularExpression("onednn: .*: every setting but W8/A8\n")), qPrintable(out));
    }

    void nativeIsaIsNamed()
    {
        const QString out = runVersion({});
        QVERIFY2(out.contains("CPU ISA in use: "), qPrintable(out));
        // A CPU with AVX-512 VNNI runs one primitive at every width; one without it splits W8/A8.
        if (cpuHasVnni()) {
            QVERIFY2(out.contains("(VNNI)"), qPrintable(out));
            QVERIFY2(out.contains("onednn: one oneDNN u8×s8 primitive on the codes: every setting"), qPrintable(out));
            QVERIFY(!out.contains("onednn-split"));
        } else {
            QVERIFY2(out.contains("onednn-split: "), qPrintable(out));
        }
    }
};

QTEST_GUILESS_MAIN(TestVersionCli)
#include "tst_version_cli.moc"
