#pragma once
// The `biasguard-cli report …` command that reproduces a report: the CLI records the command it ran;
// the GUI writes the one that runs what it shows (settings, calibration, input size, plan). The
// report prints it so that a reader can regenerate or vary it.
#include "arithmetic/quant_settings.h"
#include "image_calibration_source.h"

#include <QString>
#include <QStringList>

#include <vector>

struct ReportCommandParts {
    QString modelPath;
    bg::QuantSettings settings;
    QString calibrationPath;  // empty: synthetic samples
    ImageCalibrationOptions imageOptions;
    QString planPath;         // empty: --strategy of settings
    bool compare = true;
    QString inputsPath;       // empty: the comparison ran on the calibration set
    QString labelsPath;       // empty: no task accuracy
    // The width sweep (--sweep with its widths, in the sweep's order) and the sensitivity ranking,
    // when the report shows them.
    bool sweep = false;
    std::vector<int> sweepWeightBits{4, 8};
    std::vector<int> sweepBiasBits;  // empty: 8:32
    bool sensitivity = false;
    QString outPath;
};

// The argument list, program first ("biasguard-cli", "report", …); options at their defaults are
// left out.
QStringList reportCommand(const ReportCommandParts& parts);

// One line a POSIX shell runs as the list: words outside [A-Za-z0-9_./:=+,@%-] single-quoted.
QString shellCommandLine(const QStringList& args);

// Widths as bg::parseWidthList reads them back: "8:32" for an ascending run of three or more, else
// "4,8".
QString widthListText(const std::vector<int>& widths);
