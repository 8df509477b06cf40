#pragma once
// One subcommand of biasguard-cli. Each lives in its own cmd_<name>.cpp and is listed in main.cpp.
#include <QStringList>

namespace bgcli {

// Exit codes shared by every subcommand (documented in the README).
enum ExitCode { Ok = 0, Failure = 1, Usage = 2 };

struct Command {
    const char* name;
    const char* summary;
    int (*run)(const QStringList& args);  // args[0] is "biasguard-cli <name>"
};

int runCommand(const QStringList& args);
int analyzeCommand(const QStringList& args);
int compareCommand(const QStringList& args);
int reportCommand(const QStringList& args);
int fixCommand(const QStringList& args);
int sweepCommand(const QStringList& args);
int targetsCommand(const QStringList& args);
int benchCommand(const QStringList& args);

} // namespace bgcli
