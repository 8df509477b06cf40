#include "analysis_panel.h"

#include "activation_range_view.h"

#include "bias_bits_chart.h"
#include "bits_histogram_chart.h"
#include "chart_export_menu.h"
#include "layer_bias_chart.h"
#include "channel_table_model.h"
#include "job_controls.h"
#include "layer_channels_chart.h"
#include "layer_table_model.h"
#include "plan_controls.h"
#include "plan_editor.h"
#include "settings_form.h"
#include "strategy_delegate.h"
#include "target_label.h"

#include "folding/fold_pair_finder.h"
#include "folding/fusion_group.h"

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLineEdit>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

static QTableView* makeTable(QAbstractItemModel* model, int sortRole, QWidget* parent)
{
    auto* proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(sortRole);
    auto* view = new QTableView(parent);
    view->setModel(proxy);
    view->setSortingEnabled(true);
    view->sortByColumn(-1, Qt::AscendingOrder);  // graph order until the user sorts
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

AnalysisPanel::AnalysisPanel(QWidget* parent) : QWidget(parent)
{
    job_ = new AnalysisJob(this);
    settings_ = new SettingsForm(this);
    controls_ = new JobControls(tr("Analyze"), settings_, this);

    layerModel_ = new LayerTableModel(this);
    channelModel_ = new ChannelTableModel(this);
    layerView_ = makeTable(layerModel_, LayerTableModel::SortRole, this);
    channelView_ = makeTable(channelModel_, ChannelTableModel::SortRole, this);
    bitsChart_ = new BiasBitsChart(this);
    layerChart_ = new LayerChannelsChart(this);
    histogram_ = new BitsHistogramChart(this);
    biasChart_ = new LayerBiasChart(this);
    ChartExportMenu::install(bitsChart_, "bits_vs_gamma");
    ChartExportMenu::install(layerChart_, "layer_bits");
    ChartExportMenu::install(histogram_, "bits_histogram");
    ChartExportMenu::install(biasChart_, "layer_bias");
    planEditor_ = new PlanEditor(this);
    planControls_ = new PlanControls(planEditor_, this);
    // Several channels can be selected for "Apply to selected channels"; the Plan cell edits one.
    channelView_->setSelectionMode(QAbstractItemView::ExtendedSelection);
    channelView_->setItemDelegateForColumn(ChannelTableModel::StrategyColumn, new StrategyDelegate(channelView_));
    channelView_->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::SelectedClicked
                                  | QAbstractItemView::EditKeyPressed);

    // Find layer (Ctrl+F): filters the layer table by name, as the user types.
    layerFilter_ = new QLineEdit(this);
    layerFilter_->setObjectName(QStringLiteral("layerFilter"));
    layerFilter_->setPlaceholderText(tr("Find layer…"));
    layerFilter_->setClearButtonEnabled(true);
    auto* layerProxy = static_cast<QSortFilterProxyModel*>(layerView_->model());
    layerProxy->setFilterKeyColumn(LayerTableModel::NameColumn);
    layerProxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    connect(layerFilter_, &QLineEdit::textChanged, layerProxy, &QSortFilterProxyModel::setFilterFixedString);
    auto* layerBox = new QWidget(this);
    auto* layerLayout = new QVBoxLayout(layerBox);
    layerLayout->setContentsMargins(0, 0, 0, 0);
    layerLayout->addWidget(layerFilter_);
    layerLayout->addWidget(layerView_, 1);

    // Named so that the window can remember where the user left them (WindowState).
    auto* tables = new QSplitter(Qt::Vertical, this);
    tables->setObjectName(QStringLiteral("analysisTables"));
    auto* channelBox = new QWidget(this);
    auto* channelLayout = new QVBoxLayout(channelBox);
    channelLayout->setContentsMargins(0, 0, 0, 0);
    channelLayout->addWidget(channelView_, 1);
    channelLayout->addWidget(planControls_);
    tables->addWidget(layerBox);
    tables->addWidget(channelBox);
    // Model-wide charts above, the selected layer's below; each a tab of its own.
    auto* modelCharts = new QTabWidget(this);
    modelCharts->addTab(bitsChart_, tr("|γ| vs bits"));
    modelCharts->addTab(histogram_, tr("Bits histogram"));
    activationRanges_ = new ActivationRangeView(this);
    modelCharts->addTab(activationRanges_, tr("Activation ranges"));
    auto* layerCharts = new QTabWidget(this);
    layerCharts->addTab(biasChart_, tr("Layer bias vs register"));
    layerCharts->addTab(layerChart_, tr("Layer bits and |γ|"));
    auto* charts = new QSplitter(Qt::Vertical, this);
    charts->setObjectName(QStringLiteral("analysisCharts"));
    charts->addWidget(modelCharts);
    charts->addWidget(layerCharts);
    auto* body = new QSplitter(Qt::Horizontal, this);
    body->setObjectName(QStringLiteral("analysisBody"));
    body->addWidget(tables);
    body->addWidget(charts);
    body->setStretchFactor(0, 3);
    body->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(controls_);
    layout->addWidget(body, 1);

    connect(controls_, &JobControls::runRequested, this, &AnalysisPanel::analyze);
    connect(controls_, &JobControls::cancelRequested, this, &AnalysisPanel::cancel);
    controls_->watch(job_, tr("Analysis failed"), [this](const QString& message) { emit analysisFailed(message); });
    connect(job_, &AnalysisJob::finished, this, &AnalysisPanel::onFinished);
    connect(layerView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                auto* proxy = static_cast<QSortFilterProxyModel*>(layerView_->model());
                const int row = current.isValid() ? proxy->mapToSource(current).row() : -1;
                channelModel_->setLayer(result_.analysis, row);
                layerChart_->setLayer(result_.analysis, row);
                biasChart_->setLayer(result_.analysis, row, planEditor_->plan());
                bitsChart_->setAnalysis(result_.analysis, row);
                emit layerSelected(row);
            });
    connect(bitsChart_, &BiasBitsChart::channelClicked, this, &AnalysisPanel::selectChannel);
    connect(channelModel_, &ChannelTableModel::strategyEdited, planEditor_,
            [this](const std::string& layer, int64_t channel, bg::Strategy strategy) {
                planEditor_->setStrategy(layer, {channel}, strategy);
            });
    connect(planEditor_, &PlanEditor::planChanged, this, [this] {
        channelModel_->setPlan(planEditor_->plan());
        histogram_->setAnalysis(result_.analysis, planEditor_->plan());
        bitsChart_->setPlan(planEditor_->plan());
        biasChart_->setLayer(result_.analysis, channelModel_->layerIndex(), planEditor_->plan());
    });
    connect(planControls_, &PlanControls::applyToSelection, this, [this](bg::Strategy strategy) {
        auto* proxy = static_cast<QSortFilterProxyModel*>(channelView_->model());
        QList<int> rows;
        for (const QModelIndex& i : channelView_->selectionModel()->selectedRows())
            rows << proxy->mapToSource(i).row();
        applyStrategy(rows, strategy);
    });
    connect(planControls_, &PlanControls::applyToLayer, this, [this](bg::Strategy strategy) {
        QList<int> rows;
        for (int r = 0; r < channelModel_->rowCount(); ++r)
            rows << r;
        applyStrategy(rows, strategy);
    });
}

