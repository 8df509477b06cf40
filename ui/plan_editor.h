#pragma once
// The fix plan the user edits in the GUI: a bg::FixPlan value (default auto, plus the channels the
// user overrode) with an undo stack. Every change goes through a PlanChangeCommand that holds the
// plan before and after, so undo/redo is exact whatever the edit was (one channel, a selection, a
// layer, a loaded file).
#include "fix/fix_plan.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

class QUndoStack;

class PlanEditor : public QObject {
    Q_OBJECT
public:
    explicit PlanEditor(QObject* parent = nullptr);

    const bg::FixPlan& plan() const { return plan_; }
    QUndoStack* undoStack() const { return stack_; }
    // Channels the user set explicitly (entries of the plan).
    size_t overrides() const { return plan_.size(); }

    // A new model: auto everywhere, no history. `layerChannels` (fusion-group name -> output
    // channels) is what a loaded plan may name; empty accepts any plan.
    void reset(std::map<std::string, int64_t> layerChannels = {});
    // Sets `channels` of `layer` to `strategy` (Auto removes the override) as one undoable step.
    // Returns false, pushing nothing, when nothing would change.
    bool setStrategy(const std::string& layer, const std::vector<int64_t>& channels, bg::Strategy strategy);
    // Undoable replacement of the whole plan (loading a file, "reset to auto").
    void replace(const bg::FixPlan& plan, const QString& description);

    // Atomic JSON write / read. On failure returns false and sets `error` to a message naming the
    // file (a plan naming a layer or channel the model lacks is refused too); a failed load leaves
    // the plan as it was.
    bool save(const QString& path, QString* error) const;
    bool load(const QString& path, QString* error);

signals:
    void planChanged();

private:
    friend class PlanChangeCommand;
    void apply(const bg::FixPlan& plan);

    bg::FixPlan plan_{bg::Strategy::Auto};
    std::map<std::string, int64_t> layerChannels_;
    QUndoStack* stack_;
};
