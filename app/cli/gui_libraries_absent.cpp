// biasguard-cli: the CLI with Qt Core alone (gui_libraries.h). A command line that needs Qt's GUI
// libraries (the report, a calibration folder of images) is handed over to biasguard-cli-full.
#include "gui_libraries.h"

#include "cli_command.h"

#include "calibration/calibration_source_factory.h"
#include "io/error.h"

#include <QTextStream>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>

#include <unistd.h>

namespace bgcli {

namespace {

constexpr const char* kFullCli = "biasguard-cli-full";

bool isImageFolder(const std::string& path)
{
    try {
        return bg::detectCalibrationFolder(path) == bg::CalibrationFolderKind::Images;
    } catch (const bg::Error&) {
        return false;  // missing or unusable: the command reports it as it opens the folder
    }
}

// `report`, or a --calib / --inputs folder of images (either spelling of a Qt option value).
bool needsGuiLibraries(int argc, char** argv)
{
    if (argc > 1 && std::strcmp(argv[1], "report") == 0)
        return true;
    for (int i = 2; i < argc; ++i) {
        const std::string_view arg = argv[i];
        for (const std::string_view option : {std::string_view("--calib"), std::string_view("--inputs")}) {
            std::optional<std::string> value;
            if (arg == option && i + 1 < argc)
                value = argv[i + 1];
            else if (arg.size() > option.size() && arg.starts_with(option) && arg[option.size()] == '=')
                value = std::string(arg.substr(option.size() + 1));
            if (value && !value->empty() && isImageFolder(*value))
                return true;
        }
    }
    return false;
}

std::string fullCliPath()
{
    std::error_code ec;
    const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
    return ((ec ? std::filesystem::path(".") : self.parent_path()) / kFullCli).string();
}

} // namespace

std::unique_ptr<QCoreApplication> makeApplication(int& argc, char** argv)
{
    if (needsGuiLibraries(argc, argv)) {
        const std::string full = fullCliPath();
        ::execv(full.c_str(), argv);  // returns only on failure
        const int error = errno;
        QTextStream(stderr) << "biasguard-cli: " << (argc > 1 && std::strcmp(argv[1], "report") == 0 ? "report" : "an image folder")
                            << " needs " << QString::fromStdString(full)
                            << " (the CLI with Qt's GUI libraries, built beside biasguard-cli): " << std::strerror(error) << "\n";
        std::exit(Failure);
    }
    return std::make_unique<QCoreApplication>(argc, argv);
}

std::unique_ptr<bg::CalibrationSource> openCalibrationFolder(const QString& path, const bg::Graph& graph,
                                                             const ImageCalibrationOptions& imageOptions)
{
    if (path.isEmpty())
        return bg::openSyntheticCalibration(graph, imageOptions.height, imageOptions.width);
    const std::string dir = path.toStdString();
    // makeApplication handed image folders over; one that became an image folder since is refused.
    if (bg::detectCalibrationFolder(dir) == bg::CalibrationFolderKind::Images)
        throw bg::Error(bg::ErrorCode::BadInput, dir, std::string("holds images, which ") + kFullCli + " decodes; run it instead");
    return bg::openCalibrationSource(dir, graph);
}

// makeApplication hands `report` over before any command runs: this one is never reached.
int reportCommand(const QStringList& args)
{
    QTextStream(stderr) << args.value(0) << ": error: the PDF report is drawn by " << kFullCli << "\n";
    return Failure;
}

} // namespace bgcli
