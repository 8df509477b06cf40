#include "strategy_delegate.h"

#include "arithmetic/quant_settings.h"

#include <QComboBox>

QStringList StrategyDelegate::strategyNames()
{
    QStringList names;
    for (bg::Strategy s : {bg::Strategy::Auto, bg::Strategy::Clamp, bg::Strategy::Separate, bg::Strategy::Constant,
                           bg::Strategy::Widen})
        names << QString::fromLatin1(bg::strategyName(s));
    return names;
}

QWidget* StrategyDelegate::createEditor(QWidget* parent, const QStyleOptionViewItem&, const QModelIndex&) const
{
    auto* combo = new QComboBox(parent);
    combo->addItems(strategyNames());
    return combo;
}

void StrategyDelegate::setEditorData(QWidget* editor, const QModelIndex& index) const
{
    auto* combo = static_cast<QComboBox*>(editor);
    const int i = combo->findText(index.data(Qt::EditRole).toString());
    combo->setCurrentIndex(i < 0 ? 0 : i);
}

void StrategyDelegate::setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const
{
    model->setData(index, static_cast<QComboBox*>(editor)->currentText(), Qt::EditRole);
}
