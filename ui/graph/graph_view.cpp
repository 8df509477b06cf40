#include "graph_view.h"

#include <QGraphicsPathItem>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QGraphicsSimpleTextItem>
#include <QMouseEvent>
#include <QScrollBar>
#include <QWheelEvent>

#include <cmath>

namespace {
const QColor kSelectedPen(20, 60, 200);  // blue: visible on every fill of the green–red scale
constexpr int kVertexKey = 0;  // QGraphicsItem::data key holding the vertex index
} // namespace

GraphView::GraphView(QWidget* parent) : QGraphicsView(parent)
{
    setScene(new QGraphicsScene(this));
    setRenderHint(QPainter::Antialiasing);
    setDragMode(QGraphicsView::ScrollHandDrag);
    setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
    setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    setBackgroundBrush(QColor(250, 250, 250));
}

void GraphView::setLayout(GraphLayoutResult layout)
{
    scene()->clear();
    boxes_.clear();
    selected_ = -1;
    layout_ = std::move(layout);
    const QPen edgePen(QColor(110, 110, 110), 1.0);
    for (const auto& e : layout_.edges) {
        scene()->addPath(e.path, edgePen)->setZValue(0);
        // An arrow head from dot's arrow base to its tip.
        const QPointF d = e.arrowTip - e.arrowBase;
        const double len = std::hypot(d.x(), d.y());
        if (len > 0.5) {
            const QPointF u = d / len, n(-u.y(), u.x());
            QPolygonF head;
            head << e.arrowTip << e.arrowBase + n * 3.5 << e.arrowBase - n * 3.5;
            scene()->addPolygon(head, edgePen, QColor(110, 110, 110))->setZValue(0);
        }
    }
    QFont opFont = font();
    opFont.setBold(true);
    opFont.setPointSizeF(9);
    QFont nameFont = font();
    nameFont.setPointSizeF(7);
    for (size_t v = 0; v < layout_.vertices.size(); ++v) {
        const auto& vx = layout_.vertices[v];
        auto* box = scene()->addRect(vx.box, QPen(QColor(90, 90, 90), 0.8), QColor(230, 230, 230));
        box->setZValue(1);
        box->setData(kVertexKey, static_cast<int>(v));
        auto* op = new QGraphicsSimpleTextItem(vx.op, box);
        op->setFont(opFont);
        auto* name = new QGraphicsSimpleTextItem(box);
        name->setFont(nameFont);
        name->setText(QFontMetricsF(nameFont).elidedText(vx.name, Qt::ElideMiddle, vx.box.width() - 6));
        op->setPos(vx.box.center().x() - op->boundingRect().width() / 2, vx.box.top() + 2);
        name->setPos(vx.box.center().x() - name->boundingRect().width() / 2, vx.box.bottom() - name->boundingRect().height() - 2);
        box->setToolTip(QString("%1 %2").arg(vx.op, vx.name));
        boxes_.push_back(box);
    }
    scene()->setSceneRect(layout_.bounds.adjusted(-20, -20, 20, 20));
    initialViewPending_ = !layout_.vertices.empty();
    if (isVisible())
        applyInitialView();
}

void GraphView::applyInitialView()
{
    if (!initialViewPending_ || viewport()->width() < 50 || viewport()->height() < 50)
        return;
    initialViewPending_ = false;
    fit();
    // A deep model fitted whole is a thin line of unreadable boxes: start at a readable scale on the
    // selected node (the worst layer), else at the inputs; Fit shows the whole model.
    if (transform().m11() < 0.45) {
        setTransform(QTransform::fromScale(0.8, 0.8));
        if (selected_ >= 0)
            centerOn(boxes_[static_cast<size_t>(selected_)]);
        else
            centerOn(scene()->sceneRect().center().x(), scene()->sceneRect().top() + viewport()->height() / 2.0 / 0.8);
    }
}

void GraphView::showEvent(QShowEvent* event)
{
    QGraphicsView::showEvent(event);
    applyInitialView();
}

void GraphView::resizeEvent(QResizeEvent* event)
{
    QGraphicsView::resizeEvent(event);
    applyInitialView();
}

void GraphView::setVertexStyle(int vertex, const QColor& fill, const QString& tooltip)
{
    if (vertex < 0 || vertex >= static_cast<int>(boxes_.size()))
        return;
    QGraphicsRectItem* box = boxes_[static_cast<size_t>(vertex)];
    box->setBrush(fill);
    box->setToolTip(tooltip);
}

void GraphView::selectVertex(int vertex, bool reveal)
{
    if (selected_ >= 0 && selected_ < static_cast<int>(boxes_.size()))
        boxes_[static_cast<size_t>(selected_)]->setPen(QPen(QColor(90, 90, 90), 0.8));
    selected_ = vertex >= 0 && vertex < static_cast<int>(boxes_.size()) ? vertex : -1;
    if (selected_ < 0)
        return;
    QGraphicsRectItem* box = boxes_[static_cast<size_t>(selected_)];
    box->setPen(QPen(kSelectedPen, 3));
    if (reveal && !initialViewPending_) {
        // Zoomed out too far to read the box: zoom in to a readable scale first.
        if (transform().m11() < 0.6)
            setTransform(QTransform::fromScale(1.0, 1.0));
        ensureVisible(box, 80, 80);
    }
}

QPoint GraphView::viewportPointOf(int vertex) const
{
    return mapFromScene(layout_.vertices[static_cast<size_t>(vertex)].box.center());
}

void GraphView::fit()
{
    if (!scene()->items().isEmpty())
        fitInView(scene()->sceneRect(), Qt::KeepAspectRatio);
}

void GraphView::zoomBy(double factor)
{
    // Between a whole-model overview and boxes a few hundred pixels wide.
    const double s = transform().m11() * factor;
    if (s < 0.005 || s > 8)
        return;
    scale(factor, factor);
}

void GraphView::wheelEvent(QWheelEvent* event)
{
    zoomBy(std::pow(1.0015, event->angleDelta().y()));
    event->accept();
}

void GraphView::mousePressEvent(QMouseEvent* event)
{
    pressPos_ = event->pos();
    QGraphicsView::mousePressEvent(event);
}

void GraphView::mouseReleaseEvent(QMouseEvent* event)
{
    QGraphicsView::mouseReleaseEvent(event);
    if (event->button() != Qt::LeftButton || (event->pos() - pressPos_).manhattanLength() > 4)
        return;  // the end of a pan
    for (QGraphicsItem* item : items(event->pos())) {
        while (item->parentItem())
            item = item->parentItem();
        const QVariant v = item->data(kVertexKey);
        if (v.isValid()) {
            selectVertex(v.toInt(), false);
            emit vertexClicked(v.toInt());
            return;
        }
    }
}
