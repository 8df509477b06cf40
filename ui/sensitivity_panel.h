#pragma once
// Which layers are worth fixing (issue 12's sensitivity): runs bg::analyzeFixSensitivity in a
// SensitivityJob on the analysis' model, ranges and the current fix plan; shows the layers ranked by
// the SQNR their fix alone gains, the selected layer's channels by their share of its error, and
// the sentence saying how many layers (and channels) give 90 % of the whole fix's gain. "Use this
// plan" asks for that smallest plan to become the fix plan (planChosen; the window applies it
// through the plan editor's undo stack).
#include "analysis/fold_analysis.h"
#include "calibration/range_table.h"
#include "fix/fix_plan.h"
#include "folding/model_structure.h"
#include "image_calibration_source.h"
#include "sweep/fix_sensitivity.h"

#include <QWidget>

#include <memory>

class QLabel;
class QPushButton;
class QTableView;
class JobControls;
class SensitivityChannelModel;
class SensitivityJob;
class SensitivityLayerModel;

class SensitivityPanel : public QWidget {
    Q_OBJECT
public:
    explicit SensitivityPanel(QWidget* parent = nullptr);

    // As ComparisonPanel::setContext; clears the ranking shown.
    void setContext(std::shared_ptr<const bg::ModelStructure> model, std::shared_ptr<const bg::FoldAnalysis> analysis,
                    std::shared_ptr<const bg::RangeTable> ranges, const QString& inputsPath,
                    const ImageCalibrationOptions& imageOptions = {});
    void setPlan(const bg::FixPlan& plan) { plan_ = plan; }
    std::shared_ptr<const bg::FixSensitivity> sensitivity() const;
    SensitivityLayerModel* layerModel() const { return layers_; }
    SensitivityChannelModel* channelModel() const { return channels_; }
    QTableView* layerView() const { return layerView_; }
    QPushButton* usePlanButton() const { return usePlan_; }
    QString summaryText() const;
    // The sentence for `s`: how many layers and channels give its fraction of the whole gain.
    static QString summarySentence(const bg::FixSensitivity& s);

public slots:
    void runSensitivity();
    void cancel();

signals:
    void sensitivityFinished();
    void sensitivityFailed(const QString& message);
    void planChosen(const bg::FixPlan& plan, const QString& description);

private:
    void onFinished(std::shared_ptr<const bg::FixSensitivity> result);
    void showResult(std::shared_ptr<const bg::FixSensitivity> result);

    std::shared_ptr<const bg::ModelStructure> model_;
    std::shared_ptr<const bg::FoldAnalysis> analysis_;
    std::shared_ptr<const bg::RangeTable> ranges_;
    QString inputsPath_;
    ImageCalibrationOptions imageOptions_;
    bg::FixPlan plan_{bg::Strategy::Auto};
    SensitivityJob* job_;
    JobControls* controls_;
    SensitivityLayerModel* layers_;
    SensitivityChannelModel* channels_;
    QTableView* layerView_;
    QTableView* channelView_;
    QLabel* summary_;
    QPushButton* usePlan_;
};
