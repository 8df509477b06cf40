#include "model_load_job.h"

#include "runtime/float_runtime.h"

#include <QtConcurrent/QtConcurrentRun>

ModelLoadJob::ModelLoadJob(QObject* parent) : QObject(parent)
{
    connect(&watcher_, &QFutureWatcher<Result>::finished, this, [this] {
        const Result r = watcher_.result();
        if (r.model)
            emit loaded(r.model);
        else
            emit failed(r.error);
    });
}

void ModelLoadJob::start(const QString& path)
{
    if (watcher_.isRunning())
        return;
    watcher_.setFuture(QtConcurrent::run([p = path.toStdString()]() -> Result {
        try {
            // The model and its structure (pairs, fusion groups), found once for every later job.
            auto model = bg::loadModelStructure(p);
            // Refuse models the runtime cannot execute now, with the op names, not at first use.
            bg::FloatRuntime check(model->graph);
            return {model, {}};
        } catch (const std::exception& e) {
            return {nullptr, QString::fromStdString(e.what())};
        }
    }));
}
