#pragma once
// Where the charts' legends go: in a row of their own under the axis rect, laid out in columns, so
// a legend never covers a point, a bar or the register line whatever the data.
class QCustomPlot;

// `columns`: legend items per row (fewer for long names, so none is clipped on a narrow chart).
void placeLegendBelowAxes(QCustomPlot* chart, int columns = 3);
