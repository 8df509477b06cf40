#pragma once
// The analysis view: settings, Analyze/Cancel with progress, the layer table, the selected
// layer's channels, and the two charts (all channels |γ| vs bits; the selected layer's channels).
#include "analysis_job.h"
#include "model/graph.h"

#include <QWidget>

#include <memory>

class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class BiasBitsChart;
class ChannelTableModel;
class LayerChannelsChart;
class LayerTableModel;
class SettingsForm;

class AnalysisPanel : public QWidget {
    Q_OBJECT
public:
    explicit AnalysisPanel(QWidget* parent = nullptr);

    void setGraph(std::shared_ptr<const bg::Graph> graph);
    std::shared_ptr<const bg::FoldAnalysis> analysis() const { return result_.analysis; }
    std::shared_ptr<const bg::RangeTable> ranges() const { return result_.ranges; }
    SettingsForm* settingsForm() const { return settings_; }
    void selectLayer(int row);

public slots:
    void analyze();
    void cancel();

signals:
    void analysisFinished();
    void analysisFailed(const QString& message);

private:
    void onFinished(const AnalysisResult& result);

    std::shared_ptr<const bg::Graph> graph_;
    AnalysisResult result_;
    AnalysisJob* job_;
    SettingsForm* settings_;
    QPushButton* analyzeButton_;
    QPushButton* cancelButton_;
    QProgressBar* progress_;
    QLabel* summary_;
    LayerTableModel* layerModel_;
    ChannelTableModel* channelModel_;
    QTableView* layerView_;
    QTableView* channelView_;
    BiasBitsChart* bitsChart_;
    LayerChannelsChart* layerChart_;
};
