#include "plan_controls.h"

#include "app_settings.h"
#include "plan_editor.h"
#include "strategy_delegate.h"

#include <QComboBox>
#include <QDir>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QToolButton>
#include <QUndoStack>

PlanControls::PlanControls(PlanEditor* editor, QWidget* parent) : QWidget(parent), editor_(editor)
{
    strategy_ = new QComboBox(this);
    strategy_->addItems(StrategyDelegate::strategyNames());
    strategy_->setToolTip(tr("QUANT_SPEC §7 strategy; auto removes the override"));
    auto* toSelection = new QPushButton(tr("Apply to selected channels"), this);
    auto* toLayer = new QPushButton(tr("Apply to layer"), this);
    auto* undo = new QToolButton(this);
    undo->setDefaultAction(editor->undoStack()->createUndoAction(this, tr("Undo")));
    auto* redo = new QToolButton(this);
    redo->setDefaultAction(editor->undoStack()->createRedoAction(this, tr("Redo")));
    auto* save = new QPushButton(tr("Save plan…"), this);
    auto* load = new QPushButton(tr("Load plan…"), this);
    summary_ = new QLabel(this);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(new QLabel(tr("Fix plan:"), this));
    layout->addWidget(strategy_);
    layout->addWidget(toSelection);
    layout->addWidget(toLayer);
    layout->addWidget(undo);
    layout->addWidget(redo);
    layout->addWidget(save);
    layout->addWidget(load);
    layout->addWidget(summary_, 1);

    connect(toSelection, &QPushButton::clicked, this, [this] { emit applyToSelection(chosenStrategy()); });
    connect(toLayer, &QPushButton::clicked, this, [this] { emit applyToLayer(chosenStrategy()); });
    connect(save, &QPushButton::clicked, this, &PlanControls::savePlanDialog);
    connect(load, &QPushButton::clicked, this, &PlanControls::loadPlanDialog);
    connect(editor_, &PlanEditor::planChanged, this, &PlanControls::updateSummary);
    updateSummary();
}

bg::Strategy PlanControls::chosenStrategy() const
{
    return bg::parseStrategy(strategy_->currentText().toStdString());
}

void PlanControls::savePlanDialog()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save Fix Plan"), QDir(AppSettings::lastFolder("plan")).filePath("plan.json"),
                                                      tr("Fix plans (*.json);;All files (*)"));
    AppSettings::rememberFolder("plan", path);
    QString error;
    if (!path.isEmpty() && !editor_->save(path, &error))
        report(error);
}

void PlanControls::loadPlanDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Load Fix Plan"), AppSettings::lastFolder("plan"),
                                                      tr("Fix plans (*.json);;All files (*)"));
    AppSettings::rememberFolder("plan", path);
    QString error;
    if (!path.isEmpty() && !editor_->load(path, &error))
        report(error);
}

void PlanControls::updateSummary()
{
    const bg::FixPlan& plan = editor_->plan();
    summary_->setText(plan.size() == 0
                          ? tr("default %1, no channel overridden").arg(bg::strategyName(plan.defaultStrategy()))
                          : tr("default %1, %2 channel(s) overridden (bold)")
                                .arg(bg::strategyName(plan.defaultStrategy()))
                                .arg(plan.size()));
}

void PlanControls::report(const QString& message)
{
    summary_->setText(message);
    if (!qEnvironmentVariableIsSet("BIASGUARD_NO_DIALOGS"))
        QMessageBox::warning(this, tr("Fix plan"), message);
}
