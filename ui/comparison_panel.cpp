#include "comparison_panel.h"

#include "chart_export_menu.h"
#include "comparison_job.h"
#include "error_histogram_chart.h"
#include "job_controls.h"
#include "layer_comparison_model.h"
#include "layer_sqnr_chart.h"
#include "metric_format.h"
#include "output_comparison_model.h"

#include "fix/fix_plan.h"

#include <QFileDialog>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QItemSelectionModel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

ComparisonPanel::ComparisonPanel(QWidget* parent) : QWidget(parent)
{
    job_ = new ComparisonJob(this);
    controls_ = new JobControls(tr("Compare float / clamp / fixed"), nullptr, this);
    controls_->setSummary(tr("Analyze the model first; the comparison uses its settings, calibration and the fix plan."));

    outputModel_ = new OutputComparisonModel(this);
    layerModel_ = new LayerComparisonModel(this);
    outputView_ = new QTableView(this);
    outputView_->setModel(outputModel_);
    outputView_->verticalHeader()->hide();
    outputView_->horizontalHeader()->setStretchLastSection(true);
    auto* proxy = new QSortFilterProxyModel(this);
    proxy->setSourceModel(layerModel_);
    proxy->setSortRole(LayerComparisonModel::SortRole);
    layerView_ = new QTableView(this);
    layerView_->setModel(proxy);
    layerView_->setSortingEnabled(true);
    layerView_->sortByColumn(-1, Qt::AscendingOrder);
    layerView_->verticalHeader()->hide();
    layerView_->horizontalHeader()->setStretchLastSection(true);
    chart_ = new LayerSqnrChart(this);
    errors_ = new ErrorHistogramChart(this);
    ChartExportMenu::install(chart_, "layer_sqnr");
    ChartExportMenu::install(errors_, "error_histogram");
    for (QTableView* v : {outputView_, layerView_}) {
        v->setSelectionBehavior(QAbstractItemView::SelectRows);
        v->setSelectionMode(QAbstractItemView::SingleSelection);
    }

    auto* tables = new QSplitter(Qt::Vertical, this);
    tables->setObjectName(QStringLiteral("comparisonTables"));
    tables->addWidget(outputView_);
    tables->addWidget(layerView_);
    tables->setStretchFactor(1, 3);
    auto* body = new QSplitter(Qt::Horizontal, this);
    body->setObjectName(QStringLiteral("comparisonBody"));
    auto* charts = new QSplitter(Qt::Vertical, this);
    charts->addWidget(chart_);
    charts->addWidget(errors_);
    body->addWidget(tables);
    body->addWidget(charts);
    body->setStretchFactor(0, 3);
    body->setStretchFactor(1, 2);
    // Labels beside the inputs the analysis named (issue 13): task accuracy when given.
    labels_ = new QLineEdit(this);
    labels_->setObjectName(QStringLiteral("labelsFile"));
    labels_->setPlaceholderText(tr("Labels file (JSON: one class index per input sample) for task accuracy"));
    labels_->setClearButtonEnabled(true);
    auto* browse = new QPushButton(tr("Labels…"), this);
    connect(browse, &QPushButton::clicked, this, [this]() {
        const QString path = QFileDialog::getOpenFileName(this, tr("Labels file"), labels_->text(), tr("JSON (*.json)"));
        if (!path.isEmpty())
            labels_->setText(path);
    });
    auto* labelsRow = new QHBoxLayout;
    labelsRow->addWidget(labels_, 1);
    labelsRow->addWidget(browse);
    firstCollapse_ = new QLabel(this);
    firstCollapse_->setObjectName(QStringLiteral("firstCollapse"));
    firstCollapse_->setWordWrap(true);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(controls_);
    layout->addLayout(labelsRow);
    layout->addWidget(firstCollapse_);
    layout->addWidget(body, 1);

    connect(controls_, &JobControls::runRequested, this, &ComparisonPanel::compare);
    connect(controls_, &JobControls::cancelRequested, this, &ComparisonPanel::cancel);
    controls_->watch(job_, tr("Comparison failed"), [this](const QString& message) { emit comparisonFailed(message); });
    connect(job_, &ComparisonJob::finished, this, &ComparisonPanel::onFinished);
    // The error histogram follows the row selected last, in either table.
    connect(outputView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { showOutputErrors(current.isValid() ? current.row() : -1); });
    connect(layerView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        auto* p = static_cast<QSortFilterProxyModel*>(layerView_->model());
        showLayerErrors(current.isValid() ? p->mapToSource(current).row() : -1);
    });
}

