#include "target_label.h"

#include "arithmetic/hardware_target.h"

QString targetLabel(const std::string& name)
{
    if (name.empty())
        return {};
    for (const bg::HardwareTarget& t : bg::builtinTargets())
        if (t.name == name)
            return QStringLiteral("%1 (%2)").arg(QString::fromStdString(t.title), QString::fromStdString(t.name));
    return QString::fromStdString(name);
}
