// biasguard-cli: the headless front end. Every subcommand drives the same core as the GUI.
#include "cli_command.h"
#include "gui_libraries.h"

#include "io/error.h"
#include "io/interrupt_cleanup.h"
#include "integer/int_kernel_info.h"

#include <QCoreApplication>
#include <QTextStream>

#include <exception>
#include <memory>

namespace {

const bgcli::Command kCommands[] = {
    {"run", "run a model (float, or the integer pipeline) on input_K.pb files", bgcli::runCommand},
    {"analyze", "per-channel merged-bias analysis of every foldable Conv/Gemm->BatchNorm pair", bgcli::analyzeCommand},
    {"compare", "float vs integer pipeline (naive fold and fixed): SQNR, cosine, per layer", bgcli::compareCommand},
    {"fix", "export the fix: fixed float model, QDQ model, AIMET encodings or Model Explorer overlay", bgcli::fixCommand},
    {"report", "analysis and comparison as a PDF report", bgcli::reportCommand},
    {"sweep", "weight x bias widths: analysis and comparison at each, and the bias width to use", bgcli::sweepCommand},
    {"targets", "the hardware presets of --target (widths, granularity, sources)", bgcli::targetsCommand},
    {"bench", "timings of the re-analysis and of the incremental integer re-run (scripts/bench.sh)", bgcli::benchCommand},
};

void printUsage(QTextStream& out)
{
    out << "usage: biasguard-cli <command> [options]   (biasguard-cli <command> --help for details)\n\ncommands:\n";
    for (const auto& c : kCommands)
        out << "  " << QString(c.name).leftJustified(10) << c.summary << "\n";
}

} // namespace

int main(int argc, char** argv)
{
    // SIGINT/SIGTERM/SIGHUP remove the temporary file of an output being written, then end the
    // process as the signal would have (io/interrupt_cleanup.h): no partial file, input untouched.
    bg::installInterruptCleanup();
    // A QApplication for `report`; in biasguard-cli, commands that need Qt's GUI libraries are
    // handed over to biasguard-cli-full here (gui_libraries.h).
    const std::unique_ptr<QCoreApplication> app = bgcli::makeApplication(argc, argv);
    QCoreApplication::setApplicationName("biasguard-cli");
    QCoreApplication::setApplicationVersion(BIASGUARD_VERSION);
    QTextStream err(stderr);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 2 || args[1] == "--help" || args[1] == "-h") {
        QTextStream out(stdout);
        printUsage(args.size() < 2 ? err : out);
        return args.size() < 2 ? bgcli::Usage : bgcli::Ok;
    }
    if (args[1] == "--version" || args[1] == "--about") {
        QTextStream out(stdout);
        out << "biasguard-cli " << BIASGUARD_VERSION << "\n";
        for (const std::string& line : bg::describeIntKernelInfo(bg::intKernelInfo()))
            out << QString::fromStdString(line) << "\n";
        return bgcli::Ok;
    }
    for (const auto& c : kCommands) {
        if (args[1] != c.name)
            continue;
        QStringList sub = args.mid(1);
        sub[0] = QString("biasguard-cli ") + c.name;
        try {
            return c.run(sub);
        } catch (const bg::Error& e) {
            err << "biasguard-cli " << c.name << ": error: " << e.what() << "\n";
            return e.code() == bg::ErrorCode::BadSetting ? bgcli::Usage : bgcli::Failure;
        } catch (const std::exception& e) {
            err << "biasguard-cli " << c.name << ": internal error: " << e.what() << "\n";
            return bgcli::Failure;
        }
    }
    err << "biasguard-cli: unknown command '" << args[1] << "'\n";
    printUsage(err);
    return bgcli::Usage;
}
