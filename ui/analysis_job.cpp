#include "analysis_job.h"

#include "background_task.h"
#include "calibration_opener.h"

#include "calibration/calibrator.h"

#include <QtConcurrent/QtConcurrentRun>

AnalysisJob::AnalysisJob(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<AnalysisResult>();
    connect(&watcher_, &QFutureWatcher<Outcome>::finished, this, [this] {
        const Outcome o = watcher_.result();
        if (o.cancelled)
            emit cancelled();
        else if (o.result.analysis)
            emit finished(o.result);
        else
            emit failed(o.error);
    });
}

AnalysisJob::~AnalysisJob()
{
    cancel();
    watcher_.waitForFinished();
}

void AnalysisJob::start(std::shared_ptr<const bg::ModelStructure> model, const bg::QuantSettings& settings,
                        const QString& calibPath, const ImageCalibrationOptions& imageOptions)
{
    if (watcher_.isRunning() || !model)
        return;
    cancel_ = std::make_shared<std::atomic<bool>>(false);
    auto progress = progressForwarder(this);
    watcher_.setFuture(QtConcurrent::run([model, settings, calibPath, imageOptions, cancel = cancel_, progress]() {
        Outcome o;
        const TaskFailure failure = runGuarded([&] {
            settings.validate();
            auto source = openCalibration(calibPath, model->graph, imageOptions);
            bg::CalibrationOptions options;
            options.cancel = cancel.get();
            options.progress = progress;
            auto ranges = std::make_shared<bg::RangeTable>(bg::calibrate(model->graph, model->pairs, *source, options));
            o.result.analysis = std::make_shared<bg::FoldAnalysis>(bg::analyzeFolds(model->graph, model->pairs, settings, *ranges));
            o.result.ranges = ranges;
            o.result.calibration = QString::fromStdString(source->description());
            o.result.calibrationPath = calibPath;
            o.result.imageOptions = imageOptions;
        });
        o.error = failure.error;
        o.cancelled = failure.cancelled;
        return o;
    }));
}

void AnalysisJob::cancel()
{
    if (cancel_)
        cancel_->store(true);
}
