#pragma once
// The Graph tab: the model drawn by Graphviz (laid out in a background job, the GUI stays
// responsive), coloured by a chosen figure with its legend; search by node name, fit, zoom, pan.
// Clicking a foldable layer (its linear node or its BN) selects it in the analysis tab; selecting
// a layer there selects its node here.
#include "graph_layout.h"
#include "node_colouring.h"

#include "analysis/fold_analysis.h"
#include "comparison/model_comparison.h"
#include "folding/model_structure.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class AnalysisPanel;
class ColourScaleLegend;
class ComparisonPanel;
class GraphView;
class QComboBox;
class QLabel;
class QLineEdit;

class GraphPanel : public QWidget {
    Q_OBJECT
public:
    explicit GraphPanel(QWidget* parent = nullptr);
    ~GraphPanel() override;

    // Lays out the model's graph in the background (the previous drawing is dropped at once).
    void setModel(std::shared_ptr<const bg::ModelStructure> model);
    void setAnalysis(std::shared_ptr<const bg::FoldAnalysis> analysis);
    void setComparison(std::shared_ptr<const bg::ModelComparison> comparison);
    // Wires this panel to the analysis and comparison tabs (results and the layer selection).
    void follow(AnalysisPanel* analysis, ComparisonPanel* comparison);

    void setFigure(NodeColouring::Figure figure);
    // Selects (and shows) the node of analysis layer `layer`; -1 clears the selection.
    void selectLayer(int layer);
    // Finds the first vertex whose name contains `text` (case-insensitive), selects and shows it.
    bool find(const QString& text);

    GraphView* view() const { return view_; }
    bool isLayingOut() const { return watcher_.isRunning(); }

signals:
    void layoutFinished();
    // The user clicked a node of analysis layer `layer`.
    void layerClicked(int layer);

private:
    void onLayoutDone();
    void recolour();
    void onVertexClicked(int vertex);
    int vertexOfNode(int node) const;

    std::shared_ptr<const bg::ModelStructure> model_;
    std::shared_ptr<const bg::FoldAnalysis> analysis_;
    std::shared_ptr<const bg::ModelComparison> comparison_;
    NodeColouring::Figure figure_ = NodeColouring::Figure::WorstBits;
    QFutureWatcher<GraphLayoutResult> watcher_;
    GraphView* view_;
    QComboBox* figureBox_;
    QLineEdit* search_;
    QLabel* status_;
    ColourScaleLegend* legend_;
    int pendingLayer_ = -1;  // selected before the layout arrived
};
