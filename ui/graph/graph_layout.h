#pragma once
// The model graph laid out by Graphviz's dot (cgraph + gvc): one box per operator, one per graph
// input and output, the edges as dot's splines. The one place that talks to Graphviz; the view
// draws the result. compute() is a pure function of the Graph and runs in a background job
// (Graphviz's globals are not thread-safe: one layout runs at a time, serialised inside).
#include "model/graph.h"

#include <QPainterPath>
#include <QPointF>
#include <QRectF>
#include <QString>

#include <vector>

struct GraphLayoutResult {
    struct Vertex {
        enum class Kind { Operator, Input, Output };
        Kind kind = Kind::Operator;
        int index = -1;  // into graph.nodes, graph.inputs or graph.outputs (by kind)
        QString name;    // node display name / tensor name
        QString op;      // operator type; "input" / "output"
        QRectF box;      // scene coordinates (points, y down)
    };
    struct Edge {
        int from = -1, to = -1;  // into vertices
        QPainterPath path;       // dot's spline, ending where the arrow head starts
        QPointF arrowBase, arrowTip;
    };
    std::vector<Vertex> vertices;
    std::vector<Edge> edges;
    QRectF bounds;
    double seconds = 0.0;  // time dot took
    QString error;         // non-empty: Graphviz failed (nothing laid out)
};

class GraphLayout {
public:
    // Lays out every operator of `graph` (constants are not vertices: they are weights) with its
    // data edges, graph inputs at the top, outputs at the bottom.
    static GraphLayoutResult compute(const bg::Graph& graph);
};
