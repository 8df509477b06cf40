#pragma once
// ONNX Runtime for the tests: tools/ort/run_ort.mjs (node + npm onnxruntime-node, which
// scripts/install-ort.sh installs for the suite) run on a model and an input folder. A test that
// needs ONNX Runtime fails, not skips, when it is missing: the suite's set-up installs it.
#include "common/process_runner.h"

#include <QString>

namespace bgtest {

// Empty when node and onnxruntime-node are installed, else what is missing and how to install it.
QString ortMissing();

// node tools/ort/run_ort.mjs MODEL INPUT_DIR OUTPUT_DIR (writes OUTPUT_DIR/output_K.pb).
ProcessResult runOrt(const QString& model, const QString& inputDir, const QString& outputDir);

// node tools/ort/run_ort.mjs --batch JOBS [ARGS]: one process for every "MODEL\tINPUT_DIR\tOUTPUT_DIR"
// line of JOBS (tests that run dozens of exported models).
ProcessResult runOrtBatch(const QString& jobsFile, const QStringList& args = {});

} // namespace bgtest
