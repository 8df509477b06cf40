#pragma once
// The text of a PDF's pages as a reader would select it (poppler's pdftotext, installed by
// scripts/install-deps.sh), for the report tests.
#include <QString>
#include <QStringList>

namespace bgtest {

// One string per page; empty when pdftotext fails or is missing.
QStringList pdfPageTexts(const QString& pdf);
// The pages' lines joined, without those that name the minute of writing (" UTC"), so that two
// reports written a minute apart compare equal.
QString pdfTextWithoutDates(const QStringList& pages);

} // namespace bgtest
