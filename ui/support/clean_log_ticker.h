#pragma once
// A log-axis ticker whose labels never repeat. QCPAxisTickerLog falls back to linear ticks when
// the range spans under ~1.6 decades (a zoomed axis, or a layer whose |γ| are alike); with the
// axis' "eb" format at precision 0 those print as 3·10⁰, 3·10⁰, 2·10⁰. Here powers of ten print as
// 10ⁿ and every other tick in plain digits (0.25, 3.5).
#include <qcustomplot.h>

class CleanLogTicker : public QCPAxisTickerLog {
public:
    // plainNumbers: powers of ten as 1, 10, 100 (counts) instead of 10⁰, 10¹, 10² (scales).
    explicit CleanLogTicker(bool plainNumbers = false);
    // Sets the log axis, its ticker and its number format together.
    static void install(QCPAxis* axis, bool plainNumbers = false);

protected:
    QString getTickLabel(double tick, const QLocale& locale, QChar formatChar, int precision) override;

private:
    bool plainNumbers_;
};
