#pragma once
// How the GUI and the report print metric values (SQNR of an exact match is +inf).
#include <QString>

#include <cmath>

inline QString formatDb(double db)
{
    if (std::isinf(db))
        return db > 0 ? QStringLiteral("exact") : QStringLiteral("-inf");
    return QString::number(db, 'f', 2) + QStringLiteral(" dB");
}
