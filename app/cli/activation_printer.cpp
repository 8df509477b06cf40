#include "activation_printer.h"

#include <QString>

#include <cmath>

namespace bgcli {

namespace {

QString g(double v, int prec = 4)
{
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    return QString::number(v, 'g', prec);
}

QString range(const bg::TensorRangeDiagnosis& d)
{
    return QString("[%1, %2]").arg(g(d.lo)).arg(g(d.hi));
}

} // namespace

void printActivationDiagnosis(QTextStream& out, const std::vector<bg::TensorRangeDiagnosis>& tensors, size_t limit)
{
    out << "\nactivation ranges: tensors whose one per-tensor scale costs most against per-channel scales "
           "(estimated, uniform rounding noise; flagged from "
        << g(bg::kSharedScaleFlagDb) << " dB):\n";
    if (tensors.empty()) {
        out << "  (no per-channel ranges: calibrate instead of reading --encodings)\n";
        return;
    }
    size_t flagged = 0;
    for (const auto& d : tensors)
        flagged += d.flagged() ? 1 : 0;
    if (flagged == 0) {
        out << "  (none: every one of the " << tensors.size() << " quantized tensors costs less than "
            << g(bg::kSharedScaleFlagDb) << " dB; worst " << QString::fromStdString(tensors.front().tensor) << " "
            << g(tensors.front().estCostDb, 3) << " dB)\n";
        return;
    }
    out << QString("  %1 %2 %3 %4 %5 %6\n").arg("tensor", -30).arg("consumer", -26).arg("range", -22)
               .arg("median ch", 10).arg("ratio", 7).arg("est cost", 9);
    for (size_t i = 0; i < tensors.size() && i < limit; ++i) {
        const bg::TensorRangeDiagnosis& d = tensors[i];
        if (!d.flagged())
            break;
        out << QString("  %1 %2 %3 %4 %5 %6\n")
                   .arg(QString::fromStdString(d.tensor), -30)
                   .arg(QString::fromStdString(d.consumer), -26)
                   .arg(range(d), -22)
                   .arg(g(d.medianChannelSpan), 10)
                   .arg(g(d.ratio, 3), 7)
                   .arg(g(d.estCostDb, 3) + " dB", 9);
    }
    out << "  " << flagged << " of " << tensors.size() << " quantized tensors flagged. Remedies (not applied by "
        << "BiasGuard): per-channel activation scales where the target has them, or cross-layer equalization "
        << "(as in AIMET) to even the channels' ranges before quantizing.\n";
}

void printFirstCollapse(QTextStream& out, const std::optional<bg::FirstCollapse>& collapse,
                        const std::vector<bg::TensorRangeDiagnosis>& tensors)
{
    if (!collapse) {
        out << "\nfirst collapse: none (no layer's propagated SQNR, fixed run, falls " << g(bg::kCollapseDropDb)
            << " dB or more below its input's)\n";
        return;
    }
    out << "\nfirst collapse: " << QString::fromStdString(collapse->layer) << " (fixed run: its input "
        << QString::fromStdString(collapse->inputTensor) << " at " << g(collapse->sqnrInDb, 3) << " dB, its output at "
        << g(collapse->sqnrOutDb, 3) << " dB)\n";
    for (const auto& d : tensors)
        if (d.tensor == collapse->inputTensor) {
            out << "  its input's range " << range(d) << " against a median channel span of " << g(d.medianChannelSpan)
                << " (ratio " << g(d.ratio, 3) << "): the shared scale costs an estimated " << g(d.estCostDb, 3)
                << " dB\n";
            break;
        }
}

} // namespace bgcli
