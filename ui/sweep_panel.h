#pragma once
// The Sweep tab (issue 12): which bias register the model needs. Runs bg::sweepWidths in a
// SweepJob over the weight widths ("4,8") and bias widths ("8:32") typed here, on the analysis'
// model and calibration ranges (never recalibrating), its activation width and granularity, and the
// current fix plan; shows the SweepPlot, the rows (SweepTableModel) and the recommendation per
// weight width. A click on a width, on the chart or in the table, emits widthChosen so that the
// window sets it in the settings form and analyses there.
#include "analysis/fold_analysis.h"
#include "calibration/range_table.h"
#include "fix/fix_plan.h"
#include "folding/model_structure.h"
#include "image_calibration_source.h"
#include "sweep/width_sweep.h"

#include <QWidget>

#include <memory>

class QLabel;
class QLineEdit;
class QTableView;
class JobControls;
class SweepJob;
class SweepPlot;
class SweepTableModel;

class SweepPanel : public QWidget {
    Q_OBJECT
public:
    explicit SweepPanel(QWidget* parent = nullptr);

    // As ComparisonPanel::setContext. The sweep shown stays when only the widths of the analysis
    // changed (it covers them); another model, calibration, activation width or granularity
    // clears it.
    void setContext(std::shared_ptr<const bg::ModelStructure> model, std::shared_ptr<const bg::FoldAnalysis> analysis,
                    std::shared_ptr<const bg::RangeTable> ranges, const QString& inputsPath,
                    const ImageCalibrationOptions& imageOptions = {});
    void setPlan(const bg::FixPlan& plan) { plan_ = plan; }
    std::shared_ptr<const bg::WidthSweep> sweep() const;
    SweepTableModel* tableModel() const { return model_; }
    QTableView* tableView() const { return table_; }
    SweepPlot* plot() const { return plot_; }
    QLineEdit* weightWidthsEdit() const { return weightWidths_; }
    QLineEdit* biasWidthsEdit() const { return biasWidths_; }
    QString recommendationText() const;

public slots:
    void runSweep();
    void cancel();

signals:
    void sweepFinished();
    void sweepFailed(const QString& message);
    void widthChosen(int weightBits, int biasBits);

private:
    void onFinished(std::shared_ptr<const bg::WidthSweep> sweep);
    void showSweep(std::shared_ptr<const bg::WidthSweep> sweep);

    std::shared_ptr<const bg::ModelStructure> modelStructure_;
    std::shared_ptr<const bg::FoldAnalysis> analysis_;
    std::shared_ptr<const bg::RangeTable> ranges_;
    QString inputsPath_;
    ImageCalibrationOptions imageOptions_;
    bg::FixPlan plan_{bg::Strategy::Auto};
    SweepJob* job_;
    JobControls* controls_;
    QLineEdit* weightWidths_;
    QLineEdit* biasWidths_;
    SweepPlot* plot_;
    SweepTableModel* model_;
    QTableView* table_;
    QLabel* recommendation_;
};
