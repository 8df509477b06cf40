#include "export_actions.h"

#include "background_task.h"

#include "export/encodings_export.h"
#include "export/fix_provenance_json.h"
#include "export/fixed_model_export.h"
#include "export/qdq_export.h"
#include "integer/integer_runtime.h"
#include "io/error.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>

namespace {

// The context an export needs, or bg::Error naming `path` and what to do first.
const ExportContext& requireAnalysis(const ExportContext& c, const QString& path)
{
    if (!c.model || !c.analysis || !c.ranges)
        throw bg::Error(bg::ErrorCode::BadInput, path.toStdString(), "analyse a model before exporting its fix");
    bg::refuseInputAsOutput(c.modelPath.toStdString(), path.toStdString());
    return c;
}

bool finish(const TaskFailure& failure, QString* error)
{
    if (!failure.error.isEmpty() && error)
        *error = failure.error;
    return failure.error.isEmpty();
}

} // namespace

ExportActions::ExportActions(ContextProvider context, QWidget* parent)
    : QObject(parent), context_(std::move(context)), parent_(parent)
{
    chooser_ = [this](const QString& title, const QString& suggested, const QString& filter) {
        return QFileDialog::getSaveFileName(parent_, title, suggested, filter);
    };
    menu_ = new QMenu(tr("E&xport"), parent);
    menu_->addAction(tr("&Float Model…"), this, [this] {
        run(tr("Export Fixed Float Model"), "_fixed.onnx", tr("ONNX models (*.onnx)"),
            [this](const QString& p, QString* e) { return exportFloat(p, e); });
    });
    qdq_ = menu_->addAction(tr("&QDQ Model…"), this, [this] {
        run(tr("Export QDQ Model"), "_qdq.onnx", tr("ONNX models (*.onnx)"),
            [this](const QString& p, QString* e) { return exportQdq(p, e); });
    });
    menu_->addAction(tr("&Encodings (AIMET JSON)…"), this, [this] {
        run(tr("Export Encodings"), ".encodings", tr("Encodings (*.encodings *.json)"),
            [this](const QString& p, QString* e) { return exportEncodings(p, e); });
    });
    QMenu* overlays = menu_->addMenu(tr("Model Explorer &Overlay"));
    for (bg::OverlayFigure figure : {bg::OverlayFigure::Bits, bg::OverlayFigure::OutOfRange, bg::OverlayFigure::SqnrClamp,
                                     bg::OverlayFigure::SqnrFixed}) {
        const QString name = bg::overlayFigureName(figure);
        overlays->addAction(name + "…", this, [this, figure, name] {
            run(tr("Export Model Explorer Overlay"), "_" + name + ".json", tr("JSON (*.json)"),
                [this, figure](const QString& p, QString* e) { return exportOverlay(p, figure, e); });
        });
    }
}

void ExportActions::run(const QString& title, const QString& suffix, const QString& filter,
                        const std::function<bool(const QString&, QString*)>& exporter)
{
    const QString path = chooser_(title, QFileInfo(context_().modelPath).completeBaseName() + suffix, filter);
    if (path.isEmpty())
        return;
    QString error;
    if (exporter(path, &error)) {
        emit exported(path);
        return;
    }
    emit exportFailed(error);  // the main window shows it in its message bar, not a modal box
}

bool ExportActions::exportFloat(const QString& path, QString* error) const
{
    const ExportContext c = context_();
    return finish(runGuarded([&] {
                      requireAnalysis(c, path);
                      const bg::FixPlan resolved = c.plan.resolvedAgainst(*c.analysis);
                      bg::exportFixedModel(c.modelPath.toStdString(), path.toStdString(), c.model->pairs,
                                           resolved.resolvedPerPair(*c.analysis),
                                           bg::fixProvenanceJson(c.analysis->settings, resolved));
                  }),
                  error);
}

bool ExportActions::exportQdq(const QString& path, QString* error) const
{
    const ExportContext c = context_();
    return finish(runGuarded([&] {
                      requireAnalysis(c, path);
                      const bg::FixPlan resolved = c.plan.resolvedAgainst(*c.analysis);
                      const bg::IntegerRuntime runtime(*c.model, *c.ranges, *c.analysis, resolved);
                      bg::exportQdqModel(c.modelPath.toStdString(), path.toStdString(), runtime);
                  }),
                  error);
}

bool ExportActions::exportEncodings(const QString& path, QString* error) const
{
    const ExportContext c = context_();
    return finish(runGuarded([&] {
                      requireAnalysis(c, path);
                      const bg::FixPlan resolved = c.plan.resolvedAgainst(*c.analysis);
                      const bg::IntegerRuntime runtime(*c.model, *c.ranges, *c.analysis, resolved);
                      const bg::FixedModel fixed = bg::buildFixedModel(c.modelPath.toStdString(), c.model->pairs,
                                                                       resolved.resolvedPerPair(*c.analysis));
                      bg::writeEncodings(path.toStdString(), runtime, fixed);
                  }),
                  error);
}

bool ExportActions::exportOverlay(const QString& path, bg::OverlayFigure figure, QString* error) const
{
    const ExportContext c = context_();
    return finish(runGuarded([&] {
                      requireAnalysis(c, path);
                      if (bg::overlayNeedsComparison(figure) && !c.comparison)
                          throw bg::Error(bg::ErrorCode::BadInput, path.toStdString(),
                                          std::string(bg::overlayFigureName(figure))
                                              + " needs a comparison: run the integer comparison first");
                      bg::writeOverlay(path.toStdString(), figure, *c.analysis, c.comparison.get(), c.model->graph.graphName);
                  }),
                  error);
}
