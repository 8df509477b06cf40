#pragma once
// One layer's channels side by side: bars of the bits each merged bias needs (red above the
// register width) and |γ| on a log axis, so a reader sees which tiny-γ channel is the culprit.
#include "analysis/fold_analysis.h"

#include <qcustomplot.h>

#include <memory>

class LayerChannelsChart : public QCustomPlot {
    Q_OBJECT
public:
    explicit LayerChannelsChart(QWidget* parent = nullptr);
    void setLayer(std::shared_ptr<const bg::FoldAnalysis> analysis, int layerIndex);

private:
    QCPBars* inRange_ = nullptr;
    QCPBars* outOfRange_ = nullptr;
    QCPGraph* gamma_ = nullptr;
    QCPItemStraightLine* limit_ = nullptr;
};
