#pragma once
// Loads an ONNX model off the GUI thread. One job at a time; results and errors arrive as typed
// signals on the GUI thread.
#include "folding/model_structure.h"

#include <QFutureWatcher>
#include <QObject>
#include <QString>

#include <memory>

class ModelLoadJob : public QObject {
    Q_OBJECT
public:
    explicit ModelLoadJob(QObject* parent = nullptr);
    bool isRunning() const { return watcher_.isRunning(); }

public slots:
    void start(const QString& path);

signals:
    void loaded(std::shared_ptr<const bg::ModelStructure> model);
    void failed(const QString& message);

private:
    struct Result {
        std::shared_ptr<const bg::ModelStructure> model;
        QString error;
    };
    QFutureWatcher<Result> watcher_;
};
