#pragma once
// Runs float vs quantized (clamp) vs fixed (plan) over an input set off the GUI thread, with
// progress, cancel and typed result/error signals (QUANT_SPEC §8).
#include "comparison/model_comparison.h"
#include "folding/model_structure.h"
#include "image_calibration_source.h"

#include <QFutureWatcher>
#include <QObject>

#include <atomic>
#include <memory>

class ComparisonJob : public QObject {
    Q_OBJECT
public:
    explicit ComparisonJob(QObject* parent = nullptr);
    ~ComparisonJob() override;
    bool isRunning() const { return watcher_.isRunning(); }

public slots:
    // inputsPath empty: the 8 synthetic samples. ranges: the calibration of the analysis. labelsPath:
    // a labels file (core/calibration/class_labels.h), read in the job; its errors fail the job.
    void start(std::shared_ptr<const bg::ModelStructure> model, std::shared_ptr<const bg::RangeTable> ranges,
               std::shared_ptr<const bg::FoldAnalysis> analysis, const bg::FixPlan& plan, const QString& inputsPath,
               const ImageCalibrationOptions& imageOptions = {}, const QString& labelsPath = {});
    void cancel();

signals:
    void progress(int done, int total);
    void finished(std::shared_ptr<const bg::ModelComparison> result);
    void failed(const QString& message);
    void cancelled();

private:
    struct Outcome {
        std::shared_ptr<const bg::ModelComparison> result;
        QString error;
        bool cancelled = false;
    };
    QFutureWatcher<Outcome> watcher_;
    std::shared_ptr<std::atomic<bool>> cancel_;
};
