// Hostile models through every command that processes a model, driven as a user would: each is
// refused with exit code 1 and a message that names the model file, whatever stage found the
// problem (the loader, the pair finder, the calibration's float run, the analysis, the integer runtime).
#include "common/process_runner.h"
#include "common/test_paths.h"

#include "export/onnx_builder.h"
#include "model/tensor_file.h"

#include <QTemporaryDir>
#include <QtTest>

#include <functional>

namespace {

bgtest::ProcessResult runCli(const QStringList& args)
{
    return bgtest::runProgram(QString::fromStdString(bgtest::cliPath()), args);
}

bg::Tensor filled(bg::Shape shape, float v)
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    return bg::Tensor(std::move(shape), std::vector<float>(static_cast<size_t>(n), v));
}

// Conv (4 output channels) -> BatchNormalization with per-channel parameters of `bnChannels`.
void convBn(bg::OnnxBuilder& b, bg::Shape weightShape, int64_t bnChannels)
{
    b.input("x", {1, 3, 8, 8}).output("y");
    b.initializer("w", filled(std::move(weightShape), 0.1f));
    for (const char* p : {"gamma", "beta", "mean", "var"})
        b.initializer(p, filled({bnChannels}, 0.5f));
    b.node("Conv", {"x", "w"}, {"z"}, {}, "conv");
    b.node("BatchNormalization", {"z", "gamma", "beta", "mean", "var"}, {"y"}, {}, "bn");
}

} // namespace

class TestHostileModelsCli : public QObject {
    Q_OBJECT
private slots:
    void refusedNamingTheFile_data()
    {
        QTest::addColumn<QString>("model");
        QTest::addColumn<QString>("command");
        const std::vector<std::pair<QString, std::function<void(bg::OnnxBuilder&)>>> models = {
            {"conv_weight_rank1", [](bg::OnnxBuilder& b) { convBn(b, {12}, 4); }},
            {"bn_scale_too_short", [](bg::OnnxBuilder& b) { convBn(b, {4, 3, 3, 3}, 3); }},
            {"conv_channels_mismatch", [](bg::OnnxBuilder& b) { convBn(b, {4, 5, 3, 3}, 4); }},
        };
        for (const auto& [name, build] : models)
            for (const QString command : {"analyze", "compare", "fix", "report", "run"})
                QTest::newRow(qPrintable(name + " " + command)) << name << command;
        models_ = models;
    }
    void refusedNamingTheFile()
    {
        QFETCH(QString, model);
        QFETCH(QString, command);
        QTemporaryDir dir;
        const QString path = dir.filePath(model + ".onnx");
        bg::OnnxBuilder b;
        for (const auto& [name, build] : models_)
            if (name == model)
                build(b);
        b.save(path.toStdString());
        QStringList args{command, path};
        if (command == "fix" || command == "report")
            args << "--out" << dir.filePath(command == "fix" ? "fixed.onnx" : "report.pdf");
        if (command == "run") {
            bg::writeTensorProtoFile(dir.filePath("input_0.pb").toStdString(), "x", filled({1, 3, 8, 8}, 0.25f));
            args << "--mode" << "int" << "--input-dir" << dir.path() << "--output-dir" << dir.filePath("out");
        }
        const auto r = runCli(args);
        QVERIFY2(r.code == 1, qPrintable(QString("exit %1: %2").arg(r.code).arg(r.err)));
        QVERIFY2(r.err.contains(path), qPrintable(r.err));
        QVERIFY2(!r.err.contains("internal error"), qPrintable(r.err));
    }

private:
    std::vector<std::pair<QString, std::function<void(bg::OnnxBuilder&)>>> models_;
};

QTEST_GUILESS_MAIN(TestHostileModelsCli)
#include "tst_hostile_models_cli.moc"
