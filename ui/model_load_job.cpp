#include "model_load_job.h"

#include "model/model_loader.h"
#include "runtime/float_runtime.h"

#include <QtConcurrent/QtConcurrentRun>

ModelLoadJob::ModelLoadJob(QObject* parent) : QObject(parent)
{
    connect(&watcher_, &QFutureWatcher<Result>::finished, this, [this] {
        const Result r = watcher_.result();
        if (r.graph)
            emit loaded(r.graph);
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
            auto graph = std::make_shared<bg::Graph>(bg::loadModel(p));
            // Refuse models the runtime cannot execute now, with the op names, not at first use.
            bg::FloatRuntime check(*graph);
            return {graph, {}};
        } catch (const std::exception& e) {
            return {nullptr, QString::fromStdString(e.what())};
        }
    }));
}
