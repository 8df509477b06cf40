#pragma once
// The analysis view: settings, Analyze/Cancel with progress, the layer table, the selected
// layer's channels with the fix plan's strategy per channel (editable, undoable), and the two
// charts (all channels |γ| vs bits; the selected layer's channels).
#include "analysis_job.h"
#include "folding/model_structure.h"

#include <QWidget>

#include <memory>

class QLineEdit;
class QTableView;
class ActivationRangeView;
class BiasBitsChart;
class BitsHistogramChart;
class LayerBiasChart;
class JobControls;
class ChannelTableModel;
class LayerChannelsChart;
class LayerTableModel;
class PlanControls;
class PlanEditor;
class SettingsForm;

class AnalysisPanel : public QWidget {
    Q_OBJECT
public:
    explicit AnalysisPanel(QWidget* parent = nullptr);

    void setModel(std::shared_ptr<const bg::ModelStructure> model);
    std::shared_ptr<const bg::FoldAnalysis> analysis() const { return result_.analysis; }
    std::shared_ptr<const bg::RangeTable> ranges() const { return result_.ranges; }
    QString calibrationDescription() const { return result_.calibration; }
    // The calibration folder and image/input-size options the shown analysis ran with.
    QString calibrationPath() const { return result_.calibrationPath; }
    ImageCalibrationOptions imageOptions() const { return result_.imageOptions; }
    SettingsForm* settingsForm() const { return settings_; }
    PlanEditor* planEditor() const { return planEditor_; }
    PlanControls* planControls() const { return planControls_; }
    ActivationRangeView* activationRanges() const { return activationRanges_; }
    void selectLayer(int row);
    // Selects a channel (a row of the layer's channel table) of the layer at `layerRow`.
    void selectChannel(int layerRow, int channelRow);
    int selectedLayer() const;
    int selectedChannel() const;

public slots:
    void analyze();
    void cancel();
    // Puts the cursor in the layer table's name filter.
    void findLayer();

signals:
    void analysisFinished();
    void analysisFailed(const QString& message);
    // The layer (index into the analysis' layers) whose channels the tables and charts show; -1: none.
    void layerSelected(int layer);

private:
    void onFinished(const AnalysisResult& result);
    // Sets the given rows (source rows of the channel model) of the current layer to `strategy`.
    void applyStrategy(const QList<int>& rows, bg::Strategy strategy);

    std::shared_ptr<const bg::ModelStructure> model_;
    AnalysisResult result_;
    AnalysisJob* job_;
    SettingsForm* settings_;
    JobControls* controls_;
    LayerTableModel* layerModel_;
    ChannelTableModel* channelModel_;
    QTableView* layerView_;
    QLineEdit* layerFilter_;
    QTableView* channelView_;
    BiasBitsChart* bitsChart_;
    LayerChannelsChart* layerChart_;
    BitsHistogramChart* histogram_;
    LayerBiasChart* biasChart_;
    PlanEditor* planEditor_;
    PlanControls* planControls_;
    ActivationRangeView* activationRanges_;
};
