#include "main_window.h"

#include "about_box.h"
#include "analysis_panel.h"
#include "app_settings.h"
#include "background_task.h"
#include "calibration_opener.h"
#include "comparison_panel.h"
#include "export_actions.h"
#include "message_bar.h"
#include "graph_panel.h"
#include "model_load_job.h"
#include "node_table_model.h"
#include "pdf_report.h"
#include "plan_controls.h"
#include "plan_editor.h"
#include "recent_files.h"
#include "report_command.h"
#include "sensitivity_panel.h"
#include "settings_form.h"
#include "sweep_panel.h"
#include "target_label.h"
#include "window_actions.h"
#include "window_state.h"

#include "export/fix_provenance_json.h"
#include "export/fixed_model_export.h"
#include "folding/fold_pair_finder.h"
#include "io/error.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QCoreApplication>
#include <QDir>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QMimeData>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QUndoStack>
#include <QVBoxLayout>

#include <algorithm>

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(tr("BiasGuard"));
    resize(1200, 800);
    setAcceptDrops(true);

    loadJob_ = new ModelLoadJob(this);
    connect(loadJob_, &ModelLoadJob::loaded, this, &MainWindow::onLoaded);
    connect(loadJob_, &ModelLoadJob::failed, this, &MainWindow::onFailed);

    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    messageBar_ = new MessageBar(central);
    layout->addWidget(messageBar_);
    summary_ = new QLabel(tr("Open an ONNX model to analyse its BatchNorm folds (File ▸ Open Model…, or drop a .onnx file here)."),
                          central);
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
    tabs_->setObjectName(QStringLiteral("mainTabs"));
    analysisPanel_ = new AnalysisPanel(tabs_);
    tabs_->addTab(analysisPanel_, tr("Fold analysis"));
    comparisonPanel_ = new ComparisonPanel(tabs_);
    tabs_->addTab(comparisonPanel_, tr("Integer comparison"));
    sweepPanel_ = new SweepPanel(tabs_);
    tabs_->addTab(sweepPanel_, tr("Sweep"));
    sensitivityPanel_ = new SensitivityPanel(tabs_);
    tabs_->addTab(sensitivityPanel_, tr("Sensitivity"));
    graphPanel_ = new GraphPanel(tabs_);
    graphPanel_->follow(analysisPanel_, comparisonPanel_);
    tabs_->addTab(graphPanel_, tr("Graph"));
    tabs_->addTab(nodeView_, tr("Nodes"));
    layout->addWidget(tabs_, 1);
    setCentralWidget(central);

    actions_ = new WindowActions(this, analysisPanel_->planEditor()->undoStack(), !bundledDemoModel().isEmpty());
    recent_ = new RecentFiles(actions_->recentMenu, this);
    // File ▸ Export (ui/export_actions.h): the fix in every format, from what the window holds.
    auto* exports = new ExportActions([this] {
        return ExportContext{modelPath_, model_, analysisPanel_->ranges(), analysisPanel_->analysis(),
                             analysisPanel_->planEditor()->plan(), comparisonPanel_->comparison()};
    }, this);
    actions_->fileMenu->insertMenu(actions_->quit, exports->menu());
    actions_->fileMenu->insertSeparator(actions_->quit);
    connect(exports, &ExportActions::exported, this, [this](const QString& p) { statusBar()->showMessage(tr("Wrote %1").arg(p)); });
    connect(exports, &ExportActions::exportFailed, this,
            [this](const QString& message) { messageBar_->showMessage(MessageBar::Kind::Error, message); });
    connectActions();

    PlanEditor* plan = analysisPanel_->planEditor();
    connect(plan, &PlanEditor::planChanged, this, [this, plan] {
        comparisonPanel_->setPlan(plan->plan());
        sweepPanel_->setPlan(plan->plan());
        sensitivityPanel_->setPlan(plan->plan());
    });
    // Issue 12: a width clicked in the sweep is analysed; the smallest plan of the sensitivity
    // becomes the fix plan as one undoable step.
    connect(sweepPanel_, &SweepPanel::widthChosen, this, [this](int weightBits, int biasBits) {
        SettingsForm* form = analysisPanel_->settingsForm();
        bg::QuantSettings s = form->settings();
        s.weightBits = weightBits;
        s.biasBits = biasBits;
        form->setSettings(s);
        tabs_->setCurrentWidget(analysisPanel_);
        analysisPanel_->analyze();
    });
    connect(sensitivityPanel_, &SensitivityPanel::planChosen, plan,
            [plan](const bg::FixPlan& chosen, const QString& description) { plan->replace(chosen, description); });
    connect(sweepPanel_, &SweepPanel::sweepFailed, this,
            [this](const QString& m) { messageBar_->showMessage(MessageBar::Kind::Error, tr("Sweep failed: %1").arg(m)); });
    connect(sensitivityPanel_, &SensitivityPanel::sensitivityFailed, this,
            [this](const QString& m) { messageBar_->showMessage(MessageBar::Kind::Error, tr("Sensitivity failed: %1").arg(m)); });
    connect(analysisPanel_, &AnalysisPanel::analysisFinished, this, &MainWindow::onAnalysisFinished);
    connect(analysisPanel_, &AnalysisPanel::analysisFailed, this,
            [this](const QString& message) { messageBar_->showMessage(MessageBar::Kind::Error, tr("Analysis failed: %1").arg(message)); });
    connect(comparisonPanel_, &ComparisonPanel::comparisonFinished, this, [this] { statusBar()->showMessage(tr("Comparison done")); });
    connect(comparisonPanel_, &ComparisonPanel::comparisonFailed, this,
            [this](const QString& message) { messageBar_->showMessage(MessageBar::Kind::Error, tr("Comparison failed: %1").arg(message)); });

    analysisPanel_->settingsForm()->setSettings(AppSettings::quantSettings());
    WindowState::restore(*this);
    statusBar()->showMessage(tr("Ready"));
}

