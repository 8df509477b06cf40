#include "legend_placement.h"

#include <qcustomplot.h>

void placeLegendBelowAxes(QCustomPlot* chart, int columns)
{
    QCPLegend* legend = chart->legend;
    legend->setVisible(true);
    legend->setFont(QFont(chart->font().family(), 8));
    legend->setBorderPen(Qt::NoPen);
    legend->setBrush(Qt::NoBrush);
    // Wrap first: setFillOrder rearranges the items already in the legend with the current wrap.
    legend->setWrap(columns);
    legend->setFillOrder(QCPLayoutGrid::foColumnsFirst, true);
    legend->setRowSpacing(0);
    legend->setColumnSpacing(12);
    // Move it out of the axis rect's inset layout into a new bottom row of the plot layout.
    if (QCPLayoutInset* inset = chart->axisRect()->insetLayout(); inset->elementCount() > 0 && inset->take(legend))
        inset->simplify();
    QCPLayoutGrid* layout = chart->plotLayout();
    const int row = layout->rowCount();
    layout->addElement(row, 0, legend);
    legend->setMargins(QMargins(6, 0, 6, 4));
    layout->setRowStretchFactor(row, 0.001);  // as tall as the legend needs, the rest to the axes
}
