#pragma once
// Edits a fix-plan strategy cell with a combo box of the §7 strategies (auto first). The model
// receives the strategy's name through setData(Qt::EditRole).
#include <QStyledItemDelegate>

class StrategyDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    QWidget* createEditor(QWidget* parent, const QStyleOptionViewItem& option, const QModelIndex& index) const override;
    void setEditorData(QWidget* editor, const QModelIndex& index) const override;
    void setModelData(QWidget* editor, QAbstractItemModel* model, const QModelIndex& index) const override;

    // The strategies offered, in menu order.
    static QStringList strategyNames();
};
