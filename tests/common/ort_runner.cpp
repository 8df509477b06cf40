#include "common/ort_runner.h"

#include "common/test_paths.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

namespace bgtest {

QString ortMissing()
{
    if (QStandardPaths::findExecutable("node").isEmpty())
        return "node is not on PATH: install Node.js (scripts/install-deps.sh) and run scripts/install-ort.sh";
    const QString package = QString::fromStdString(sourcePath("tools/ort/node_modules/onnxruntime-node/package.json"));
    if (!QFileInfo::exists(package))
        return "onnxruntime-node is not installed in tools/ort (" + package + " is missing): run scripts/install-ort.sh";
    return {};
}

ProcessResult runOrt(const QString& model, const QString& inputDir, const QString& outputDir)
{
    QDir().mkpath(outputDir);
    return runProgram(QStandardPaths::findExecutable("node"),
                      {QString::fromStdString(sourcePath("tools/ort/run_ort.mjs")), model, inputDir, outputDir});
}

ProcessResult runOrtBatch(const QString& jobsFile, const QStringList& args)
{
    return runProgram(QStandardPaths::findExecutable("node"),
                      QStringList{QString::fromStdString(sourcePath("tools/ort/run_ort.mjs")), "--batch", jobsFile} + args);
}

} // namespace bgtest
