// biasguard-cli fix --format qdq: the integer runtime of the resolved plan, written as a QDQ model
// (core/export/qdq_export.h) that ONNX Runtime runs with BiasGuard's decisions.
#include "fix_qdq.h"

#include "cli_command.h"

#include "export/qdq_export.h"
#include "integer/integer_runtime.h"

#include <QTextStream>

namespace bgcli {

int writeQdqExport(const CalibratedModel& m, const bg::FoldAnalysis& analysis, const bg::FixPlan& plan,
                   const bg::QuantSettings&, const QString& out)
{
    const bg::IntegerRuntime runtime(*m.model, m.ranges, analysis, plan);
    const bg::QdqExportSummary s = bg::exportQdqModel(m.graph().path, out.toStdString(), runtime);
    QTextStream txt(stdout);
    txt << "QDQ model: " << s.quantizedTensors << " activations quantized, " << s.integerLayers
        << " layers with integer weights and biases (" << s.postBiasLayers << " with a post-scale bias, "
        << s.integerChainLayers << " as ConvInteger/MatMulInteger chains)";
    if (s.convertedFromOpset > 0)
        txt << "; converted from opset " << s.convertedFromOpset << " to 13 (per-axis DequantizeLinear)";
    if (s.floatSoftmaxOutputs > 0)
        txt << "; " << s.floatSoftmaxOutputs << " final Softmax left float (docs/SPEC_NOTES.md, QDQ export)";
    txt << "\n";
    return Ok;
}

} // namespace bgcli
