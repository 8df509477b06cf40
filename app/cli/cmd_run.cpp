// biasguard-cli run: executes the model on input_K.pb files and writes output_K.pb.
#include "cli_command.h"
#include "cli_parser.h"

#include "model/input_folder.h"
#include "model/model_loader.h"
#include "model/tensor_file.h"
#include "runtime/float_runtime.h"

#include <QDir>
#include <QElapsedTimer>
#include <QTextStream>

namespace bgcli {

int runCommand(const QStringList& args)
{
    CliParser cli("Runs MODEL on DIR/input_K.pb (matched by name when set, else by position) and writes "
                  "DIR/output_K.pb in the order of the graph outputs.",
                  "MODEL", "the .onnx model");
    cli.addValueOption("input-dir", "DIR", "folder with input_0.pb, input_1.pb, ...");
    cli.addValueOption("output-dir", "DIR", "folder to write output_K.pb into (created if missing)");
    cli.addValueOption("kernels", "K", "fast (oneDNN) or reference (plain loops)", "fast");
    if (auto code = cli.parse(args))
        return *code;
    QTextStream err(stderr);
    if (!cli.isSet("input-dir") || !cli.isSet("output-dir")) {
        err << args[0] << ": --input-dir and --output-dir are required\n";
        return Usage;
    }
    const QString kernels = cli.value("kernels");
    if (kernels != "fast" && kernels != "reference") {
        err << args[0] << ": --kernels must be fast or reference\n";
        return Usage;
    }

    const bg::Graph graph = bg::loadModel(cli.positional().toStdString());
    const bg::FloatRuntime runtime(graph);
    const auto inputs = bg::readInputFolder(cli.value("input-dir").toStdString(), graph);
    bg::RunOptions options;
    options.kernels = kernels == "fast" ? bg::KernelChoice::Fast : bg::KernelChoice::Reference;
    QElapsedTimer timer;
    timer.start();
    const bg::TensorMap outputs = runtime.run(inputs, options);
    const qint64 ms = timer.elapsed();

    const QString outDir = cli.value("output-dir");
    if (!QDir().mkpath(outDir))
        throw bg::Error(bg::ErrorCode::WriteFailed, outDir.toStdString(), "cannot create the output folder");
    QTextStream out(stdout);
    for (size_t k = 0; k < graph.outputs.size(); ++k) {
        const auto& name = graph.outputs[k].name;
        const QString file = QDir(outDir).filePath(QString("output_%1.pb").arg(k));
        bg::writeTensorProtoFile(file.toStdString(), name, outputs.at(name));
        out << "output " << k << " '" << QString::fromStdString(name) << "' "
            << QString::fromStdString(bg::shapeToString(outputs.at(name).shape())) << " -> " << file << "\n";
    }
    out << "float run: " << ms << " ms\n";
    return Ok;
}

} // namespace bgcli
