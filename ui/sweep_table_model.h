#pragma once
// The rows of a width sweep (bg::WidthSweep) as a table: per weight width × bias width, the
// analysis' counts, the worst output's SQNR / cosine / top-1 of clamp, the fix and the exact-bias
// reference, whether each run is within 1 dB of the reference, and the recommended widths
// (bg::recommendBiasWidths) marked. WeightBitsRole / BiasBitsRole give a row's setting, so that a
// click on it can analyse there.
#include "sweep/bias_width_recommendation.h"
#include "sweep/width_sweep.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

class SweepTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { WeightColumn, BiasColumn, OutOfRangeColumn, UnfixableColumn, ChangedColumn, SqnrClampColumn,
                  SqnrFixedColumn, SqnrExactColumn, CosineClampColumn, CosineFixedColumn, Top1ClampColumn,
                  Top1FixedColumn, WithinColumn, RecommendedColumn, ColumnCount };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int WeightBitsRole = Qt::UserRole + 2;
    static constexpr int BiasBitsRole = Qt::UserRole + 3;
    static constexpr double kToleranceDb = 1.0;  // issue 12's "within 1 dB"

    explicit SweepTableModel(QObject* parent = nullptr);
    void setSweep(std::shared_ptr<const bg::WidthSweep> sweep);
    std::shared_ptr<const bg::WidthSweep> sweep() const { return sweep_; }
    const std::vector<bg::BiasWidthRecommendation>& recommendations() const { return recommendations_; }
    // The row of (weightBits, biasBits), or -1.
    int rowOf(int weightBits, int biasBits) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QString recommendedText(const bg::SweepRow& row) const;

    std::shared_ptr<const bg::WidthSweep> sweep_;
    std::vector<bg::BiasWidthRecommendation> recommendations_;
};