void MainWindow::connectActions()
{
    WindowActions* a = actions_;
    connect(a->open, &QAction::triggered, this, &MainWindow::openModelDialog);
    if (a->openDemo)
        connect(a->openDemo, &QAction::triggered, this, [this] { openModel(bundledDemoModel()); });
    connect(recent_, &RecentFiles::openRequested, this, &MainWindow::openModel);
    connect(a->savePlan, &QAction::triggered, analysisPanel_->planControls(), &PlanControls::savePlanDialog);
    connect(a->loadPlan, &QAction::triggered, analysisPanel_->planControls(), &PlanControls::loadPlanDialog);
    connect(a->exportReport, &QAction::triggered, this, &MainWindow::exportReportDialog);
    connect(a->exportFixedModel, &QAction::triggered, this, &MainWindow::exportFixedModelDialog);
    connect(a->quit, &QAction::triggered, this, &QMainWindow::close);
    connect(a->findLayer, &QAction::triggered, this, [this] {
        tabs_->setCurrentWidget(analysisPanel_);
        analysisPanel_->findLayer();
    });
    connect(a->analyze, &QAction::triggered, this, [this] {
        tabs_->setCurrentWidget(analysisPanel_);
        analysisPanel_->analyze();
    });
    connect(a->compare, &QAction::triggered, this, &MainWindow::runComparison);
    connect(a->about, &QAction::triggered, this, [this] { showAboutBox(this); });
}

QString MainWindow::bundledDemoModel()
{
    const QStringList candidates = {
        QCoreApplication::applicationDirPath() + "/../share/biasguard/models/demo/trained_slimmed_cnn.onnx",
        QStringLiteral(BIASGUARD_RESOURCE_DIR "/models/demo/trained_slimmed_cnn.onnx"),
    };
    for (const QString& c : candidates)
        if (QFileInfo::exists(c))
            return QFileInfo(c).absoluteFilePath();
    return {};
}

