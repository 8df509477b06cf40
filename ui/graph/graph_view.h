#pragma once
// Draws a GraphLayoutResult in a QGraphicsScene: a box per vertex (operator and name inside, its
// colour set by the panel), dot's splines with arrow heads. Wheel zooms about the mouse, dragging
// pans, fit() shows everything; a click on a vertex selects it and emits vertexClicked.
#include "graph_layout.h"

#include <QColor>
#include <QGraphicsView>

#include <vector>

class QGraphicsRectItem;

class GraphView : public QGraphicsView {
    Q_OBJECT
public:
    explicit GraphView(QWidget* parent = nullptr);

    void setLayout(GraphLayoutResult layout);
    const GraphLayoutResult& layoutResult() const { return layout_; }
    // Fill and tooltip per vertex (indexed like the layout's vertices).
    void setVertexStyle(int vertex, const QColor& fill, const QString& tooltip);
    // Selects a vertex (-1: none) and, with `reveal`, scrolls it into view. Emits nothing.
    void selectVertex(int vertex, bool reveal = true);
    int selectedVertex() const { return selected_; }
    // Where a vertex is drawn, in viewport pixels.
    QPoint viewportPointOf(int vertex) const;

public slots:
    void fit();
    void zoomBy(double factor);

signals:
    void vertexClicked(int vertex);

protected:
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void showEvent(QShowEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    GraphLayoutResult layout_;
    std::vector<QGraphicsRectItem*> boxes_;
    // The first view of a new layout waits until the widget has its real size (a hidden tab has none).
    void applyInitialView();
    bool initialViewPending_ = false;
    int selected_ = -1;
    QPoint pressPos_;
};
