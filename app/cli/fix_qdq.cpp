// Placeholder until the QDQ exporter (core/export/qdq_export) is in this build.
#include "fix_qdq.h"

#include "cli_command.h"

#include <QTextStream>

namespace bgcli {

int writeQdqExport(const CalibratedModel&, const bg::FoldAnalysis&, const bg::FixPlan&, const bg::QuantSettings&,
                   const QString&)
{
    QTextStream(stderr) << "biasguard-cli fix: qdq: not in this build\n";
    return Failure;
}

} // namespace bgcli
