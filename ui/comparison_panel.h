#pragma once
// The integer-pipeline view: run float vs quantized (clamp) vs fixed (the user's fix plan: auto plus
// the channels overridden in the analysis view) over the calibration set, then per-output metrics,
// per-layer metrics and the per-layer SQNR chart.
#include "analysis/fold_analysis.h"
#include "comparison/model_comparison.h"
#include "calibration/range_table.h"
#include "fix/fix_plan.h"
#include "folding/model_structure.h"
#include "image_calibration_source.h"

#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QTableView;
class ComparisonJob;
class ErrorHistogramChart;
class JobControls;
class LayerComparisonModel;
class LayerSqnrChart;
class OutputComparisonModel;

class ComparisonPanel : public QWidget {
    Q_OBJECT
public:
    explicit ComparisonPanel(QWidget* parent = nullptr);

    // The analysis supplies the settings, the calibration ranges and the auto plan; the inputs are
    // read with the analysis' image options (its input size above all).
    void setContext(std::shared_ptr<const bg::ModelStructure> model, std::shared_ptr<const bg::FoldAnalysis> analysis,
                    std::shared_ptr<const bg::RangeTable> ranges, const QString& inputsPath,
                    const ImageCalibrationOptions& imageOptions = {});
    std::shared_ptr<const bg::ModelComparison> comparison() const { return comparison_; }
    // The input set the next comparison runs on (empty: the synthetic samples).
    const QString& inputsPath() const { return inputsPath_; }
    // The plan the next comparison runs as "fixed" (auto until the user edits it).
    void setPlan(const bg::FixPlan& plan);
    const bg::FixPlan& plan() const { return plan_; }
    // Channels set by hand in the plan the shown comparison ran with.
    size_t comparedOverrides() const { return comparedOverrides_; }
    // The plan the shown comparison ran as "fixed" (the report saves it beside the PDF).
    const bg::FixPlan& comparedPlan() const { return comparedPlan_; }
    ErrorHistogramChart* errorChart() const { return errors_; }
    // A labels file (one class index per input sample): the next comparison reports task accuracy.
    void setLabelsPath(const QString& path);
    QString labelsPath() const;

public slots:
    void compare();
    void cancel();

signals:
    void comparisonFinished();
    void comparisonFailed(const QString& message);

private:
    void onFinished(std::shared_ptr<const bg::ModelComparison> result);
    void showOutputErrors(int row);
    void showLayerErrors(int row);

    std::shared_ptr<const bg::ModelStructure> model_;
    std::shared_ptr<const bg::FoldAnalysis> analysis_;
    std::shared_ptr<const bg::RangeTable> ranges_;
    std::shared_ptr<const bg::ModelComparison> comparison_;
    QString inputsPath_;
    ImageCalibrationOptions imageOptions_;
    bg::FixPlan plan_{bg::Strategy::Auto};
    size_t comparedOverrides_ = 0;
    bg::FixPlan comparedPlan_{bg::Strategy::Auto};
    ComparisonJob* job_;
    JobControls* controls_;
    OutputComparisonModel* outputModel_;
    LayerComparisonModel* layerModel_;
    QTableView* outputView_;
    QTableView* layerView_;
    LayerSqnrChart* chart_;
    ErrorHistogramChart* errors_;
    QLineEdit* labels_;
    QLabel* firstCollapse_;
};
