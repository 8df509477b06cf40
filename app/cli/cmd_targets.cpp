// biasguard-cli targets: the hardware presets --target takes, with their widths and sources.
#include "cli_command.h"

#include "arithmetic/hardware_target.h"

#include <QTextStream>

namespace bgcli {

int targetsCommand(const QStringList& args)
{
    QTextStream out(stdout);
    const bool verbose = args.contains("--sources") || args.contains("-v");
    if (args.contains("--help") || args.contains("-h")) {
        out << "usage: " << args.value(0) << " [--sources]\n\nLists the hardware presets of --target (analyze, "
               "compare, fix, report, sweep): weight/activation/bias widths and granularity; --sources also prints "
               "the public source of each figure.\n";
        return Ok;
    }
    for (int i = 1; i < args.size(); ++i)
        if (args[i] != "--sources" && args[i] != "-v") {
            QTextStream(stderr) << args.value(0) << ": unknown argument '" << args[i] << "'\n";
            return Usage;
        }
    out << QString("%1 %2 %3 %4 %5  %6\n").arg("target", -22).arg("W", 2).arg("A", 3).arg("bias", 4)
               .arg("granularity", -12).arg("title");
    for (const bg::HardwareTarget& t : bg::builtinTargets()) {
        out << QString("%1 %2 %3 %4 %5  %6\n")
                   .arg(QString::fromStdString(t.name), -22)
                   .arg(t.weightBits, 2)
                   .arg(t.activationBits, 3)
                   .arg(t.biasBits, 4)
                   .arg(bg::granularityName(t.granularity), -12)
                   .arg(QString::fromStdString(t.title));
        if (!t.applies)
            out << "    not applicable: " << QString::fromStdString(t.reason) << "\n";
        if (verbose) {
            if (!t.note.empty())
                out << "    note: " << QString::fromStdString(t.note) << "\n";
            for (const bg::TargetSource& s : t.sources)
                out << "    source: " << QString::fromStdString(s.url) << "\n      \"" << QString::fromStdString(s.says)
                    << "\"\n";
        }
    }
    if (!verbose)
        out << "\n(--sources prints where each figure comes from)\n";
    return Ok;
}

} // namespace bgcli
