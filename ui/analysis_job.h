#pragma once
// Runs calibration and the fold analysis off the GUI thread: progress, cancel, and typed
// results/errors as signals (one job at a time).
#include "analysis/fold_analysis.h"
#include "calibration/range_table.h"
#include "image_calibration_source.h"
#include "folding/model_structure.h"

#include <QFutureWatcher>
#include <QObject>

#include <atomic>
#include <memory>

struct AnalysisResult {
    std::shared_ptr<const bg::FoldAnalysis> analysis;
    std::shared_ptr<const bg::RangeTable> ranges;
    QString calibration;  // description of the calibration set used
    // What it was asked for: the comparison and the report's command reuse them.
    QString calibrationPath;  // empty: synthetic samples
    ImageCalibrationOptions imageOptions;
};
Q_DECLARE_METATYPE(AnalysisResult)

class AnalysisJob : public QObject {
    Q_OBJECT
public:
    explicit AnalysisJob(QObject* parent = nullptr);
    ~AnalysisJob() override;
    bool isRunning() const { return watcher_.isRunning(); }

public slots:
    // calibPath empty: the 8 synthetic samples.
    void start(std::shared_ptr<const bg::ModelStructure> model, const bg::QuantSettings& settings, const QString& calibPath,
               const ImageCalibrationOptions& imageOptions = {});
    void cancel();

signals:
    void progress(int done, int total);
    void finished(const AnalysisResult& result);
    void failed(const QString& message);
    void cancelled();

private:
    struct Outcome {
        AnalysisResult result;
        QString error;
        bool cancelled = false;
    };
    QFutureWatcher<Outcome> watcher_;
    std::shared_ptr<std::atomic<bool>> cancel_;
};
