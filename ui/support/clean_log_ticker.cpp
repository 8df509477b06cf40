#include "clean_log_ticker.h"

#include <cmath>

CleanLogTicker::CleanLogTicker(bool plainNumbers) : plainNumbers_(plainNumbers)
{
    setLogBase(10);
    setSubTickCount(8);  // at 2·10ⁿ … 9·10ⁿ
}

void CleanLogTicker::install(QCPAxis* axis, bool plainNumbers)
{
    axis->setScaleType(QCPAxis::stLogarithmic);
    axis->setTicker(QSharedPointer<QCPAxisTicker>(new CleanLogTicker(plainNumbers)));
    // "eb": QCustomPlot draws an 'e' label as a power (1e-03 → 10⁻³); plain labels stay as they are.
    axis->setNumberFormat("eb");
    axis->setNumberPrecision(0);
}

QString CleanLogTicker::getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision)
{
    if (tick <= 0)
        return QCPAxisTickerLog::getTickLabel(tick, locale, formatChar, precision);
    const double power = std::log10(tick);
    if (std::fabs(power - std::round(power)) < 1e-9 && !(plainNumbers_ && power >= 0 && power < 7))
        return locale.toString(tick, 'e', 0);
    if (plainNumbers_ && tick >= 1)
        return locale.toString(tick, 'f', 0);
    return locale.toString(tick, 'g', 3);
}
