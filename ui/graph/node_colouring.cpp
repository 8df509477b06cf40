#include "node_colouring.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace {

// Green (fine) → yellow (at the limit) → red (broken), the one scale of every figure.
QGradientStops trafficLight()
{
    return {{0.0, QColor(90, 180, 100)}, {0.5, QColor(245, 210, 70)}, {1.0, QColor(210, 40, 40)}};
}

QColor at(const QGradientStops& stops, double t)
{
    t = std::clamp(t, 0.0, 1.0);
    for (int i = 1; i < stops.size(); ++i)
        if (t <= stops[i].first) {
            const double f = (t - stops[i - 1].first) / (stops[i].first - stops[i - 1].first);
            const QColor a = stops[i - 1].second, b = stops[i].second;
            return QColor::fromRgbF(static_cast<float>(a.redF() + f * (b.redF() - a.redF())),
                                    static_cast<float>(a.greenF() + f * (b.greenF() - a.greenF())),
                                    static_cast<float>(a.blueF() + f * (b.blueF() - a.blueF())));
        }
    return stops.back().second;
}

QString tr(const char* text)
{
    return QCoreApplication::translate("NodeColouring", text);
}

// SQNR scale: ≥ 40 dB green, 20 dB yellow, ≤ 0 dB red.
constexpr double kSqnrGood = 40.0;

} // namespace

NodeColouring::NodeColouring(const bg::ModelStructure* model, const bg::FoldAnalysis* analysis,
                             const bg::ModelComparison* comparison)
    : model_(model), analysis_(analysis), comparison_(comparison)
{
    if (model_ && analysis_)
        for (size_t li = 0; li < analysis_->layers.size(); ++li) {
            const size_t p = analysis_->layers[li].pairIndex;
            if (p >= model_->pairs.pairs.size())
                continue;
            const auto& pair = model_->pairs.pairs[p];
            layerOfNode_[static_cast<int>(pair.linearIndex)] = static_cast<int>(li);
            layerOfNode_[static_cast<int>(pair.bnIndex)] = static_cast<int>(li);
            nodeOfLayer_[static_cast<int>(li)] = static_cast<int>(pair.linearIndex);
        }
    if (comparison_)
        for (size_t i = 0; i < comparison_->layers.size(); ++i)
            comparisonByName_[comparison_->layers[i].name] = i;
}

QString NodeColouring::figureName(Figure f)
{
    switch (f) {
    case Figure::Operator: return tr("Operator kind");
    case Figure::WorstBits: return tr("Bits needed (worst channel)");
    case Figure::OutOfRange: return tr("Out-of-range channels");
    case Figure::SqnrClamp: return tr("SQNR, clamp (naive fold)");
    case Figure::SqnrFixed: return tr("SQNR, fixed (plan)");
    }
    return {};
}

bool NodeColouring::available(Figure f) const
{
    switch (f) {
    case Figure::Operator: return true;
    case Figure::WorstBits:
    case Figure::OutOfRange: return analysis_ != nullptr;
    case Figure::SqnrClamp:
    case Figure::SqnrFixed: return comparison_ != nullptr;
    }
    return false;
}

int NodeColouring::layerOfNode(int node) const
{
    const auto it = layerOfNode_.find(node);
    return it == layerOfNode_.end() ? -1 : it->second;
}

int NodeColouring::nodeOfLayer(int layer) const
{
    const auto it = nodeOfLayer_.find(layer);
    return it == nodeOfLayer_.end() ? -1 : it->second;
}

const bg::LayerComparison* NodeColouring::comparisonOf(const GraphLayoutResult::Vertex& v) const
{
    if (!comparison_ || !model_ || v.kind != GraphLayoutResult::Vertex::Kind::Operator)
        return nullptr;
    // A fusion group's figures belong to its linear layer, and to its BN (same group).
    std::string name = model_->graph.nodes[static_cast<size_t>(v.index)].displayName();
    if (const int li = layerOfNode(v.index); li >= 0)
        name = analysis_->layers[static_cast<size_t>(li)].name;
    const auto it = comparisonByName_.find(name);
    return it == comparisonByName_.end() ? nullptr : &comparison_->layers[it->second];
}

