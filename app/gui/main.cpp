// biasguard: the desktop application. `biasguard [MODEL.onnx]` opens MODEL, else the demo model.
#include "io/interrupt_cleanup.h"
#include "main_window.h"

#include <QApplication>
#include <QCommandLineParser>

int main(int argc, char** argv)
{
    // An interrupted GUI leaves no temporary output file behind (io/interrupt_cleanup.h).
    bg::installInterruptCleanup();
    QApplication app(argc, argv);
    QApplication::setApplicationName("BiasGuard");
    QApplication::setApplicationVersion(BIASGUARD_VERSION);
    QCommandLineParser parser;
    parser.setApplicationDescription("BiasGuard: BatchNorm-fold bias overflow analysis for low-bit CNNs");
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument("model", "ONNX model to open (default: the bundled demo model)");
    parser.process(app);

    MainWindow window;
    window.show();
    const QStringList pos = parser.positionalArguments();
    const QString model = pos.isEmpty() ? MainWindow::bundledDemoModel() : pos.front();
    if (!model.isEmpty())
        window.openModel(model);
    return app.exec();
}
