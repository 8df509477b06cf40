#include "graph_panel.h"

#include "analysis_panel.h"
#include "colour_scale_legend.h"
#include "comparison_panel.h"
#include "graph_view.h"

#include <QComboBox>
#include <QCompleter>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

GraphPanel::GraphPanel(QWidget* parent) : QWidget(parent)
{
    view_ = new GraphView(this);
    figureBox_ = new QComboBox(this);
    for (auto f : {NodeColouring::Figure::WorstBits, NodeColouring::Figure::OutOfRange, NodeColouring::Figure::SqnrClamp,
                   NodeColouring::Figure::SqnrFixed, NodeColouring::Figure::Operator})
        figureBox_->addItem(NodeColouring::figureName(f), static_cast<int>(f));
    search_ = new QLineEdit(this);
    search_->setPlaceholderText(tr("Find node by name…"));
    search_->setClearButtonEnabled(true);
    auto* fitButton = new QPushButton(tr("Fit"), this);
    auto* zoomIn = new QPushButton(tr("+"), this);
    auto* zoomOut = new QPushButton(tr("−"), this);
    for (QPushButton* b : {zoomIn, zoomOut})
        b->setFixedWidth(32);
    status_ = new QLabel(this);
    legend_ = new ColourScaleLegend(this);

    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Colour by:"), this));
    bar->addWidget(figureBox_);
    bar->addSpacing(12);
    bar->addWidget(search_, 1);
    bar->addWidget(fitButton);
    bar->addWidget(zoomOut);
    bar->addWidget(zoomIn);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(bar);
    layout->addWidget(legend_);
    layout->addWidget(view_, 1);
    layout->addWidget(status_);

    connect(figureBox_, &QComboBox::currentIndexChanged, this,
            [this] { setFigure(static_cast<NodeColouring::Figure>(figureBox_->currentData().toInt())); });
    connect(search_, &QLineEdit::returnPressed, this, [this] {
        if (!find(search_->text()))
            status_->setText(tr("No node named like “%1”").arg(search_->text()));
    });
    connect(fitButton, &QPushButton::clicked, view_, &GraphView::fit);
    connect(zoomIn, &QPushButton::clicked, view_, [this] { view_->zoomBy(1.25); });
    connect(zoomOut, &QPushButton::clicked, view_, [this] { view_->zoomBy(0.8); });
    connect(view_, &GraphView::vertexClicked, this, &GraphPanel::onVertexClicked);
    connect(&watcher_, &QFutureWatcher<GraphLayoutResult>::finished, this, &GraphPanel::onLayoutDone);
    recolour();
}

GraphPanel::~GraphPanel()
{
    watcher_.waitForFinished();
}

void GraphPanel::follow(AnalysisPanel* analysis, ComparisonPanel* comparison)
{
    connect(analysis, &AnalysisPanel::analysisFinished, this, [this, analysis] {
        setAnalysis(analysis->analysis());
        setComparison(nullptr);
    });
    connect(analysis, &AnalysisPanel::layerSelected, this, &GraphPanel::selectLayer);
    connect(this, &GraphPanel::layerClicked, analysis, &AnalysisPanel::selectLayer);
    connect(comparison, &ComparisonPanel::comparisonFinished, this, [this, comparison] {
        setComparison(comparison->comparison());
        setFigure(NodeColouring::Figure::SqnrClamp);
    });
}

void GraphPanel::setModel(std::shared_ptr<const bg::ModelStructure> model)
{
    model_ = std::move(model);
    analysis_.reset();
    comparison_.reset();
    view_->setLayout({});
    pendingLayer_ = -1;
    if (!model_)
        return;
    // One layout at a time: a newer model waits for the running one and lays out after it.
    watcher_.waitForFinished();
    status_->setText(tr("Laying out %1 nodes with Graphviz dot…").arg(model_->graph.nodes.size()));
    watcher_.setFuture(QtConcurrent::run([structure = model_] { return GraphLayout::compute(structure->graph); }));
}

