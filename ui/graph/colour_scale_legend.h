#pragma once
// The graph view's legend: the colour scale of the chosen figure as a gradient bar with its labels
// at the ends and the middle, and a swatch for "no figure" (operators that are not analysed layers).
#include <QGradientStops>
#include <QWidget>

class ColourScaleLegend : public QWidget {
    Q_OBJECT
public:
    explicit ColourScaleLegend(QWidget* parent = nullptr);
    // `labels`: (position 0..1, text). Empty stops: a legend of the operator colours only.
    void setScale(const QString& title, const QGradientStops& stops, const QList<QPair<double, QString>>& labels);
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QString title_;
    QGradientStops stops_;
    QList<QPair<double, QString>> labels_;
};
