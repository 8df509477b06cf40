#include "screenshot_run.h"

#include "analysis_panel.h"
#include "comparison_panel.h"
#include "main_window.h"
#include "sensitivity_panel.h"
#include "sweep_panel.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTextStream>
#include <QTimer>

ScreenshotRun::ScreenshotRun(MainWindow* window, const QString& dir, QObject* parent)
    : QObject(parent), window_(window), dir_(dir)
{
    connect(window_, &MainWindow::modelFailed, this, &ScreenshotRun::fail);
    connect(window_->analysisPanel(), &AnalysisPanel::analysisFailed, this, &ScreenshotRun::fail);
    connect(window_->comparisonPanel(), &ComparisonPanel::comparisonFailed, this, &ScreenshotRun::fail);
    connect(window_->sweepPanel(), &SweepPanel::sweepFailed, this, &ScreenshotRun::fail);
    connect(window_->sensitivityPanel(), &SensitivityPanel::sensitivityFailed, this, &ScreenshotRun::fail);
    // analysis → comparison → sweep (its default widths) → sensitivity → the grab. Only the first
    // analysis starts the chain: the sweep and the sensitivity do not re-analyse.
    connect(window_->analysisPanel(), &AnalysisPanel::analysisFinished, this, [this] {
        if (!compared_)
            window_->runComparison();
    });
    connect(window_->comparisonPanel(), &ComparisonPanel::comparisonFinished, this, [this] {
        compared_ = true;
        window_->sweepPanel()->runSweep();
    });
    connect(window_->sweepPanel(), &SweepPanel::sweepFinished, window_->sensitivityPanel(), &SensitivityPanel::runSensitivity);
    connect(window_->sensitivityPanel(), &SensitivityPanel::sensitivityFinished, this, &ScreenshotRun::captureTabs);
}

void ScreenshotRun::start(const QString& modelPath)
{
    prefix_ = slug(QFileInfo(modelPath).completeBaseName());
    if (!QDir().mkpath(dir_))
        return fail(QStringLiteral("cannot create %1").arg(dir_));
    window_->openModel(modelPath);
}

QString ScreenshotRun::slug(const QString& text)
{
    return text.toLower().replace(QRegularExpression(QStringLiteral("[^a-z0-9]+")), QStringLiteral("_")).remove(QRegularExpression("^_|_$"));
}

void ScreenshotRun::fail(const QString& message)
{
    if (done_)
        return;
    done_ = true;
    QTextStream(stderr) << "biasguard --screenshot: " << message << "\n";
    emit finished(1);
}

void ScreenshotRun::captureTabs()
{
    if (done_)
        return;
    QTabWidget* tabs = window_->tabs();
    for (int i = 0; i < tabs->count(); ++i) {
        tabs->setCurrentIndex(i);
        // Let the tab lay itself out and paint (charts replot on show) before the grab.
        for (int k = 0; k < 3; ++k)
            QCoreApplication::processEvents();
        const QString path = QDir(dir_).filePath(QStringLiteral("%1_%2.png").arg(prefix_, slug(tabs->tabText(i).remove('&'))));
        if (!window_->grab().save(path))
            return fail(QStringLiteral("cannot write %1").arg(path));
        QTextStream(stdout) << path << "\n";
    }
    tabs->setCurrentIndex(0);
    done_ = true;
    emit finished(0);
}
