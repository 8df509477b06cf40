#include "sweep_job.h"

#include "background_task.h"
#include "calibration_opener.h"

#include <QtConcurrent/QtConcurrentRun>

SweepJob::SweepJob(QObject* parent) : QObject(parent)
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

SweepJob::~SweepJob()
{
    cancel();
    watcher_.waitForFinished();
}

void SweepJob::start(std::shared_ptr<const bg::ModelStructure> model, std::shared_ptr<const bg::RangeTable> ranges,
                     const SweepRequest& request)
{
    if (watcher_.isRunning() || !model || !ranges)
        return;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    auto progress = progressForwarder(this);
    watcher_.setFuture(QtConcurrent::run([model, ranges, request, cancel = cancel_, progress]() {
        Outcome o;
        const TaskFailure failure = runGuarded([&] {
            auto source = openCalibration(request.inputsPath, model->graph, request.imageOptions);
            bg::SweepOptions options;
            options.weightBits = request.weightBits;
            options.biasBits = request.biasBits;
            options.plan = request.plan;
            options.cancel = cancel.get();
            options.progress = progress;
            o.result = std::make_shared<bg::WidthSweep>(bg::sweepWidths(*model, *ranges, *source, request.base, options));
        });
        o.error = failure.error;
        o.cancelled = failure.cancelled;
        return o;
    }));
}

void SweepJob::cancel()
{
    if (cancel_)
        cancel_->store(true);
}
