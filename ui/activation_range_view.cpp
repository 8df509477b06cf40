#include "activation_range_view.h"

#include "activation_range_model.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

ActivationRangeView::ActivationRangeView(QWidget* parent) : QGroupBox(tr("Activation ranges"), parent)
{
    setObjectName(QStringLiteral("activationRanges"));
    model_ = new ActivationRangeModel(this);
    view_ = new QTableView(this);
    view_->setModel(model_);
    view_->verticalHeader()->hide();
    view_->horizontalHeader()->setStretchLastSection(true);
    view_->setSelectionBehavior(QAbstractItemView::SelectRows);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(summary_);
    layout->addWidget(view_, 1);
}

void ActivationRangeView::setDiagnosis(std::vector<bg::TensorRangeDiagnosis> tensors)
{
    size_t flagged = 0;
    for (const auto& d : tensors)
        flagged += d.flagged() ? 1 : 0;
    summary_->setText(tensors.empty()
                          ? tr("No per-channel ranges (analyze calibrates them).")
                          : tr("%1 of %2 quantized tensors lose at least one bit to their shared scale. Remedies (not "
                               "applied): per-channel activation scales where the target has them, cross-layer "
                               "equalization (AIMET).")
                                .arg(flagged)
                                .arg(tensors.size()));
    model_->setDiagnosis(std::move(tensors));
    view_->resizeColumnsToContents();
}
