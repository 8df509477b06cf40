#include "graph_layout.h"

#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>

#include <QCoreApplication>
#include <QElapsedTimer>

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace {

// Box sizes in inches: the view writes the operator and the name inside; dot only needs the size
// (fixedsize, no label: Graphviz never measures text, which keeps it fast and font-independent).
constexpr double kBoxWidth = 1.9, kBoxHeight = 0.5;

std::mutex& graphvizMutex()
{
    static std::mutex m;
    return m;
}

struct GraphvizContext {
    GVC_t* gvc = gvContext();
    ~GraphvizContext() { gvFreeContext(gvc); }
};

struct GraphvizGraph {
    Agraph_t* g;
    explicit GraphvizGraph(const char* name) : g(agopen(const_cast<char*>(name), Agdirected, nullptr)) {}
    ~GraphvizGraph() { agclose(g); }
};

void set(void* object, const char* key, const std::string& value)
{
    agsafeset(object, const_cast<char*>(key), const_cast<char*>(value.c_str()), const_cast<char*>(""));
}

} // namespace

GraphLayoutResult GraphLayout::compute(const bg::Graph& graph)
{
    using Vertex = GraphLayoutResult::Vertex;
    GraphLayoutResult result;
    for (size_t i = 0; i < graph.inputs.size(); ++i)
        result.vertices.push_back({Vertex::Kind::Input, static_cast<int>(i), QString::fromStdString(graph.inputs[i].name),
                                   QStringLiteral("input"), {}});
    std::map<std::string, int> producer;  // tensor → vertex that makes it
    for (size_t i = 0; i < graph.inputs.size(); ++i)
        producer[graph.inputs[i].name] = static_cast<int>(i);
    std::vector<std::pair<int, int>> edges;
    for (size_t n = 0; n < graph.nodes.size(); ++n) {
        const bg::Node& node = graph.nodes[n];
        const int v = static_cast<int>(result.vertices.size());
        result.vertices.push_back({Vertex::Kind::Operator, static_cast<int>(n), QString::fromStdString(node.displayName()),
                                   QString::fromStdString(node.opType), {}});
        std::vector<int> seen;  // one edge per producer even when a node reads two of its outputs
        for (const std::string& in : node.inputs) {
            auto it = in.empty() ? producer.end() : producer.find(in);
            if (it == producer.end() || std::find(seen.begin(), seen.end(), it->second) != seen.end())
                continue;  // a constant (weights), an omitted optional input, or already linked
            seen.push_back(it->second);
            edges.emplace_back(it->second, v);
        }
        for (const std::string& out : node.outputs)
            if (!out.empty())
                producer[out] = v;
    }
    for (size_t i = 0; i < graph.outputs.size(); ++i) {
        const int v = static_cast<int>(result.vertices.size());
        result.vertices.push_back({Vertex::Kind::Output, static_cast<int>(i), QString::fromStdString(graph.outputs[i].name),
                                   QStringLiteral("output"), {}});
        if (auto it = producer.find(graph.outputs[i].name); it != producer.end())
            edges.emplace_back(it->second, v);
    }

    std::lock_guard lock(graphvizMutex());
    QElapsedTimer timer;
    timer.start();
    GraphvizContext context;
    GraphvizGraph gv("model");
    set(gv.g, "rankdir", "TB");
    set(gv.g, "nodesep", "0.25");
    set(gv.g, "ranksep", "0.35");
    agattr(gv.g, AGNODE, const_cast<char*>("shape"), const_cast<char*>("box"));
    agattr(gv.g, AGNODE, const_cast<char*>("fixedsize"), const_cast<char*>("true"));
    agattr(gv.g, AGNODE, const_cast<char*>("label"), const_cast<char*>(""));
    agattr(gv.g, AGNODE, const_cast<char*>("width"), const_cast<char*>(std::to_string(kBoxWidth).c_str()));
    agattr(gv.g, AGNODE, const_cast<char*>("height"), const_cast<char*>(std::to_string(kBoxHeight).c_str()));
    std::vector<Agnode_t*> nodes;
    nodes.reserve(result.vertices.size());
    for (size_t v = 0; v < result.vertices.size(); ++v)
        nodes.push_back(agnode(gv.g, const_cast<char*>(("v" + std::to_string(v)).c_str()), 1));
    std::vector<Agedge_t*> gvEdges;
    for (const auto& [from, to] : edges)
        gvEdges.push_back(agedge(gv.g, nodes[static_cast<size_t>(from)], nodes[static_cast<size_t>(to)], nullptr, 1));

    if (gvLayout(context.gvc, gv.g, "dot") != 0) {
        result.error = QCoreApplication::translate("GraphLayout", "Graphviz could not lay out the graph (is its dot plugin installed?)");
        return result;
    }
    // Graphviz: points, y up, origin bottom-left of the bounding box. The scene: y down.
    const boxf bb = GD_bb(gv.g);
    auto toScene = [&](pointf p) { return QPointF(p.x - bb.LL.x, bb.UR.y - p.y); };
    result.bounds = QRectF(0, 0, bb.UR.x - bb.LL.x, bb.UR.y - bb.LL.y);
    for (size_t v = 0; v < nodes.size(); ++v) {
        const QPointF c = toScene(ND_coord(nodes[v]));
        const double w = ND_width(nodes[v]) * 72.0, h = ND_height(nodes[v]) * 72.0;
        result.vertices[v].box = QRectF(c.x() - w / 2, c.y() - h / 2, w, h);
    }
    for (size_t e = 0; e < gvEdges.size(); ++e) {
        GraphLayoutResult::Edge edge{edges[e].first, edges[e].second, {}, {}, {}};
        const splines* spl = ED_spl(gvEdges[e]);
        if (spl && spl->size > 0 && spl->list[0].size >= 4) {
            const bezier& bz = spl->list[0];
            edge.path.moveTo(toScene(bz.list[0]));
            for (size_t i = 1; i + 2 < static_cast<size_t>(bz.size); i += 3)
                edge.path.cubicTo(toScene(bz.list[i]), toScene(bz.list[i + 1]), toScene(bz.list[i + 2]));
            edge.arrowBase = toScene(bz.list[bz.size - 1]);
            edge.arrowTip = bz.eflag ? toScene(bz.ep) : edge.arrowBase;
        } else {
            const QRectF a = result.vertices[static_cast<size_t>(edge.from)].box;
            const QRectF b = result.vertices[static_cast<size_t>(edge.to)].box;
            edge.path.moveTo(a.center().x(), a.bottom());
            edge.path.lineTo(b.center().x(), b.top());
            edge.arrowBase = edge.arrowTip = QPointF(b.center().x(), b.top());
        }
        result.edges.push_back(std::move(edge));
    }
    gvFreeLayout(context.gvc, gv.g);
    result.seconds = static_cast<double>(timer.nsecsElapsed()) * 1e-9;
    return result;
}
