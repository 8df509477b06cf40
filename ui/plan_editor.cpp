#include "plan_editor.h"

#include "plan_change_command.h"

#include "io/error.h"

#include <QUndoStack>

PlanEditor::PlanEditor(QObject* parent) : QObject(parent), stack_(new QUndoStack(this)) {}

void PlanEditor::reset(std::map<std::string, int64_t> layerChannels)
{
    layerChannels_ = std::move(layerChannels);
    stack_->clear();
    apply(bg::FixPlan(bg::Strategy::Auto));
}

bool PlanEditor::setStrategy(const std::string& layer, const std::vector<int64_t>& channels, bg::Strategy strategy)
{
    bg::FixPlan next = plan_;
    for (int64_t c : channels) {
        if (strategy == bg::Strategy::Auto)
            next.erase(layer, c);
        else
            next.set(layer, c, strategy);
    }
    if (next == plan_)
        return false;
    const QString what = channels.size() == 1
        ? tr("%1 channel %2 → %3").arg(QString::fromStdString(layer)).arg(channels.front()).arg(bg::strategyName(strategy))
        : tr("%1: %2 channels → %3").arg(QString::fromStdString(layer)).arg(channels.size()).arg(bg::strategyName(strategy));
    stack_->push(new PlanChangeCommand(this, plan_, std::move(next), what));
    return true;
}

void PlanEditor::replace(const bg::FixPlan& plan, const QString& description)
{
    if (plan == plan_)
        return;
    stack_->push(new PlanChangeCommand(this, plan_, plan, description));
}

bool PlanEditor::save(const QString& path, QString* error) const
{
    try {
        plan_.save(path.toStdString());
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

bool PlanEditor::load(const QString& path, QString* error)
{
    try {
        const bg::FixPlan loaded = bg::FixPlan::load(path.toStdString());
        if (!layerChannels_.empty())
            loaded.checkAgainst(layerChannels_);
        replace(loaded, tr("load %1").arg(path));
        return true;
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
}

void PlanEditor::apply(const bg::FixPlan& plan)
{
    plan_ = plan;
    emit planChanged();
}
