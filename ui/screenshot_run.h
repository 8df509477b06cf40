#pragma once
// `biasguard --screenshot DIR MODEL`: opens MODEL in the window, lets the analysis, the
// comparison, the sweep (its default widths) and the sensitivity run, saves every tab as
// DIR/<model>_<tab>.png and quits with 0, or with 1 and the message on stderr when a step fails.
// scripts/screenshots.sh drives it under xvfb-run.
#include <QObject>
#include <QString>

class MainWindow;

class ScreenshotRun : public QObject {
    Q_OBJECT
public:
    ScreenshotRun(MainWindow* window, const QString& dir, QObject* parent = nullptr);
    void start(const QString& modelPath);

signals:
    void finished(int exitCode);

private:
    void fail(const QString& message);
    void captureTabs();
    static QString slug(const QString& text);

    MainWindow* window_;
    QString dir_;
    QString prefix_;
    bool done_ = false;
    bool compared_ = false;
};
