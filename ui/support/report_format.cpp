#include "report_format.h"

#include <cmath>

QString reportNumber(double v, int digits)
{
    return std::isfinite(v) ? QString::number(v, 'g', digits) : QString(v > 0 ? "inf" : (v < 0 ? "-inf" : "nan"));
}

QString reportDb(double v)
{
    if (std::isnan(v))
        return QStringLiteral("nan");
    return std::isfinite(v) ? QString::number(v, 'f', 2) + " dB" : QString(v > 0 ? "∞" : "−∞");
}
