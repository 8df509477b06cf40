#include "node_table_model.h"

#include <QStringList>

NodeTableModel::NodeTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void NodeTableModel::setGraph(std::shared_ptr<const bg::Graph> graph)
{
    beginResetModel();
    graph_ = std::move(graph);
    endResetModel();
}

int NodeTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !graph_ ? 0 : static_cast<int>(graph_->nodes.size());
}

int NodeTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

static QString joinNames(const std::vector<std::string>& names)
{
    QStringList list;
    for (const auto& n : names)
        list << (n.empty() ? QStringLiteral("∅") : QString::fromStdString(n));
    return list.join(", ");
}

QVariant NodeTableModel::data(const QModelIndex& index, int role) const
{
    if (!graph_ || !index.isValid() || index.row() >= rowCount() || role != Qt::DisplayRole)
        return {};
    const bg::Node& node = graph_->nodes[static_cast<size_t>(index.row())];
    switch (index.column()) {
    case IndexColumn: return index.row();
    case OpColumn: return QString::fromStdString(node.opType);
    case NameColumn: return QString::fromStdString(node.displayName());
    case InputsColumn: return joinNames(node.inputs);
    case OutputsColumn: return joinNames(node.outputs);
    default: return {};
    }
}

QVariant NodeTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* names[] = {"#", "Operator", "Name", "Inputs", "Outputs"};
    return section >= 0 && section < ColumnCount ? QVariant(tr(names[section])) : QVariant();
}
