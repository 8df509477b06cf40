#pragma once
// Shared plumbing of the GUI's background jobs (AnalysisJob, ComparisonJob): forwarding core
// progress callbacks from the worker thread to a job's progress signal, and turning whatever the
// core throws into an outcome the GUI thread can show.
#include "io/error.h"

#include <QMetaObject>
#include <QPointer>
#include <QString>

#include <cstddef>
#include <exception>
#include <functional>

struct TaskFailure {
    QString error;           // empty: the task succeeded
    bool cancelled = false;  // bg::Error(Cancelled): the user asked for it, not an error
};

// Runs `body` on the calling (worker) thread; never throws.
template <class Body>
TaskFailure runGuarded(Body&& body)
{
    TaskFailure failure;
    try {
        body();
    } catch (const bg::Error& e) {
        failure.cancelled = e.code() == bg::ErrorCode::Cancelled;
        failure.error = QString::fromStdString(e.what());
    } catch (const std::exception& e) {
        failure.error = QString::fromStdString(e.what());
    }
    return failure;
}

// A core progress callback (done, total) that emits job->progress(int, int) on the job's thread.
template <class Job>
std::function<void(size_t, size_t)> progressForwarder(Job* job)
{
    QPointer<Job> self(job);
    return [self](size_t done, size_t total) {
        QMetaObject::invokeMethod(
            self, [self, done, total] {
                if (self)
                    emit self->progress(static_cast<int>(done), static_cast<int>(total));
            },
            Qt::QueuedConnection);
    };
}
