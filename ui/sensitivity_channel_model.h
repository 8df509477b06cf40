#pragma once
// One layer's channels of a fix sensitivity, ranked by their share of that layer's error in the
// clamp run: which few channels of the layer are worth fixing.
#include "sweep/fix_sensitivity.h"

#include <QAbstractTableModel>

#include <memory>

class SensitivityChannelModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { ChannelColumn, ShareColumn, OutOfRangeColumn, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit SensitivityChannelModel(QObject* parent = nullptr);
    // `layer`: index into sensitivity->layers; -1 or no sensitivity: empty.
    void setLayer(std::shared_ptr<const bg::FixSensitivity> sensitivity, int layer);
    int layerIndex() const { return layer_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    const bg::LayerSensitivity* layer() const;

    std::shared_ptr<const bg::FixSensitivity> sensitivity_;
    int layer_ = -1;
};
