#pragma once
// Runs the fix sensitivity of issue 12 (bg::analyzeFixSensitivity: each layer's fix alone, ranked,
// and the smallest plan giving 90 % of the gain) off the GUI thread on the analysis' model, ranges
// and plan, with progress, cancel and typed result/error signals like ComparisonJob.
#include "analysis/fold_analysis.h"
#include "calibration/range_table.h"
#include "fix/fix_plan.h"
#include "folding/model_structure.h"
#include "image_calibration_source.h"
#include "sweep/fix_sensitivity.h"

#include <QFutureWatcher>
#include <QObject>

#include <atomic>
#include <memory>

class SensitivityJob : public QObject {
    Q_OBJECT
public:
    explicit SensitivityJob(QObject* parent = nullptr);
    ~SensitivityJob() override;
    bool isRunning() const { return watcher_.isRunning(); }

public slots:
    // inputsPath empty: the 8 synthetic samples.
    void start(std::shared_ptr<const bg::ModelStructure> model, std::shared_ptr<const bg::RangeTable> ranges,
               std::shared_ptr<const bg::FoldAnalysis> analysis, const bg::FixPlan& plan, const QString& inputsPath,
               const ImageCalibrationOptions& imageOptions = {});
    void cancel();

signals:
    void progress(int done, int total);
    void finished(std::shared_ptr<const bg::FixSensitivity> result);
    void failed(const QString& message);
    void cancelled();

private:
    struct Outcome {
        std::shared_ptr<const bg::FixSensitivity> result;
        QString error;
        bool cancelled = false;
    };
    QFutureWatcher<Outcome> watcher_;
    std::shared_ptr<std::atomic<bool>> cancel_;
};
