#include "channel_table_model.h"

#include <QBrush>
#include <QColor>
#include <QFont>

ChannelTableModel::ChannelTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ChannelTableModel::setLayer(std::shared_ptr<const bg::FoldAnalysis> analysis, int layerIndex)
{
    beginResetModel();
    analysis_ = std::move(analysis);
    layerIndex_ = layerIndex;
    endResetModel();
}

void ChannelTableModel::setPlan(const bg::FixPlan& plan)
{
    plan_ = plan;
    if (rowCount() > 0)
        emit dataChanged(index(0, StrategyColumn), index(rowCount() - 1, StrategyColumn));
}

const bg::LayerAnalysis* ChannelTableModel::layer() const
{
    if (!analysis_ || layerIndex_ < 0 || layerIndex_ >= static_cast<int>(analysis_->layers.size()))
        return nullptr;
    return &analysis_->layers[static_cast<size_t>(layerIndex_)];
}

int ChannelTableModel::rowCount(const QModelIndex& parent) const
{
    const bg::LayerAnalysis* l = layer();
    return parent.isValid() || !l ? 0 : static_cast<int>(l->channels.size());
}

int ChannelTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ChannelTableModel::data(const QModelIndex& index, int role) const
{
    const bg::LayerAnalysis* l = layer();
    if (!l || !index.isValid() || index.row() >= rowCount())
        return {};
    const bg::ChannelAnalysis& c = l->channels[static_cast<size_t>(index.row())];
    if (role == Qt::BackgroundRole && c.outOfRange)
        return QBrush(QColor(0xfb, 0xe0, 0xe0));
    if (role == Qt::TextAlignmentRole && index.column() != StrategyColumn)
        return QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (index.column() == StrategyColumn && role != Qt::ToolTipRole && role != Qt::BackgroundRole)
        return planData(*l, c, role);
    if (role == Qt::ToolTipRole)
        return c.note.empty() ? QVariant() : QVariant(QString::fromStdString(c.note));
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    const bool raw = role == SortRole;
    auto num = [raw](double v) { return raw ? QVariant(v) : QVariant(QString::number(v, 'g', 5)); };
    switch (index.column()) {
    case ChannelColumn: return static_cast<qlonglong>(c.channel);
    case GammaColumn: return num(c.gamma);
    case FoldFactorColumn: return num(c.foldFactor);
    case BiasFloatColumn: return num(c.biasFloat);
    case WeightScaleColumn: return num(c.weightScale);
    case BiasExactColumn: return num(c.biasExact);
    case BitsColumn: return c.bits;
    case OutOfRangeColumn: return raw ? QVariant(c.outOfRange) : QVariant(c.outOfRange ? tr("yes") : QString());
    case BitsSeparatedColumn: return c.bitsSeparated;
    case SplitErrorColumn: return num(c.splitError);
    default: return {};
    }
}

QVariant ChannelTableModel::planData(const bg::LayerAnalysis& l, const bg::ChannelAnalysis& c, int role) const
{
    const bg::Strategy planned = plan_.strategyFor(l.name, c.channel);
    switch (role) {
    case Qt::EditRole:
        return QString(bg::strategyName(planned));
    case Qt::DisplayRole:
    case SortRole:
        // Auto shows what it resolves to; an override shows the user's choice (in bold).
        return planned == bg::Strategy::Auto ? tr("auto: %1").arg(bg::strategyName(c.autoStrategy))
                                             : QString(bg::strategyName(planned));
    case Qt::FontRole:
        if (plan_.hasEntry(l.name, c.channel)) {
            QFont bold;
            bold.setBold(true);
            return bold;
        }
        return {};
    default:
        return {};
    }
}

QVariant ChannelTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    static const char* names[] = {"Channel", "γ", "Fold a", "Bias b'", "Weight scale", "Merged bias B", "Bits",
                                  "Out of range", "Bits (separated)", "Plan", "Split error (steps)"};
    return section >= 0 && section < ColumnCount ? QVariant(tr(names[section])) : QVariant();
}

Qt::ItemFlags ChannelTableModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == StrategyColumn)
        f |= Qt::ItemIsEditable;
    return f;
}

bool ChannelTableModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    const bg::LayerAnalysis* l = layer();
    if (!l || role != Qt::EditRole || !index.isValid() || index.column() != StrategyColumn || index.row() >= rowCount())
        return false;
    bg::Strategy strategy;
    try {
        strategy = bg::parseStrategy(value.toString().toStdString());
    } catch (const std::exception&) {
        return false;
    }
    emit strategyEdited(l->name, l->channels[static_cast<size_t>(index.row())].channel, strategy);
    return true;
}
