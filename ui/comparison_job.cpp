#include "comparison_job.h"

#include "calibration_opener.h"

#include "model/error.h"

#include <QMetaObject>
#include <QPointer>
#include <QtConcurrent/QtConcurrentRun>

ComparisonJob::ComparisonJob(QObject* parent) : QObject(parent)
{
    connect(&watcher_, &QFutureWatcher<Outcome>::finished, this, [this] {
        const Outcome o = watcher_.result();
        if (o.cancelled)
            emit cancelled();
        else if (o.result)
            emit finished(o.result);
        else
            emit failed(o.error);
    });
}

ComparisonJob::~ComparisonJob()
{
    cancel();
    watcher_.waitForFinished();
}

void ComparisonJob::start(std::shared_ptr<const bg::Graph> graph, std::shared_ptr<const bg::RangeTable> ranges,
                          const bg::QuantSettings& settings, const bg::FixPlan& plan, const QString& inputsPath)
{
    if (watcher_.isRunning() || !graph || !ranges)
        return;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    QPointer<ComparisonJob> self(this);
    watcher_.setFuture(QtConcurrent::run([graph, ranges, settings, plan, inputsPath, cancel = cancel_, self]() -> Outcome {
        Outcome o;
        try {
            auto source = openCalibration(inputsPath, *graph);
            bg::ComparisonOptions options;
            options.settings = settings;
            options.plan = plan;
            options.cancel = cancel.get();
            options.progress = [self](size_t done, size_t total) {
                QMetaObject::invokeMethod(
                    self, [self, done, total] {
                        if (self)
                            emit self->progress(static_cast<int>(done), static_cast<int>(total));
                    },
                    Qt::QueuedConnection);
            };
            o.result = std::make_shared<bg::ModelComparison>(bg::compareModel(*graph, *ranges, *source, options));
        } catch (const bg::Error& e) {
            o.cancelled = e.code() == bg::ErrorCode::Cancelled;
            o.error = QString::fromStdString(e.what());
        } catch (const std::exception& e) {
            o.error = QString::fromStdString(e.what());
        }
        return o;
    }));
}

void ComparisonJob::cancel()
{
    if (cancel_)
        cancel_->store(true);
}
