#pragma once
// One undoable change of the fix plan: the whole plan before and after (plans are small values,
// and swapping them keeps undo exact for every kind of edit).
#include "fix/fix_plan.h"

#include <QUndoCommand>

class PlanEditor;

class PlanChangeCommand : public QUndoCommand {
public:
    PlanChangeCommand(PlanEditor* editor, bg::FixPlan before, bg::FixPlan after, const QString& text);
    void undo() override;
    void redo() override;

private:
    PlanEditor* editor_;
    bg::FixPlan before_;
    bg::FixPlan after_;
};
