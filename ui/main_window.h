#pragma once
// BiasGuard's main window: opens a model (File > Open, or the bundled demo) and shows its
// provenance and nodes. Analysis, charts and fixes are panels added beside the node table.
#include "background_task.h"
#include "folding/model_structure.h"

#include <QMainWindow>

#include <memory>

class QLabel;
class QTableView;
class AnalysisPanel;
class ComparisonPanel;
class GraphPanel;
class ModelLoadJob;
class QTabWidget;
class NodeTableModel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    std::shared_ptr<const bg::Graph> graph() const { return graph_; }
    AnalysisPanel* analysisPanel() const { return analysisPanel_; }
    ComparisonPanel* comparisonPanel() const { return comparisonPanel_; }
    GraphPanel* graphPanel() const { return graphPanel_; }
    // Absolute path of the bundled demo model, or empty when it is not installed beside us.
    static QString bundledDemoModel();
    // Writes the PDF report of the current analysis (and comparison, if one ran). Returns false and
    // sets `error` (naming the path) when there is nothing to report or it cannot be written.
    bool exportReport(const QString& path, QString* error);
    // Writes the fixed model of the current analysis and fix plan (core/export/fixed_model_export.h).
    // Returns false and sets `error` (naming the path) on failure; never overwrites the input model.
    bool exportFixedModel(const QString& path, QString* error);

public slots:
    void openModel(const QString& path);
    void openModelDialog();
    void exportReportDialog();
    void exportFixedModelDialog();

signals:
    void modelLoaded(const QString& path);
    void modelFailed(const QString& message);

private:
    // Asks for a path (`title`, `suggestedName`, `filter`) and runs `exporter` on it, reporting the
    // outcome in the status bar and, on failure, a dialog.
    void exportWithDialog(const QString& title, const QString& suggestedName, const QString& filter,
                          bool (MainWindow::*exporter)(const QString&, QString*));
    // An export's outcome: true, or false with the message in `error` and the status bar.
    bool finishExport(const TaskFailure& failure, QString* error);
    void onLoaded(std::shared_ptr<const bg::ModelStructure> model);
    void onFailed(const QString& message);

    std::shared_ptr<const bg::ModelStructure> model_;
    std::shared_ptr<const bg::Graph> graph_;  // model_'s graph, sharing its ownership
    ModelLoadJob* loadJob_ = nullptr;
    NodeTableModel* nodeModel_ = nullptr;
    QLabel* summary_ = nullptr;
    QTableView* nodeView_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    AnalysisPanel* analysisPanel_ = nullptr;
    ComparisonPanel* comparisonPanel_ = nullptr;
    GraphPanel* graphPanel_ = nullptr;
    QString pendingPath_;
};
