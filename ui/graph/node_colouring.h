#pragma once
// What colour each vertex of the drawn graph gets for the figure the user picks: the bits the
// layer's worst channel needs, its out-of-range channels, or its SQNR (clamp / fixed, when a
// comparison ran); with its tooltip and the legend of the scale. Operators that are not analysed
// layers get the "no figure" grey; in the Operator figure, vertices are coloured by kind.
#include "graph_layout.h"

#include "analysis/fold_analysis.h"
#include "comparison/model_comparison.h"
#include "folding/model_structure.h"

#include <QColor>
#include <QGradientStops>
#include <QList>
#include <QPair>
#include <QString>

#include <map>
#include <string>

class NodeColouring {
public:
    enum class Figure { Operator, WorstBits, OutOfRange, SqnrClamp, SqnrFixed };
    struct Legend {
        QString title;
        QGradientStops stops;                  // empty: no scale (Operator)
        QList<QPair<double, QString>> labels;  // position 0..1 on the bar, text
    };

    // Any of the pointers may be null (no model, not analysed yet, not compared yet).
    NodeColouring(const bg::ModelStructure* model, const bg::FoldAnalysis* analysis, const bg::ModelComparison* comparison);

    static QString figureName(Figure f);
    static QColor noFigureColour() { return {222, 222, 222}; }
    // Whether the figure can be shown (SQNR needs a comparison, the others an analysis).
    bool available(Figure f) const;

    QColor colour(Figure f, const GraphLayoutResult::Vertex& v) const;
    QString tooltip(Figure f, const GraphLayoutResult::Vertex& v) const;
    Legend legend(Figure f) const;

    // The analysis layer (index into FoldAnalysis::layers) whose L or BN is graph node `node`, or -1.
    int layerOfNode(int node) const;
    // The graph node of L of analysis layer `layer`, or -1.
    int nodeOfLayer(int layer) const;

private:
    // The figure's value for a vertex, and its position 0..1 on the scale; false: no figure.
    bool value(Figure f, const GraphLayoutResult::Vertex& v, double* figure, double* position) const;
    const bg::LayerComparison* comparisonOf(const GraphLayoutResult::Vertex& v) const;

    const bg::ModelStructure* model_;
    const bg::FoldAnalysis* analysis_;
    const bg::ModelComparison* comparison_;
    std::map<int, int> layerOfNode_;
    std::map<int, int> nodeOfLayer_;
    std::map<std::string, size_t> comparisonByName_;
};