QString MainWindow::bundledDemoFolder(const QString& name)
{
    const QString model = bundledDemoModel();
    if (model.isEmpty())
        return {};
    const QString dir = QFileInfo(model).absoluteDir().filePath(name);
    return QFileInfo(dir).isDir() ? dir : QString();
}

void MainWindow::openModelDialog()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open ONNX Model"), AppSettings::lastFolder("model"),
                                                      tr("ONNX models (*.onnx);;All files (*)"));
    if (path.isEmpty())
        return;
    AppSettings::rememberFolder("model", path);
    openModel(path);
}

void MainWindow::runComparison()
{
    tabs_->setCurrentWidget(comparisonPanel_);
    comparisonPanel_->compare();
}

void MainWindow::exportWithDialog(const QString& title, const QString& suggestedName, const QString& filter,
                                  bool (MainWindow::*exporter)(const QString&, QString*))
{
    if (!analysisPanel_->analysis()) {
        statusBar()->showMessage(tr("Analyse a model before exporting"));
        return;
    }
    const QString path = QFileDialog::getSaveFileName(this, title, QDir(AppSettings::lastFolder("export")).filePath(suggestedName), filter);
    if (path.isEmpty())
        return;
    AppSettings::rememberFolder("export", path);
    QString error;
    if ((this->*exporter)(path, &error))
        statusBar()->showMessage(tr("Wrote %1").arg(path));
    else
        messageBar_->showMessage(MessageBar::Kind::Error, tr("%1 failed: %2").arg(title, error));
}

void MainWindow::exportReportDialog()
{
    exportWithDialog(tr("Export Report"), QFileInfo(modelPath_).completeBaseName() + "_biasguard.pdf", tr("PDF (*.pdf)"),
                     &MainWindow::exportReport);
}

