#pragma once
// Every analysed channel as a point: |γ| (log axis) against the bits its merged bias needs, with
// the bias register width as a line. The overflow mechanism is visible at a glance: points climb
// above the line as |γ| → 0. The same class draws the screen chart and the PDF report's figure.
#include "analysis/fold_analysis.h"

#include <qcustomplot.h>

#include <memory>

class BiasBitsChart : public QCustomPlot {
    Q_OBJECT
public:
    explicit BiasBitsChart(QWidget* parent = nullptr);
    // layerIndex >= 0 highlights that layer's channels.
    void setAnalysis(std::shared_ptr<const bg::FoldAnalysis> analysis, int layerIndex = -1);

    int inRangePointCount() const;
    int outOfRangePointCount() const;

private:
    QCPGraph* inRange_ = nullptr;
    QCPGraph* outOfRange_ = nullptr;
    QCPGraph* highlight_ = nullptr;
    QCPItemStraightLine* limit_ = nullptr;
    QCPItemText* limitLabel_ = nullptr;
};
