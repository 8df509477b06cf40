#pragma once
// The layers of a fix sensitivity (bg::FixSensitivity) in their ranking: each layer with
// out-of-range channels, the output SQNR with only that layer fixed and the gain over clamp, and
// whether it belongs to the smallest plan that gives 90 % of the whole fix's gain.
#include "sweep/fix_sensitivity.h"

#include <QAbstractTableModel>

#include <memory>

class SensitivityLayerModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { RankColumn, LayerColumn, OutOfRangeColumn, ChangedColumn, SqnrColumn, GainColumn, NeededColumn, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;

    explicit SensitivityLayerModel(QObject* parent = nullptr);
    void setSensitivity(std::shared_ptr<const bg::FixSensitivity> sensitivity);
    std::shared_ptr<const bg::FixSensitivity> sensitivity() const { return sensitivity_; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::shared_ptr<const bg::FixSensitivity> sensitivity_;
};