bool NodeColouring::value(Figure f, const GraphLayoutResult::Vertex& v, double* figure, double* position) const
{
    if (v.kind != GraphLayoutResult::Vertex::Kind::Operator)
        return false;
    if (f == Figure::SqnrClamp || f == Figure::SqnrFixed) {
        const bg::LayerComparison* lc = comparisonOf(v);
        if (!lc)
            return false;
        *figure = f == Figure::SqnrClamp ? lc->quantized.sqnrDb : lc->fixed.sqnrDb;
        *position = std::isfinite(*figure) ? 1.0 - std::clamp(*figure / kSqnrGood, 0.0, 1.0) : 0.0;
        return true;
    }
    const int li = layerOfNode(v.index);
    if (!analysis_ || li < 0)
        return false;
    const bg::LayerAnalysis& layer = analysis_->layers[static_cast<size_t>(li)];
    const int nb = analysis_->settings.biasBits;
    if (f == Figure::WorstBits) {
        // n_b − 8 … n_b … n_b + 8 across the scale: the limit sits at its yellow middle.
        *figure = layer.maxBits;
        *position = (static_cast<double>(layer.maxBits - nb) + 8.0) / 16.0;
        return true;
    }
    if (f == Figure::OutOfRange) {
        *figure = static_cast<double>(layer.outOfRange);
        // None green; one is already yellow-orange; a quarter of the channels or more red.
        const double share = layer.channels.empty() ? 0 : *figure / static_cast<double>(layer.channels.size());
        *position = layer.outOfRange == 0 ? 0.0 : 0.55 + 0.45 * std::clamp(share * 4, 0.0, 1.0);
        return true;
    }
    return false;
}

QColor NodeColouring::colour(Figure f, const GraphLayoutResult::Vertex& v) const
{
    if (v.kind != GraphLayoutResult::Vertex::Kind::Operator)
        return {200, 220, 245};  // graph inputs and outputs
    if (f == Figure::Operator) {
        if (layerOfNode(v.index) >= 0)
            return v.op == "BatchNormalization" ? QColor(215, 200, 240) : QColor(170, 200, 240);
        return noFigureColour();
    }
    double figure = 0, position = 0;
    return value(f, v, &figure, &position) ? at(trafficLight(), position) : noFigureColour();
}

QString NodeColouring::tooltip(Figure f, const GraphLayoutResult::Vertex& v) const
{
    QString text = QString("<b>%1</b> %2").arg(v.op.toHtmlEscaped(), v.name.toHtmlEscaped());
    if (v.kind != GraphLayoutResult::Vertex::Kind::Operator)
        return text;
    if (const int li = layerOfNode(v.index); li >= 0 && analysis_) {
        const auto& l = analysis_->layers[static_cast<size_t>(li)];
        text += tr("<br>layer %1: %2 channels, %3 out of range, worst %4 bits of %5")
                    .arg(QString::fromStdString(l.name).toHtmlEscaped())
                    .arg(l.channels.size())
                    .arg(l.outOfRange)
                    .arg(l.maxBits)
                    .arg(analysis_->settings.biasBits);
    }
    if (const bg::LayerComparison* lc = comparisonOf(v))
        text += tr("<br>SQNR clamp %1 dB, fixed %2 dB (alone: %3 / %4 dB)")
                    .arg(lc->quantized.sqnrDb, 0, 'f', 1)
                    .arg(lc->fixed.sqnrDb, 0, 'f', 1)
                    .arg(lc->isolatedQuantized.sqnrDb, 0, 'f', 1)
                    .arg(lc->isolatedFixed.sqnrDb, 0, 'f', 1);
    (void)f;
    return text;
}

NodeColouring::Legend NodeColouring::legend(Figure f) const
{
    Legend l;
    l.title = figureName(f);
    if (f == Figure::Operator) {
        l.title += tr(": blue = foldable linear layer, lilac = its BatchNorm, light blue = graph input/output");
        return l;
    }
    l.stops = trafficLight();
    const int nb = analysis_ ? analysis_->settings.biasBits : 16;
    switch (f) {
    case Figure::WorstBits:
        l.labels = {{0.0, tr("≤ %1").arg(nb - 8)}, {0.5, tr("%1 (register)").arg(nb)}, {1.0, tr("≥ %1 bits").arg(nb + 8)}};
        break;
    case Figure::OutOfRange:
        l.labels = {{0.0, tr("none")}, {0.55, tr("one")}, {1.0, tr("≥ ¼ of the channels")}};
        break;
    case Figure::SqnrClamp:
    case Figure::SqnrFixed:
        l.labels = {{0.0, tr("≥ %1 dB").arg(kSqnrGood)}, {0.5, tr("%1 dB").arg(kSqnrGood / 2)}, {1.0, tr("≤ 0 dB")}};
        break;
    case Figure::Operator: break;
    }
    return l;
}
