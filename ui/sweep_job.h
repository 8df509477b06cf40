#pragma once
// Runs the width sweep of issue 12 (bg::sweepWidths) off the GUI thread on the model and the
// calibration ranges the analysis already holds — a sweep never recalibrates — with progress,
// cancel and typed result/error signals, like AnalysisJob and ComparisonJob.
#include "calibration/range_table.h"
#include "folding/model_structure.h"
#include "image_calibration_source.h"
#include "sweep/width_sweep.h"

#include <QFutureWatcher>
#include <QObject>

#include <atomic>
#include <memory>
#include <vector>

struct SweepRequest {
    bg::QuantSettings base;          // activation bits, granularity, strategy, target; the widths vary
    std::vector<int> weightBits;
    std::vector<int> biasBits;
    bg::FixPlan plan{bg::Strategy::Auto};  // the "fixed" run (auto resolves per setting)
    QString inputsPath;              // empty: the 8 synthetic samples
    ImageCalibrationOptions imageOptions;
};

class SweepJob : public QObject {
    Q_OBJECT
public:
    explicit SweepJob(QObject* parent = nullptr);
    ~SweepJob() override;
    bool isRunning() const { return watcher_.isRunning(); }

public slots:
    void start(std::shared_ptr<const bg::ModelStructure> model, std::shared_ptr<const bg::RangeTable> ranges,
               const SweepRequest& request);
    void cancel();

signals:
    void progress(int done, int total);
    void finished(std::shared_ptr<const bg::WidthSweep> result);
    void failed(const QString& message);
    void cancelled();

private:
    struct Outcome {
        std::shared_ptr<const bg::WidthSweep> result;
        QString error;
        bool cancelled = false;
    };
    QFutureWatcher<Outcome> watcher_;
    std::shared_ptr<std::atomic<bool>> cancel_;
};
