#include "sensitivity_job.h"

#include "background_task.h"
#include "calibration_opener.h"

#include <QtConcurrent/QtConcurrentRun>

SensitivityJob::SensitivityJob(QObject* parent) : QObject(parent)
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

SensitivityJob::~SensitivityJob()
{
    cancel();
    watcher_.waitForFinished();
}

void SensitivityJob::start(std::shared_ptr<const bg::ModelStructure> model, std::shared_ptr<const bg::RangeTable> ranges,
                           std::shared_ptr<const bg::FoldAnalysis> analysis, const bg::FixPlan& plan,
                           const QString& inputsPath, const ImageCalibrationOptions& imageOptions)
{
    if (watcher_.isRunning() || !model || !ranges || !analysis)
        return;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    auto progress = progressForwarder(this);
    watcher_.setFuture(QtConcurrent::run([model, ranges, analysis, plan, inputsPath, imageOptions, cancel = cancel_, progress]() {
        Outcome o;
        const TaskFailure failure = runGuarded([&] {
            auto source = openCalibration(inputsPath, model->graph, imageOptions);
            bg::SensitivityOptions options;
            options.cancel = cancel.get();
            options.progress = progress;
            o.result = std::make_shared<bg::FixSensitivity>(
                bg::analyzeFixSensitivity(*model, *ranges, *analysis, *source, plan, options));
        });
        o.error = failure.error;
        o.cancelled = failure.cancelled;
        return o;
    }));
}

void SensitivityJob::cancel()
{
    if (cancel_)
        cancel_->store(true);
}
