#include "main_window.h"

#include "analysis_panel.h"
#include "comparison_panel.h"
#include "graph_panel.h"
#include "settings_form.h"
#include "model_load_job.h"
#include "node_table_model.h"
#include "background_task.h"
#include "pdf_report.h"

#include "folding/fold_pair_finder.h"
#include "export/fixed_model_export.h"
#include "io/error.h"
#include "plan_controls.h"
#include "plan_editor.h"

#include <QApplication>
#include <QCoreApplication>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QUndoStack>
#include <QVBoxLayout>

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("BiasGuard"));
    resize(1200, 800);

    loadJob_ = new ModelLoadJob(this);
    connect(loadJob_, &ModelLoadJob::loaded, this, &MainWindow::onLoaded);
    connect(loadJob_, &ModelLoadJob::failed, this, &MainWindow::onFailed);

    auto* fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(tr("&Open Model…"), QKeySequence::Open, this, &MainWindow::openModelDialog);
    if (!bundledDemoModel().isEmpty())
        fileMenu->addAction(tr("Open &Demo Model"), this, [this] { openModel(bundledDemoModel()); });
    fileMenu->addSeparator();
    QAction* savePlan = fileMenu->addAction(tr("&Save Fix Plan…"));
    QAction* loadPlan = fileMenu->addAction(tr("&Load Fix Plan…"));
    fileMenu->addAction(tr("Export &Report (PDF)…"), this, &MainWindow::exportReportDialog);
    fileMenu->addAction(tr("Export &Fixed Model…"), this, &MainWindow::exportFixedModelDialog);
    fileMenu->addSeparator();
    fileMenu->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    summary_ = new QLabel(tr("Open an ONNX model to analyse its BatchNorm folds (File ▸ Open Model…)."), central);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    summary_->setWordWrap(true);
    layout->addWidget(summary_);
    nodeModel_ = new NodeTableModel(this);
    nodeView_ = new QTableView;
    nodeView_->setModel(nodeModel_);
    nodeView_->horizontalHeader()->setStretchLastSection(true);
    nodeView_->verticalHeader()->hide();
    nodeView_->setSelectionBehavior(QAbstractItemView::SelectRows);
    tabs_ = new QTabWidget(central);
    analysisPanel_ = new AnalysisPanel(tabs_);
    tabs_->addTab(analysisPanel_, tr("Fold analysis"));
    comparisonPanel_ = new ComparisonPanel(tabs_);
    tabs_->addTab(comparisonPanel_, tr("Integer comparison"));
    graphPanel_ = new GraphPanel(tabs_);
    graphPanel_->follow(analysisPanel_, comparisonPanel_);
    tabs_->addTab(graphPanel_, tr("Graph"));
    tabs_->addTab(nodeView_, tr("Nodes"));
    layout->addWidget(tabs_, 1);
    setCentralWidget(central);

    // Fix-plan editing lives in the analysis view; its undo stack and files are window-wide.
    PlanEditor* plan = analysisPanel_->planEditor();
    auto* editMenu = menuBar()->addMenu(tr("&Edit"));
    QAction* undo = plan->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    QAction* redo = plan->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setShortcut(QKeySequence::Redo);
    editMenu->addAction(undo);
    editMenu->addAction(redo);
    connect(savePlan, &QAction::triggered, analysisPanel_->planControls(), &PlanControls::savePlanDialog);
    connect(loadPlan, &QAction::triggered, analysisPanel_->planControls(), &PlanControls::loadPlanDialog);
    connect(plan, &PlanEditor::planChanged, this, [this, plan] { comparisonPanel_->setPlan(plan->plan()); });
    connect(analysisPanel_, &AnalysisPanel::analysisFinished, this, [this] {
        statusBar()->showMessage(tr("Analysis done"));
        comparisonPanel_->setContext(model_, analysisPanel_->analysis(), analysisPanel_->ranges(),
                                     analysisPanel_->settingsForm()->calibrationPath());
    });
    statusBar()->showMessage(tr("Ready"));
}

QString MainWindow::bundledDemoModel()
{
    const QStringList candidates = {
        QCoreApplication::applicationDirPath() + "/../share/biasguard/models/demo/slimmed_cnn.onnx",
        QStringLiteral(BIASGUARD_RESOURCE_DIR "/models/demo/slimmed_cnn.onnx"),
    };
    for (const QString& c : candidates)
        if (QFileInfo::exists(c))
            return QFileInfo(c).absoluteFilePath();
    return {};
}

void MainWindow::openModelDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open ONNX Model"), {}, tr("ONNX models (*.onnx);;All files (*)"));
    if (!path.isEmpty())
        openModel(path);
}

