#pragma once
// BiasGuard's main window: opens a model (File ▸ Open, Open Recent, drag and drop, the command
// line, or the bundled demo), shows its provenance, and hosts the analysis, comparison, sweep,
// sensitivity and graph tabs. A model that fails to load is reported in the message bar and the open one stays usable.
// Menus and shortcuts are WindowActions'; what is remembered between runs is AppSettings',
// WindowState's and RecentFiles'.
#include "background_task.h"
#include "folding/model_structure.h"

#include <QMainWindow>
#include <QSize>

#include <memory>

class QLabel;
class QMimeData;
class QTableView;
class AnalysisPanel;
class ComparisonPanel;
class SensitivityPanel;
class SweepPanel;
class MessageBar;
class GraphPanel;
class ModelLoadJob;
class QTabWidget;
class NodeTableModel;
class RecentFiles;
class WindowActions;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);

    std::shared_ptr<const bg::Graph> graph() const { return graph_; }
    // The file of the model shown (empty before the first successful load).
    QString modelPath() const { return modelPath_; }
    AnalysisPanel* analysisPanel() const { return analysisPanel_; }
    ComparisonPanel* comparisonPanel() const { return comparisonPanel_; }
    MessageBar* messageBar() const { return messageBar_; }
    RecentFiles* recentFiles() const { return recent_; }
    WindowActions* actions() const { return actions_; }
    QTabWidget* tabs() const { return tabs_; }
    GraphPanel* graphPanel() const { return graphPanel_; }
    SweepPanel* sweepPanel() const { return sweepPanel_; }
    SensitivityPanel* sensitivityPanel() const { return sensitivityPanel_; }
    // Absolute path of the bundled demo model (the trained demo), or empty when it is not installed
    // beside us.
    static QString bundledDemoModel();
    // A folder beside the bundled demo model ("calib": its calibration set, "testset": its labelled
    // test set), or empty when there is none.
    static QString bundledDemoFolder(const QString& name);
    // The H×W the next opened model is analysed at instead of the one remembered for it (the
    // command line's --input-size); invalid: the remembered one.
    void setInputSizeOverride(QSize size) { inputSizeOverride_ = size; }
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
    void runComparison();

signals:
    void modelLoaded(const QString& path);
    void modelFailed(const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void connectActions();
    // Asks for a path (`title`, `suggestedName`, `filter`) and runs `exporter` on it, reporting the
    // outcome in the status bar and, on failure, the message bar.
    void exportWithDialog(const QString& title, const QString& suggestedName, const QString& filter,
                          bool (MainWindow::*exporter)(const QString&, QString*));
    // An export's outcome: true, or false with the message in `error` and the status bar.
    bool finishExport(const TaskFailure& failure, QString* error);
    void onLoaded(std::shared_ptr<const bg::ModelStructure> model);
    void onFailed(const QString& message);
    void onAnalysisFinished();
    void showSummary();
    // The first .onnx file among a drag's URLs, or empty.
    static QString droppedModel(const QMimeData* mime);

    std::shared_ptr<const bg::ModelStructure> model_;
    std::shared_ptr<const bg::Graph> graph_;  // model_'s graph, sharing its ownership
    ModelLoadJob* loadJob_ = nullptr;
    NodeTableModel* nodeModel_ = nullptr;
    MessageBar* messageBar_ = nullptr;
    QLabel* summary_ = nullptr;
    QTableView* nodeView_ = nullptr;
    QTabWidget* tabs_ = nullptr;
    AnalysisPanel* analysisPanel_ = nullptr;
    ComparisonPanel* comparisonPanel_ = nullptr;
    WindowActions* actions_ = nullptr;
    RecentFiles* recent_ = nullptr;
    QString modelPath_;    // the model shown
    QString pendingPath_;  // the model being loaded
    QSize inputSizeOverride_;
    GraphPanel* graphPanel_ = nullptr;
    SweepPanel* sweepPanel_ = nullptr;
    SensitivityPanel* sensitivityPanel_ = nullptr;
};
