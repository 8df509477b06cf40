#pragma once
// The graph's nodes as a table: index, operator, name, inputs, outputs.
#include "model/graph.h"

#include <QAbstractTableModel>

#include <memory>

class NodeTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { IndexColumn, OpColumn, NameColumn, InputsColumn, OutputsColumn, ColumnCount };

    explicit NodeTableModel(QObject* parent = nullptr);
    void setGraph(std::shared_ptr<const bg::Graph> graph);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const bg::Graph> graph_;
};
