#pragma once
// File ▸ Export: the fix in the formats of QUANT_SPEC §10, written from what the window holds (the
// loaded structure, the analysis and its ranges, the edited plan, the last comparison): the fixed
// float model with its `biasguard` metadata, AIMET encodings, Model Explorer overlays (one per
// figure), and a "QDQ model" action left disabled until the QDQ exporter is in the build. The same
// core functions as `biasguard-cli fix --format …`, so both front ends write the same files.
#include "comparison/model_comparison.h"
#include "export/overlay_export.h"
#include "fix/fix_plan.h"
#include "folding/model_structure.h"

#include <QObject>
#include <QString>

#include <functional>
#include <memory>

class QAction;
class QMenu;
class QWidget;

// What an export reads, taken from the window when an action is triggered.
struct ExportContext {
    QString modelPath;
    std::shared_ptr<const bg::ModelStructure> model;
    std::shared_ptr<const bg::RangeTable> ranges;
    std::shared_ptr<const bg::FoldAnalysis> analysis;
    bg::FixPlan plan;
    std::shared_ptr<const bg::ModelComparison> comparison;  // null until a comparison ran
};

class ExportActions : public QObject {
    Q_OBJECT
public:
    using ContextProvider = std::function<ExportContext()>;
    // (title, suggested file name, filter) -> chosen path, empty to cancel. Default: a save dialog.
    using PathChooser = std::function<QString(const QString&, const QString&, const QString&)>;

    ExportActions(ContextProvider context, QWidget* parent);

    QMenu* menu() const { return menu_; }
    QAction* qdqAction() const { return qdq_; }
    void setPathChooser(PathChooser chooser) { chooser_ = std::move(chooser); }

    // Each returns false with `error` naming the file (or what is missing) on failure.
    bool exportFloat(const QString& path, QString* error) const;
    bool exportQdq(const QString& path, QString* error) const;
    bool exportEncodings(const QString& path, QString* error) const;
    bool exportOverlay(const QString& path, bg::OverlayFigure figure, QString* error) const;

signals:
    // After each export triggered from the menu: the path written, or the error.
    void exported(const QString& path);
    void exportFailed(const QString& message);

private:
    void run(const QString& title, const QString& suffix, const QString& filter,
             const std::function<bool(const QString&, QString*)>& exporter);

    ContextProvider context_;
    PathChooser chooser_;
    QWidget* parent_ = nullptr;
    QMenu* menu_ = nullptr;
    QAction* qdq_ = nullptr;
};