void AnalysisPanel::applyStrategy(const QList<int>& rows, bg::Strategy strategy)
{
    const int li = channelModel_->layerIndex();
    if (!result_.analysis || li < 0 || rows.isEmpty())
        return;
    const bg::LayerAnalysis& layer = result_.analysis->layers[static_cast<size_t>(li)];
    std::vector<int64_t> channels;
    for (int r : rows)
        channels.push_back(layer.channels[static_cast<size_t>(r)].channel);
    planEditor_->setStrategy(layer.name, channels, strategy);
}

void AnalysisPanel::setModel(std::shared_ptr<const bg::ModelStructure> model)
{
    job_->cancel();
    model_ = std::move(model);
    result_ = {};
    // A plan names this model's fusion groups (BN layers and the others the plan may also set).
    planEditor_->reset(model_ ? bg::groupChannels(model_->groups) : std::map<std::string, int64_t>{});
    layerModel_->setAnalysis(nullptr);
    channelModel_->setLayer(nullptr, -1);
    bitsChart_->setAnalysis(nullptr);
    layerChart_->setLayer(nullptr, -1);
    histogram_->setAnalysis(nullptr, planEditor_->plan());
    biasChart_->setLayer(nullptr, -1, planEditor_->plan());
    controls_->setSummary(model_ ? tr("Press Analyze to calibrate the model and check every BatchNorm fold.") : QString());
    controls_->setReady(model_ != nullptr);
}

