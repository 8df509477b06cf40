#include "common/pdf_text.h"

#include "common/process_runner.h"

namespace bgtest {

QStringList pdfPageTexts(const QString& pdf)
{
    const ProcessResult r = runProgram(QStringLiteral("pdftotext"), {QStringLiteral("-layout"), pdf, QStringLiteral("-")}, 60000);
    if (r.code != 0)
        return {};
    QStringList pages = r.out.split(QLatin1Char('\f'));
    if (!pages.isEmpty() && pages.last().trimmed().isEmpty())
        pages.removeLast();
    return pages;
}

QString pdfTextWithoutDates(const QStringList& pages)
{
    QStringList lines;
    for (const QString& page : pages)
        for (const QString& line : page.split(QLatin1Char('\n')))
            if (!line.contains(QLatin1String(" UTC")))
                lines << line.trimmed();
    return lines.join(QLatin1Char('\n'));
}

} // namespace bgtest
