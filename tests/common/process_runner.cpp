#include "common/process_runner.h"

#include <QProcess>

namespace bgtest {

ProcessResult runProgram(const QString& program, const QStringList& args, int timeoutMs)
{
    QProcess p;
    p.start(program, args);
    const bool finished = p.waitForFinished(timeoutMs);
    ProcessResult r;
    r.code = finished && p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    r.out = QString::fromUtf8(p.readAllStandardOutput());
    r.err = QString::fromUtf8(p.readAllStandardError());
    return r;
}

} // namespace bgtest
