// biasguard-cli-full: the CLI with Qt's GUI libraries linked (gui_libraries.h). It runs every
// command itself, the report and image folders included.
#include "gui_libraries.h"

#include "calibration_opener.h"

#include <QApplication>
#include <QTextStream>

#include <cstring>

namespace bgcli {

std::unique_ptr<QCoreApplication> makeApplication(int& argc, char** argv)
{
    // `report` draws the GUI's chart widgets into the PDF: it needs a QApplication, and no display.
    if (argc > 1 && std::strcmp(argv[1], "report") == 0) {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
        // Without a desktop session Qt warns that XDG_RUNTIME_DIR is unset; the report needs none.
        static const QtMessageHandler previous = qInstallMessageHandler(nullptr);
        qInstallMessageHandler([](QtMsgType type, const QMessageLogContext& context, const QString& message) {
            if (message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR")))
                return;
            if (previous)
                previous(type, context, message);
            else
                QTextStream(stderr) << message << "\n";
        });
        return std::make_unique<QApplication>(argc, argv);
    }
    return std::make_unique<QCoreApplication>(argc, argv);
}

std::unique_ptr<bg::CalibrationSource> openCalibrationFolder(const QString& path, const bg::Graph& graph,
                                                             const ImageCalibrationOptions& imageOptions)
{
    return openCalibration(path, graph, imageOptions);
}

} // namespace bgcli