namespace {

QString firstCollapseText(const bg::ModelComparison& c)
{
    if (!c.firstCollapse)
        return ComparisonPanel::tr("First collapse: none (no layer's propagated SQNR falls %1 dB or more below its input's).")
            .arg(bg::kCollapseDropDb);
    const bg::FirstCollapse& fc = *c.firstCollapse;
    QString text = ComparisonPanel::tr("First collapse: <b>%1</b> — its input %2 at %3 dB, its output at %4 dB (fixed run).")
                       .arg(QString::fromStdString(fc.layer).toHtmlEscaped())
                       .arg(QString::fromStdString(fc.inputTensor).toHtmlEscaped())
                       .arg(fc.sqnrInDb, 0, 'f', 1)
                       .arg(fc.sqnrOutDb, 0, 'f', 1);
    for (const auto& d : c.activationDiagnosis)
        if (d.tensor == fc.inputTensor)
            text += ComparisonPanel::tr(" Input range [%1, %2] against a median channel span of %3: the shared scale "
                                        "costs ~%4 dB (per-channel activation scales or cross-layer equalization).")
                        .arg(d.lo, 0, 'g', 4)
                        .arg(d.hi, 0, 'g', 4)
                        .arg(d.medianChannelSpan, 0, 'g', 4)
                        .arg(d.estCostDb, 0, 'f', 1);
    return text;
}

} // namespace

void ComparisonPanel::setLabelsPath(const QString& path)
{
    labels_->setText(path);
}

QString ComparisonPanel::labelsPath() const
{
    return labels_->text().trimmed();
}

void ComparisonPanel::showOutputErrors(int row)
{
    if (!comparison_ || row < 0 || row >= static_cast<int>(comparison_->outputs.size()))
        return;
    const auto& o = comparison_->outputs[static_cast<size_t>(row)];
    errors_->setHistograms(tr("output %1").arg(QString::fromStdString(o.name)), o.quantized.errors, o.fixed.errors,
                           std::nullopt);
}

void ComparisonPanel::showLayerErrors(int row)
{
    if (!comparison_ || row < 0 || row >= static_cast<int>(comparison_->layers.size()))
        return;
    const auto& l = comparison_->layers[static_cast<size_t>(row)];
    errors_->setHistograms(tr("layer %1 (propagated)").arg(QString::fromStdString(l.name)), l.quantized.errors,
                           l.fixed.errors, l.outputScale);
}

void ComparisonPanel::setContext(std::shared_ptr<const bg::ModelStructure> model, std::shared_ptr<const bg::FoldAnalysis> analysis,
                                 std::shared_ptr<const bg::RangeTable> ranges, const QString& inputsPath,
                                 const ImageCalibrationOptions& imageOptions)
{
    job_->cancel();
    model_ = std::move(model);
    analysis_ = std::move(analysis);
    ranges_ = std::move(ranges);
    inputsPath_ = inputsPath;
    imageOptions_ = imageOptions;
    comparison_.reset();
    outputModel_->setComparison(nullptr);
    layerModel_->setComparison(nullptr);
    chart_->setComparison(nullptr);
    errors_->clear();
    firstCollapse_->clear();
    controls_->setReady(analysis_ != nullptr);
    if (analysis_)
        controls_->setSummary(tr("Ready: W%1/A%2, %3-bit bias, %4; fixed = the fix plan (%5 channels out of range, %6 overridden).")
                              .arg(analysis_->settings.weightBits)
                              .arg(analysis_->settings.activationBits)
                              .arg(analysis_->settings.biasBits)
                              .arg(bg::granularityName(analysis_->settings.granularity))
                              .arg(analysis_->summary.outOfRange)
                              .arg(plan_.size()));
}

void ComparisonPanel::setPlan(const bg::FixPlan& plan)
{
    plan_ = plan;
}

void ComparisonPanel::compare()
{
    if (!analysis_ || job_->isRunning())
        return;
    controls_->begin(tr("Running float, clamp and fixed pipelines…"));
    comparedOverrides_ = plan_.size();
    comparedPlan_ = plan_;
    job_->start(model_, ranges_, analysis_, plan_, inputsPath_, imageOptions_, labels_->text().trimmed());
}

void ComparisonPanel::cancel()
{
    job_->cancel();
}

void ComparisonPanel::onFinished(std::shared_ptr<const bg::ModelComparison> result)
{
    comparison_ = std::move(result);
    QStringList counts;
    for (const auto& [strategy, n] : comparison_->planCounts)
        if (n > 0)
            counts << QString("%1 %2").arg(n).arg(bg::strategyName(strategy));
    controls_->end(tr("%1 samples (%2). Accumulator overflows: clamp %3, fixed %4. Saturated biases: clamp %5, fixed %6. "
                         "Plan: %7.")
                          .arg(comparison_->samples)
                          .arg(QString::fromStdString(comparison_->inputs).toHtmlEscaped())
                          .arg(comparison_->overflowQuantized)
                          .arg(comparison_->overflowFixed)
                          .arg(comparison_->saturatedBiasesQuantized)
                          .arg(comparison_->saturatedBiasesFixed)
                          .arg(counts.join(", ")));
    outputModel_->setComparison(comparison_);
    for (int c = OutputComparisonModel::AccuracyFloatColumn; c <= OutputComparisonModel::AccuracyExactBiasColumn; ++c)
        outputView_->setColumnHidden(c, !outputModel_->hasAccuracy());
    firstCollapse_->setText(firstCollapseText(*comparison_));
    layerModel_->setComparison(comparison_);
    chart_->setComparison(comparison_);
    if (!comparison_->outputs.empty())
        outputView_->selectionModel()->setCurrentIndex(outputModel_->index(0, 0),
                                                       QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    outputView_->resizeColumnsToContents();
    layerView_->resizeColumnsToContents();
    emit comparisonFinished();
}