void AnalysisPanel::analyze()
{
    if (!model_ || job_->isRunning())
        return;
    bg::QuantSettings settings;
    ImageCalibrationOptions imageOptions;
    try {
        settings = settings_->settings();
        settings.validate();
        imageOptions = settings_->imageOptions();
    } catch (const std::exception& e) {
        controls_->setSummary(QString::fromStdString(e.what()));
        return;
    }
    controls_->begin(tr("Calibrating…"));
    job_->start(model_, settings, settings_->calibrationPath(), imageOptions);
}

void AnalysisPanel::findLayer()
{
    layerFilter_->setFocus(Qt::ShortcutFocusReason);
    layerFilter_->selectAll();
}

void AnalysisPanel::cancel()
{
    job_->cancel();
}

void AnalysisPanel::selectLayer(int row)
{
    auto* proxy = static_cast<QSortFilterProxyModel*>(layerView_->model());
    const QModelIndex index = proxy->mapFromSource(layerModel_->index(row, 0));
    layerView_->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

void AnalysisPanel::selectChannel(int layerRow, int channelRow)
{
    selectLayer(layerRow);
    auto* proxy = static_cast<QSortFilterProxyModel*>(channelView_->model());
    const QModelIndex index = proxy->mapFromSource(channelModel_->index(channelRow, 0));
    channelView_->selectionModel()->setCurrentIndex(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    channelView_->scrollTo(index);
}

int AnalysisPanel::selectedLayer() const
{
    return channelModel_->layerIndex();
}

int AnalysisPanel::selectedChannel() const
{
    auto* proxy = static_cast<QSortFilterProxyModel*>(channelView_->model());
    const QModelIndex current = channelView_->selectionModel()->currentIndex();
    return current.isValid() ? proxy->mapToSource(current).row() : -1;
}

void AnalysisPanel::onFinished(const AnalysisResult& result)
{
    result_ = result;
    const auto& a = *result.analysis;
    const auto& s = a.settings;
    controls_->end(tr("<b>%1</b> foldable pairs, %2 channels: <b style='color:#c02020'>%3 out of range</b> of the "
                         "%4-bit bias register (max %5 bits), %6 crushed, %7 standalone BatchNorm · W%8/A%9 %10 · "
                         "calibration: %11")
                          .arg(a.summary.pairs)
                          .arg(a.summary.channels)
                          .arg(a.summary.outOfRange)
                          .arg(s.biasBits)
                          .arg(a.summary.maxBits)
                          .arg(a.summary.crushed)
                          .arg(a.standalone.size())
                          .arg(s.weightBits)
                          .arg(s.activationBits)
                          .arg(bg::granularityName(s.granularity))
                          .arg(result.calibration.toHtmlEscaped())
                   + (s.target.empty() ? QString() : tr(" · target <b>%1</b>").arg(targetLabel(s.target).toHtmlEscaped())));
    layerModel_->setAnalysis(result.analysis);
    layerView_->resizeColumnsToContents();
    if (model_ && result.ranges)
        activationRanges_->setDiagnosis(bg::diagnoseActivationRanges(*model_, *result.ranges, s.activationBits));
    bitsChart_->setAnalysis(result.analysis);
    histogram_->setAnalysis(result.analysis, planEditor_->plan());
    // Start on the worst layer: that is what the user came to see.
    int worst = -1;
    for (size_t i = 0; i < a.layers.size(); ++i)
        if (worst < 0 || a.layers[i].maxBits > a.layers[static_cast<size_t>(worst)].maxBits)
            worst = static_cast<int>(i);
    if (worst >= 0)
        selectLayer(worst);
    channelView_->resizeColumnsToContents();
    emit analysisFinished();
}
