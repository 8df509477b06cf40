// biasguard: the desktop application. `biasguard [MODEL.onnx]` opens MODEL, else the demo model.
// --input-size HxW analyses MODEL's dynamic H/W at that size; --screenshot DIR writes a PNG of
// every tab after the analysis and the comparison ran, then quits (scripts/screenshots.sh).
#include "io/interrupt_cleanup.h"
#include "main_window.h"
#include "screenshot_run.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QRegularExpression>
#include <QSettings>
#include <QTemporaryDir>
#include <QTextStream>

int main(int argc, char** argv)
{
    // An interrupted GUI leaves no temporary output file behind (io/interrupt_cleanup.h).
    bg::installInterruptCleanup();
    QApplication app(argc, argv);
    QApplication::setOrganizationName("BiasGuard");
    QApplication::setApplicationName("BiasGuard");
    QApplication::setApplicationVersion(BIASGUARD_VERSION);
    QCommandLineParser parser;
    parser.setApplicationDescription("BiasGuard: BatchNorm-fold bias overflow analysis for low-bit CNNs");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("model", "ONNX model to open (default: the bundled demo model)");
    const QCommandLineOption inputSize("input-size", "height and width for inputs whose H/W are dynamic", "HxW");
    const QCommandLineOption screenshot("screenshot", "save every tab as DIR/<model>_<tab>.png, then quit", "DIR");
    parser.addOption(inputSize);
    parser.addOption(screenshot);
    parser.process(app);

    QSize size;
    if (parser.isSet(inputSize)) {
        const QRegularExpressionMatch m = QRegularExpression("^(\\d+)x(\\d+)$").match(parser.value(inputSize));
        if (!m.hasMatch() || m.captured(1).toInt() <= 0 || m.captured(2).toInt() <= 0) {
            QTextStream(stderr) << "biasguard: --input-size '" << parser.value(inputSize) << "' is not HxW, e.g. 48x192\n";
            return 2;
        }
        size = QSize(m.captured(2).toInt(), m.captured(1).toInt());
    }
    // A screenshot run shows the defaults, not this user's remembered settings, and leaves them alone.
    QTemporaryDir scratchSettings;
    if (parser.isSet(screenshot))
        QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, scratchSettings.path());

    MainWindow window;
    if (parser.isSet(screenshot))
        window.resize(1500, 950);
    window.show();
    window.setInputSizeOverride(size);
    const QStringList pos = parser.positionalArguments();
    const QString model = pos.isEmpty() ? MainWindow::bundledDemoModel() : pos.front();
    if (parser.isSet(screenshot)) {
        ScreenshotRun run(&window, parser.value(screenshot));
        QObject::connect(&run, &ScreenshotRun::finished, &app, &QCoreApplication::exit);
        run.start(model);
        return app.exec();
    }
    if (!model.isEmpty())
        window.openModel(model);
    return app.exec();
}
