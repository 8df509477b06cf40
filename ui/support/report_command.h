#pragma once
// The `biasguard-cli report …` command that reproduces a report: the CLI records the command it ran;
// the GUI writes the one that runs what it shows (settings, calibration, input size, plan). The
// report prints it so that a reader can regenerate or vary it.
#include "arithmetic/quant_settings.h"
#include "image_calibration_source.h"

#include <QString>
#include <QStringList>

struct ReportCommandParts {
    QString modelPath;
    bg::QuantSettings settings;
    QString calibrationPath;  // empty: synthetic samples
    ImageCalibrationOptions imageOptions;
    QString planPath;         // empty: --strategy of settings
    bool compare = true;
    QString outPath;
};

// The argument list, program first ("biasguard-cli", "report", …); options at their defaults are
// left out.
QStringList reportCommand(const ReportCommandParts& parts);

// One line a POSIX shell runs as the list: words outside [A-Za-z0-9_./:=+,@%-] single-quoted.
QString shellCommandLine(const QStringList& args);
