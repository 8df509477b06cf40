#pragma once
// Runs a program as a user would (QProcess) and returns its exit code and both output streams;
// the CLI end-to-end tests drive biasguard-cli with it.
#include <QString>
#include <QStringList>

namespace bgtest {

struct ProcessResult {
    int code = -1;  // -1 when the program crashed or did not finish in time
    QString out;
    QString err;
};

ProcessResult runProgram(const QString& program, const QStringList& args, int timeoutMs = 600000);

} // namespace bgtest