void MainWindow::exportWithDialog(const QString& title, const QString& suggestedName, const QString& filter,
                                  bool (MainWindow::*exporter)(const QString&, QString*))
{
    if (!analysisPanel_->analysis()) {
        statusBar()->showMessage(tr("Analyse a model before exporting"));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, title, suggestedName, filter);
    if (path.isEmpty())
        return;
    QString error;
    if ((this->*exporter)(path, &error))
        statusBar()->showMessage(tr("Wrote %1").arg(path));
    else if (!qEnvironmentVariableIsSet("BIASGUARD_NO_DIALOGS"))
        QMessageBox::critical(this, title, error);
}

void MainWindow::exportReportDialog()
{
    exportWithDialog(tr("Export Report"), QFileInfo(pendingPath_).completeBaseName() + "_biasguard.pdf", tr("PDF (*.pdf)"),
                     &MainWindow::exportReport);
}

void MainWindow::exportFixedModelDialog()
{
    exportWithDialog(tr("Export Fixed Model"), QFileInfo(pendingPath_).completeBaseName() + "_fixed.onnx",
                     tr("ONNX models (*.onnx)"), &MainWindow::exportFixedModel);
}

bool MainWindow::finishExport(const TaskFailure& failure, QString* error)
{
    if (failure.error.isEmpty())
        return true;
    if (error)
        *error = failure.error;
    statusBar()->showMessage(tr("Export failed: %1").arg(failure.error));
    return false;
}

bool MainWindow::exportReport(const QString& path, QString* error)
{
    ReportInput input;
    input.modelPath = pendingPath_;
    input.calibration = analysisPanel_->calibrationDescription();
    input.analysis = analysisPanel_->analysis();
    input.comparison = comparisonPanel_->comparison();
    input.planOverrides = input.comparison ? comparisonPanel_->comparedOverrides() : 0;
    return finishExport(runGuarded([&] { writePdfReport(path, input); }), error);
}

bool MainWindow::exportFixedModel(const QString& path, QString* error)
{
    const auto analysis = analysisPanel_->analysis();
    return finishExport(runGuarded([&] {
                            if (!analysis || !model_)
                                throw bg::Error(bg::ErrorCode::BadInput, path.toStdString(),
                                                "analyse a model before exporting the fixed model");
                            // The plan's choice per channel, auto resolved by the analysis (as compare runs it).
                            bg::exportFixedModel(pendingPath_.toStdString(), path.toStdString(), model_->pairs,
                                                 analysisPanel_->planEditor()->plan().resolvedPerPair(*analysis));
                        }),
                        error);
}

void MainWindow::openModel(const QString& path)
{
    if (loadJob_->isRunning()) {
        statusBar()->showMessage(tr("Still loading %1").arg(pendingPath_));
        return;
    }
    pendingPath_ = path;
    statusBar()->showMessage(tr("Loading %1 …").arg(path));
    loadJob_->start(path);
}

void MainWindow::onLoaded(std::shared_ptr<const bg::ModelStructure> model)
{
    model_ = std::move(model);
    graph_ = bg::sharedGraph(model_);
    nodeModel_->setGraph(graph_);
    nodeView_->resizeColumnsToContents();
    QStringList inputs;
    for (const auto& in : graph_->inputs) {
        QStringList dims;
        for (const auto& d : in.dims)
            dims << (d.known() ? QString::number(d.value) : QString::fromStdString(d.param.empty() ? "?" : d.param));
        inputs << QString("%1 [%2]").arg(QString::fromStdString(in.name), dims.join(","));
    }
    summary_->setText(tr("<b>%1</b><br>producer %2 %3 · opset %4 · IR %5 · %6 nodes · %7 constants · inputs: %8")
                          .arg(pendingPath_.toHtmlEscaped(), QString::fromStdString(graph_->producerName).toHtmlEscaped(),
                               QString::fromStdString(graph_->producerVersion).toHtmlEscaped())
                          .arg(graph_->opset)
                          .arg(graph_->irVersion)
                          .arg(graph_->nodes.size())
                          .arg(graph_->constants.size())
                          .arg(inputs.join("; ").toHtmlEscaped()));
    setWindowTitle(tr("BiasGuard — %1").arg(QFileInfo(pendingPath_).fileName()));
    statusBar()->showMessage(tr("Loaded %1; analysing at the default settings…").arg(pendingPath_));
    analysisPanel_->setModel(model_);
    graphPanel_->setModel(model_);
    comparisonPanel_->setContext(model_, nullptr, nullptr, {});
    emit modelLoaded(pendingPath_);
    analysisPanel_->analyze();
}

void MainWindow::onFailed(const QString& message)
{
    statusBar()->showMessage(tr("Could not open the model"));
    emit modelFailed(message);
    // Tests drive the window headless; a modal box would block them.
    if (!qEnvironmentVariableIsSet("BIASGUARD_NO_DIALOGS"))
        QMessageBox::critical(this, tr("Could not open the model"), message);
}
