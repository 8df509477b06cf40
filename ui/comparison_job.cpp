#include "comparison_job.h"

#include "calibration/class_labels.h"

#include "background_task.h"
#include "calibration_opener.h"

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

void ComparisonJob::start(std::shared_ptr<const bg::ModelStructure> model, std::shared_ptr<const bg::RangeTable> ranges,
                          std::shared_ptr<const bg::FoldAnalysis> analysis, const bg::FixPlan& plan,
                          const QString& inputsPath, const ImageCalibrationOptions& imageOptions,
                          const QString& labelsPath)
{
    if (watcher_.isRunning() || !model || !ranges || !analysis)
        return;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    auto progress = progressForwarder(this);
    watcher_.setFuture(QtConcurrent::run([model, ranges, analysis, plan, inputsPath, imageOptions, labelsPath, cancel = cancel_, progress]() {
        Outcome o;
        const TaskFailure failure = runGuarded([&] {
            auto source = openCalibration(inputsPath, model->graph, imageOptions);
            bg::ComparisonOptions options;
            options.plan = plan;
            options.cancel = cancel.get();
            options.progress = progress;
            if (!labelsPath.isEmpty())
                options.labels = bg::readClassLabels(labelsPath.toStdString());
            o.result = std::make_shared<bg::ModelComparison>(bg::compareModel(*model, *ranges, *analysis, *source, options));
        });
        o.error = failure.error;
        o.cancelled = failure.cancelled;
        return o;
    }));
}

void ComparisonJob::cancel()
{
    if (cancel_)
        cancel_->store(true);
}
