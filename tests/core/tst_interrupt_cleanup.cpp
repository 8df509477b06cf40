// io/interrupt_cleanup.h: a signal that arrives while an output's temporary file exists removes
// that file and still ends the process with the signal; a file no longer registered (renamed into
// place) is left alone. Each case runs in a forked child, which signals itself while "writing".
#include "io/interrupt_cleanup.h"

#include <QTemporaryDir>
#include <QtTest>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

class TestInterruptCleanup : public QObject {
    Q_OBJECT

private slots:
    void signalRemovesRegisteredTemporaries_data();
    void signalRemovesRegisteredTemporaries();
};

void TestInterruptCleanup::signalRemovesRegisteredTemporaries_data()
{
    QTest::addColumn<int>("sig");
    QTest::addColumn<bool>("stillRegistered");
    QTest::newRow("SIGINT while writing") << SIGINT << true;
    QTest::newRow("SIGTERM while writing") << SIGTERM << true;
    QTest::newRow("SIGHUP while writing") << SIGHUP << true;
    QTest::newRow("SIGTERM after the registration ended") << SIGTERM << false;
}

void TestInterruptCleanup::signalRemovesRegisteredTemporaries()
{
    QFETCH(int, sig);
    QFETCH(bool, stillRegistered);
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string tmp = dir.filePath(".out.onnx.tmp123").toStdString();
    const std::string other = dir.filePath(".other.tmp").toStdString();
    std::ofstream(other) << "not registered";

    const pid_t child = fork();
    QVERIFY(child >= 0);
    if (child == 0) {
        bg::installInterruptCleanup();
        bg::installInterruptCleanup();  // idempotent
        {
            bg::TemporaryFileRegistration keepAlive(dir.filePath("unrelated").toStdString());
            bg::TemporaryFileRegistration reg(tmp);
            std::ofstream(tmp) << "half a model";
            if (stillRegistered)
                ::raise(sig);
        }
        ::raise(sig);
        ::_exit(0);  // not reached: the signal ends the child
    }
    int status = 0;
    QCOMPARE(waitpid(child, &status, 0), child);
    QVERIFY2(WIFSIGNALED(status), "the child was not ended by the signal");
    QCOMPARE(WTERMSIG(status), sig);
    QCOMPARE(std::filesystem::exists(tmp), !stillRegistered);
    QVERIFY(std::filesystem::exists(other));
}

QTEST_GUILESS_MAIN(TestInterruptCleanup)
#include "tst_interrupt_cleanup.moc"
