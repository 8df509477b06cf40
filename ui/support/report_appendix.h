#pragma once
// The report's appendix: the arithmetic behind every figure, written out with the report's own
// settings substituted (the reader of a PDF has no docs/ folder), and the command that reproduces
// the report. The formulas are those of docs/QUANT_SPEC.md §1–§8 as the code runs them (with the
// bias split of gamma separation that docs/SPEC_NOTES.md adopts).
#include "arithmetic/quant_settings.h"

#include <QString>
#include <QStringList>

class ReportCanvas;

// `withSweep`/`withSensitivity`: the report has those sections, and the appendix their definitions.
void formulasAppendix(ReportCanvas& canvas, const bg::QuantSettings& settings, bool withComparison,
                      bool withSweep = false, bool withSensitivity = false);
// `command` empty: says that the report was written without a recorded command.
void reproduceAppendix(ReportCanvas& canvas, const QStringList& command, const QString& planPath);