void GraphPanel::onLayoutDone()
{
    GraphLayoutResult layout = watcher_.result();
    const QString error = layout.error;
    const size_t vertices = layout.vertices.size(), edges = layout.edges.size();
    const double seconds = layout.seconds;
    view_->setLayout(std::move(layout));
    QStringList names;
    for (const auto& v : view_->layoutResult().vertices)
        names << v.name;
    auto* completer = new QCompleter(names, search_);
    completer->setCaseSensitivity(Qt::CaseInsensitive);
    completer->setFilterMode(Qt::MatchContains);
    connect(completer, qOverload<const QString&>(&QCompleter::activated), this, [this](const QString& t) { find(t); });
    search_->setCompleter(completer);
    status_->setText(error.isEmpty() ? tr("%1 vertices, %2 edges, laid out by Graphviz dot in %3 s. Wheel: zoom · drag: pan · "
                                          "click a layer to select it in Fold analysis.")
                                           .arg(vertices)
                                           .arg(edges)
                                           .arg(seconds, 0, 'f', 2)
                                     : error);
    recolour();
    if (pendingLayer_ >= 0)
        selectLayer(pendingLayer_);
    emit layoutFinished();
}

void GraphPanel::setAnalysis(std::shared_ptr<const bg::FoldAnalysis> analysis)
{
    analysis_ = std::move(analysis);
    recolour();
    // The analysis tab selects its worst layer before it announces the analysis: show it now.
    if (pendingLayer_ >= 0)
        selectLayer(pendingLayer_);
}

void GraphPanel::setComparison(std::shared_ptr<const bg::ModelComparison> comparison)
{
    comparison_ = std::move(comparison);
    recolour();
}

void GraphPanel::setFigure(NodeColouring::Figure figure)
{
    figure_ = figure;
    const int i = figureBox_->findData(static_cast<int>(figure));
    if (i != figureBox_->currentIndex()) {
        QSignalBlocker block(figureBox_);
        figureBox_->setCurrentIndex(i);
    }
    recolour();
}

void GraphPanel::recolour()
{
    const NodeColouring colouring(model_.get(), analysis_.get(), comparison_.get());
    NodeColouring::Figure f = colouring.available(figure_) ? figure_ : NodeColouring::Figure::Operator;
    const auto& vertices = view_->layoutResult().vertices;
    for (size_t v = 0; v < vertices.size(); ++v)
        view_->setVertexStyle(static_cast<int>(v), colouring.colour(f, vertices[v]), colouring.tooltip(f, vertices[v]));
    NodeColouring::Legend legend = colouring.legend(f);
    if (f != figure_)
        legend.title = tr("%1 (%2 shows once the %3 ran)")
                           .arg(legend.title, NodeColouring::figureName(figure_),
                                figure_ == NodeColouring::Figure::SqnrClamp || figure_ == NodeColouring::Figure::SqnrFixed
                                    ? tr("comparison")
                                    : tr("analysis"));
    legend_->setScale(legend.title, legend.stops, legend.labels);
}

int GraphPanel::vertexOfNode(int node) const
{
    const auto& vertices = view_->layoutResult().vertices;
    for (size_t v = 0; v < vertices.size(); ++v)
        if (vertices[v].kind == GraphLayoutResult::Vertex::Kind::Operator && vertices[v].index == node)
            return static_cast<int>(v);
    return -1;
}

void GraphPanel::selectLayer(int layer)
{
    pendingLayer_ = layer;  // applied again when the layout or the analysis arrives
    const NodeColouring colouring(model_.get(), analysis_.get(), comparison_.get());
    const int node = colouring.nodeOfLayer(layer);
    if (view_->layoutResult().vertices.empty())
        return;
    const int vertex = node >= 0 ? vertexOfNode(node) : -1;
    // Already there (the selection came from a click here): keep the view where the user is.
    if (vertex != view_->selectedVertex())
        view_->selectVertex(vertex, isVisible());
}

bool GraphPanel::find(const QString& text)
{
    if (text.isEmpty())
        return false;
    const auto& vertices = view_->layoutResult().vertices;
    for (size_t v = 0; v < vertices.size(); ++v)
        if (vertices[v].name.contains(text, Qt::CaseInsensitive)) {
            view_->selectVertex(static_cast<int>(v), true);
            onVertexClicked(static_cast<int>(v));
            return true;
        }
    return false;
}

void GraphPanel::onVertexClicked(int vertex)
{
    const auto& v = view_->layoutResult().vertices[static_cast<size_t>(vertex)];
    const NodeColouring colouring(model_.get(), analysis_.get(), comparison_.get());
    const int layer = v.kind == GraphLayoutResult::Vertex::Kind::Operator ? colouring.layerOfNode(v.index) : -1;
    status_->setText(layer >= 0 ? tr("%1 %2: layer %3, selected in Fold analysis")
                                      .arg(v.op, v.name, QString::fromStdString(analysis_->layers[static_cast<size_t>(layer)].name))
                                : tr("%1 %2").arg(v.op, v.name));
    if (layer >= 0)
        emit layerClicked(layer);
}
