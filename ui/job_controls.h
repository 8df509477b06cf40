#pragma once
// The controls every background job of a panel has: [leading widget] Run, Cancel, a progress bar
// shown while it runs, and a summary line. watch() wires a job's typed signals (progress, failed,
// cancelled) to them, so the Analyze and Compare panels share one behaviour.
#include <QString>
#include <QWidget>

class QLabel;
class QProgressBar;
class QPushButton;

class JobControls : public QWidget {
    Q_OBJECT
public:
    // `leading` (may be null) sits left of the buttons and stretches, e.g. the settings form.
    JobControls(const QString& runText, QWidget* leading, QWidget* parent = nullptr);

    // Whether Run may be pressed when no job is running (e.g. a model is loaded).
    void setReady(bool ready);
    // A job started: Run disabled, Cancel enabled, empty progress shown, `text` as the summary.
    void begin(const QString& text);
    // The job ended (finished, failed or cancelled): back to the ready state with `summary`.
    void end(const QString& summary);
    void setSummary(const QString& text);
    QString summary() const;

    // Progress, failure ("<failurePrefix>: message", also forwarded to onFailed) and cancellation
    // of any job class with the signals progress(int, int), failed(QString) and cancelled().
    template <typename Job, typename OnFailed>
    void watch(Job* job, const QString& failurePrefix, OnFailed onFailed)
    {
        connect(job, &Job::progress, this, &JobControls::setProgress);
        connect(job, &Job::failed, this, [this, failurePrefix, onFailed](const QString& message) {
            end(QStringLiteral("%1: %2").arg(failurePrefix, message.toHtmlEscaped()));
            onFailed(message);
        });
        connect(job, &Job::cancelled, this, [this] { end(tr("Cancelled.")); });
    }

signals:
    void runRequested();
    void cancelRequested();

private:
    void setProgress(int done, int total);

    bool ready_ = false;
    bool running_ = false;
    QPushButton* run_;
    QPushButton* cancel_;
    QProgressBar* progress_;
    QLabel* summary_;
};
