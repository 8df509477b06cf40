#pragma once
// How the report's sections print numbers: the same figure reads the same in every table.
#include <QString>

// `digits` significant digits; inf, -inf and nan spelled out.
QString reportNumber(double v, int digits = 4);
// Two decimals and " dB"; +inf (an exact match) as ∞.
QString reportDb(double v);
