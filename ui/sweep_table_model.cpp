#include "sweep_table_model.h"

#include "metric_format.h"

#include <QBrush>
#include <QColor>
#include <QFont>

SweepTableModel::SweepTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void SweepTableModel::setSweep(std::shared_ptr<const bg::WidthSweep> sweep)
{
    beginResetModel();
    sweep_ = std::move(sweep);
    recommendations_ = sweep_ ? bg::recommendBiasWidths(sweep_->rows, kToleranceDb) : std::vector<bg::BiasWidthRecommendation>{};
    endResetModel();
}

int SweepTableModel::rowOf(int weightBits, int biasBits) const
{
    if (!sweep_)
        return -1;
    for (size_t i = 0; i < sweep_->rows.size(); ++i)
        if (sweep_->rows[i].weightBits == weightBits && sweep_->rows[i].biasBits == biasBits)
            return static_cast<int>(i);
    return -1;
}

int SweepTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() || !sweep_ ? 0 : static_cast<int>(sweep_->rows.size());
}

int SweepTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString SweepTableModel::recommendedText(const bg::SweepRow& row) const
{
    QStringList parts;
    for (const bg::BiasWidthRecommendation& r : recommendations_) {
        if (r.weightBits != row.weightBits)
            continue;
        if (r.withoutFix && *r.withoutFix == row.biasBits)
            parts << tr("without fix");
        if (r.withFix && *r.withFix == row.biasBits)
            parts << tr("with fix");
    }
    return parts.join(QStringLiteral(", "));
}

QVariant SweepTableModel::data(const QModelIndex& index, int role) const
{
    if (!sweep_ || !index.isValid() || index.row() >= rowCount() || index.column() >= ColumnCount)
        return {};
    const bg::SweepRow& r = sweep_->rows[static_cast<size_t>(index.row())];
    if (role == WeightBitsRole)
        return r.weightBits;
    if (role == BiasBitsRole)
        return r.biasBits;
    const QString recommended = recommendedText(r);
    if (role == Qt::FontRole && !recommended.isEmpty()) {
        QFont bold;
        bold.setBold(true);
        return bold;
    }
    if (role == Qt::ForegroundRole && index.column() == OutOfRangeColumn && r.outOfRange > 0)
        return QBrush(QColor(0xc0, 0x20, 0x20));
    if (role == Qt::TextAlignmentRole && index.column() < WithinColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && index.column() == BiasColumn)
        return tr("Click to analyse at W%1 with a %2-bit bias register").arg(r.weightBits).arg(r.biasBits);
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool raw = role == SortRole;
    const bg::RunFigures c = bg::worstFigures(r, bg::SweepRun::Clamp);
    const bg::RunFigures f = bg::worstFigures(r, bg::SweepRun::Fixed);
    const bg::RunFigures e = bg::worstFigures(r, bg::SweepRun::ExactBias);
    auto db = [raw](double v) { return raw ? QVariant(v) : QVariant(formatDb(v)); };
    auto cosine = [raw](double v) { return raw ? QVariant(v) : QVariant(QString::number(v, 'f', 5)); };
    auto top1 = [raw](const std::optional<double>& v) {
        if (!v)
            return QVariant();
        return raw ? QVariant(*v) : QVariant(QString::number(*v, 'f', 3));
    };
    switch (index.column()) {
    case WeightColumn: return r.weightBits;
    case BiasColumn: return r.biasBits;
    case OutOfRangeColumn: return static_cast<qlonglong>(r.outOfRange);
    case UnfixableColumn: return static_cast<qlonglong>(r.unfixable);
    case ChangedColumn: return static_cast<qlonglong>(r.channelsChanged);
    case SqnrClampColumn: return db(c.sqnrDb);
    case SqnrFixedColumn: return db(f.sqnrDb);
    case SqnrExactColumn: return db(e.sqnrDb);
    case CosineClampColumn: return cosine(c.cosine);
    case CosineFixedColumn: return cosine(f.cosine);
    case Top1ClampColumn: return top1(c.top1);
    case Top1FixedColumn: return top1(f.top1);
    case WithinColumn: {
        QStringList within;
        const std::vector<double> reference = bg::referenceSqnr(sweep_->rows, r.weightBits);
        if (bg::withinReference(r, bg::SweepRun::Clamp, reference, kToleranceDb))
            within << tr("clamp");
        if (bg::withinReference(r, bg::SweepRun::Fixed, reference, kToleranceDb))
            within << tr("fixed");
        return within.join(QStringLiteral(", "));
    }
    case RecommendedColumn: return recommended;
    default: return {};
    }
}

QVariant SweepTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    static const char* names[] = {"W", "Bias", "Out of range", "Unfixable", "Fix changes", "SQNR clamp", "SQNR fixed",
                                  "SQNR exact", "Cosine clamp", "Cosine fixed", "Top-1 clamp", "Top-1 fixed",
                                  "Within 1 dB", "Recommended"};
    static const char* tips[] = {"weight width (bits)", "bias register width (bits)",
                                 "channels whose naive merged bias leaves the register",
                                 "channels even the fix leaves above half an output step",
                                 "channels the fix runs with another strategy than the naive fold",
                                 "worst output, naive fold (saturating bias)", "worst output, with the fix plan",
                                 "worst output, every bias held exactly (the reference)", "", "",
                                 "agreement of the arg-max with float (rank-2 outputs)", "",
                                 "runs whose SQNR is within 1 dB of the reference on every output (the exact-bias run, or the naive fold at the widest width when nothing is out of range there and it is lower)",
                                 "the smallest width from which on the run stays within 1 dB"};
    if (role == Qt::DisplayRole)
        return tr(names[section]);
    if (role == Qt::ToolTipRole && *tips[section])
        return tr(tips[section]);
    return {};
}
