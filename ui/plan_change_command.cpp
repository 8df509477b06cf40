#include "plan_change_command.h"

#include "plan_editor.h"

PlanChangeCommand::PlanChangeCommand(PlanEditor* editor, bg::FixPlan before, bg::FixPlan after, const QString& text)
    : editor_(editor), before_(std::move(before)), after_(std::move(after))
{
    setText(text);
}

void PlanChangeCommand::undo()
{
    editor_->apply(before_);
}

void PlanChangeCommand::redo()
{
    editor_->apply(after_);
}
