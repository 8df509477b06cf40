#pragma once
// The row of fix-plan controls under the channel table: a strategy, "apply to the selected
// channels" / "to the whole layer", undo/redo, save/load, and a one-line summary of the plan.
// The panel that owns the channel table turns the apply signals into PlanEditor edits.
#include "arithmetic/quant_settings.h"

#include <QWidget>

class QComboBox;
class QLabel;
class PlanEditor;

class PlanControls : public QWidget {
    Q_OBJECT
public:
    PlanControls(PlanEditor* editor, QWidget* parent = nullptr);
    bg::Strategy chosenStrategy() const;

public slots:
    void savePlanDialog();
    void loadPlanDialog();

signals:
    void applyToSelection(bg::Strategy strategy);
    void applyToLayer(bg::Strategy strategy);

private:
    void updateSummary();
    void report(const QString& message);

    PlanEditor* editor_;
    QComboBox* strategy_;
    QLabel* summary_;
};
