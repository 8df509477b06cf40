#pragma once
// Where the charts' legends go: in a row of their own under the axis rect, laid out in columns, so
// a legend never covers a point, a bar or the register line whatever the data.
class QCustomPlot;

void placeLegendBelowAxes(QCustomPlot* chart);