void MainWindow::exportFixedModelDialog()
{
    exportWithDialog(tr("Export Fixed Model"), QFileInfo(modelPath_).completeBaseName() + "_fixed.onnx",
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
    input.modelPath = modelPath_;
    input.calibration = analysisPanel_->calibrationDescription();
    input.analysis = analysisPanel_->analysis();
    input.comparison = comparisonPanel_->comparison();
    input.planOverrides = input.comparison ? comparisonPanel_->comparedOverrides() : 0;
    input.sweep = sweepPanel_->sweep();
    input.sensitivity = sensitivityPanel_->sensitivity();
    if (input.analysis)
        input.target = targetLabel(input.analysis->settings.target);
    // The "after the fix" figures of the report's charts: the plan compared, else the one edited.
    input.plan = std::make_shared<bg::FixPlan>(input.comparison ? comparisonPanel_->comparedPlan() : comparisonPanel_->plan());
    return finishExport(runGuarded([&] {
                            ReportCommandParts command;
                            command.modelPath = modelPath_;
                            if (input.analysis)
                                command.settings = input.analysis->settings;
                            command.calibrationPath = analysisPanel_->calibrationPath();
                            command.imageOptions = analysisPanel_->imageOptions();
                            command.compare = input.comparison != nullptr;
                            if (input.comparison) {
                                command.inputsPath = comparisonPanel_->inputsPath();
                                command.labelsPath = comparisonPanel_->labelsPath();
                            }
                            // The sweep and the sensitivity the report shows, with the widths the
                            // sweep ran (in its order), so that the command reproduces them too.
                            if (input.sweep) {
                                command.sweep = true;
                                command.sweepWeightBits.clear();
                                command.sweepBiasBits.clear();
                                for (const bg::SweepRow& r : input.sweep->rows) {
                                    auto& w = command.sweepWeightBits;
                                    auto& b = command.sweepBiasBits;
                                    if (std::find(w.begin(), w.end(), r.weightBits) == w.end())
                                        w.push_back(r.weightBits);
                                    if (std::find(b.begin(), b.end(), r.biasBits) == b.end())
                                        b.push_back(r.biasBits);
                                }
                            }
                            command.sensitivity = input.sensitivity != nullptr;
                            command.outPath = path;
                            // A plan edited by hand is saved beside the report, so that its command
                            // reproduces the comparison it shows.
                            if (input.planOverrides > 0) {
                                const QFileInfo pdf(path);
                                command.planPath = pdf.dir().filePath(pdf.completeBaseName() + "_plan.json");
                                comparisonPanel_->comparedPlan().save(command.planPath.toStdString());
                                input.planPath = command.planPath;
                            }
                            input.command = reportCommand(command);
                            writePdfReport(path, input);
                        }),
                        error);
}

bool MainWindow::exportFixedModel(const QString& path, QString* error)
{
    const auto analysis = analysisPanel_->analysis();
    return finishExport(runGuarded([&] {
                            if (!analysis || !model_)
                                throw bg::Error(bg::ErrorCode::BadInput, path.toStdString(),
                                                "analyse a model before exporting the fixed model");
                            // The plan's choice per channel, auto resolved by the analysis (as compare runs it).
                            const bg::FixPlan plan = analysisPanel_->planEditor()->plan().resolvedAgainst(*analysis);
                            bg::exportFixedModel(modelPath_.toStdString(), path.toStdString(), model_->pairs,
                                                 plan.resolvedPerPair(*analysis), bg::fixProvenanceJson(analysis->settings, plan));
                        }),
                        error);
}

void MainWindow::openModel(const QString& path)
{
    if (loadJob_->isRunning()) {
        statusBar()->showMessage(tr("Still loading %1").arg(pendingPath_));
        return;
    }
    pendingPath_ = QFileInfo(path).absoluteFilePath();
    statusBar()->showMessage(tr("Loading %1 …").arg(pendingPath_));
    loadJob_->start(pendingPath_);
}

void MainWindow::onLoaded(std::shared_ptr<const bg::ModelStructure> model)
{
    model_ = std::move(model);
    graph_ = bg::sharedGraph(model_);
    modelPath_ = pendingPath_;
    messageBar_->dismiss();
    recent_->add(modelPath_);
    nodeModel_->setGraph(graph_);
    nodeView_->resizeColumnsToContents();
    showSummary();
    setWindowTitle(tr("BiasGuard — %1").arg(QFileInfo(modelPath_).fileName()));
    statusBar()->showMessage(tr("Loaded %1; analysing…").arg(modelPath_));

    // The input size: the command line's for this model, else the one remembered for it.
    SettingsForm* form = analysisPanel_->settingsForm();
    const int fallback = defaultDynamicDimSize();
    form->setDynamicInput(hasDynamicSpatialInput(*graph_), QSize(fallback, fallback));
    form->setInputSize(inputSizeOverride_.isValid() ? inputSizeOverride_ : AppSettings::inputSize(modelPath_));
    inputSizeOverride_ = QSize();
    // The bundled demo is analysed on its own calibration set (its samples fit no other model, so
    // opening another model afterwards drops that folder again).
    const QString demoCalib = bundledDemoFolder(QStringLiteral("calib"));
    if (!demoCalib.isEmpty()) {
        if (modelPath_ == bundledDemoModel() && form->calibrationPath().isEmpty())
            form->setCalibrationPath(demoCalib);
        else if (modelPath_ != bundledDemoModel() && form->calibrationPath() == demoCalib)
            form->setCalibrationPath({});
    }

    analysisPanel_->setModel(model_);
    graphPanel_->setModel(model_);
    comparisonPanel_->setContext(model_, nullptr, nullptr, {});
    sweepPanel_->setContext(model_, nullptr, nullptr, {});
    sensitivityPanel_->setContext(model_, nullptr, nullptr, {});
    emit modelLoaded(modelPath_);
    analysisPanel_->analyze();
}

void MainWindow::showSummary()
{
    QStringList inputs;
    for (const auto& in : graph_->inputs) {
        QStringList dims;
        for (const auto& d : in.dims)
            dims << (d.known() ? QString::number(d.value) : QString::fromStdString(d.param.empty() ? "?" : d.param));
        inputs << QString("%1 [%2]").arg(QString::fromStdString(in.name), dims.join(","));
    }
    summary_->setText(tr("<b>%1</b><br>producer %2 %3 · opset %4 · IR %5 · %6 nodes · %7 constants · inputs: %8")
                          .arg(modelPath_.toHtmlEscaped(), QString::fromStdString(graph_->producerName).toHtmlEscaped(),
                               QString::fromStdString(graph_->producerVersion).toHtmlEscaped())
                          .arg(graph_->opset)
                          .arg(graph_->irVersion)
                          .arg(graph_->nodes.size())
                          .arg(graph_->constants.size())
                          .arg(inputs.join("; ").toHtmlEscaped()));
}

void MainWindow::onFailed(const QString& message)
{
    statusBar()->showMessage(tr("Could not open %1").arg(pendingPath_));
    // Core errors name the file already (bg::inFile); the bar says it in any case, and that the
    // model on screen is still the one to work with.
    QString text = message.contains(pendingPath_) ? tr("Could not open the model: %1").arg(message)
                                                  : tr("Could not open %1: %2").arg(pendingPath_, message);
    if (model_)
        text += QLatin1Char('\n') + tr("%1 stays open.").arg(QFileInfo(modelPath_).fileName());
    messageBar_->showMessage(MessageBar::Kind::Error, text);
    pendingPath_.clear();
    emit modelFailed(message);
}

void MainWindow::onAnalysisFinished()
{
    statusBar()->showMessage(tr("Analysis done"));
    // What the user analysed with is what the next start offers, and this model's size is remembered.
    AppSettings::setQuantSettings(analysisPanel_->analysis()->settings);
    const ImageCalibrationOptions used = analysisPanel_->imageOptions();
    AppSettings::setInputSize(modelPath_, used.height > 0 ? QSize(used.width, used.height) : QSize());
    // The comparison runs on the calibration set, except for the bundled demo calibrated on its own
    // set: that one is compared on its labelled test set, as scripts/demo.sh does.
    QString inputs = analysisPanel_->calibrationPath();
    const QString demoTests = bundledDemoFolder(QStringLiteral("testset"));
    if (modelPath_ == bundledDemoModel() && !demoTests.isEmpty() && inputs == bundledDemoFolder(QStringLiteral("calib")))
        inputs = demoTests;
    comparisonPanel_->setContext(model_, analysisPanel_->analysis(), analysisPanel_->ranges(), inputs,
                                 analysisPanel_->imageOptions());
    sweepPanel_->setContext(model_, analysisPanel_->analysis(), analysisPanel_->ranges(), analysisPanel_->calibrationPath(),
                            analysisPanel_->imageOptions());
    sensitivityPanel_->setContext(model_, analysisPanel_->analysis(), analysisPanel_->ranges(),
                                  analysisPanel_->calibrationPath(), analysisPanel_->imageOptions());
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    WindowState::save(*this);
    AppSettings::setQuantSettings(analysisPanel_->settingsForm()->settings());
    QMainWindow::closeEvent(event);
}

QString MainWindow::droppedModel(const QMimeData* mime)
{
    if (!mime || !mime->hasUrls())
        return {};
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile() && url.toLocalFile().endsWith(QLatin1String(".onnx"), Qt::CaseInsensitive))
            return url.toLocalFile();
    return {};
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (!droppedModel(event->mimeData()).isEmpty())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    const QString path = droppedModel(event->mimeData());
    if (path.isEmpty())
        return;
    event->acceptProposedAction();
    openModel(path);
}
