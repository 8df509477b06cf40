#pragma once
// The one context menu every chart shares: "Save as PNG / PDF / SVG…". install() attaches it to a
// QCustomPlot (right click); save() is the file writer behind it, also for tests and scripts.
#include <QObject>
#include <QString>

class QCustomPlot;

class ChartExportMenu : public QObject {
    Q_OBJECT
public:
    // The menu lives as long as the chart (it is the chart's child).
    static ChartExportMenu* install(QCustomPlot* chart, const QString& suggestedName);

    // Writes the chart at its on-screen size; the format follows the suffix (.png, .pdf, .svg).
    // Returns false and sets `error` (naming the path) when the file cannot be written.
    static bool save(QCustomPlot* chart, const QString& path, QString* error);

private:
    ChartExportMenu(QCustomPlot* chart, const QString& suggestedName);
    void showMenu(const QPoint& pos);
    void saveDialog(const QString& filter, const QString& suffix);

    QCustomPlot* chart_;
    QString suggestedName_;
};
