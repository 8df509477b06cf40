#include "sweep_panel.h"

#include "chart_export_menu.h"
#include "job_controls.h"
#include "sweep_job.h"
#include "sweep_plot.h"
#include "sweep_table_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

SweepPanel::SweepPanel(QWidget* parent) : QWidget(parent)
{
    job_ = new SweepJob(this);
    auto* form = new QWidget(this);
    auto* row = new QHBoxLayout(form);
    row->setContentsMargins(0, 0, 0, 0);
    weightWidths_ = new QLineEdit(QStringLiteral("4,8"), form);
    weightWidths_->setObjectName(QStringLiteral("sweepWeightWidths"));
    weightWidths_->setToolTip(tr("Weight widths: a list (4,8), a range (4:8) or one width (as --weight-bits)"));
    biasWidths_ = new QLineEdit(QStringLiteral("8:32"), form);
    biasWidths_->setObjectName(QStringLiteral("sweepBiasWidths"));
    biasWidths_->setToolTip(tr("Bias register widths: a range (8:32), a list (16,24,32) or one width (as --bias-bits)"));
    row->addWidget(new QLabel(tr("Weight widths"), form));
    row->addWidget(weightWidths_);
    row->addWidget(new QLabel(tr("Bias widths"), form));
    row->addWidget(biasWidths_);
    row->addStretch(1);
    controls_ = new JobControls(tr("Run sweep"), form, this);
    controls_->setSummary(tr("Analyze the model first; the sweep reuses its calibration, activation width, granularity and the fix plan."));

    plot_ = new SweepPlot(this);
    ChartExportMenu::install(plot_, "bias_width_sweep");
    model_ = new SweepTableModel(this);
    table_ = new QTableView(this);
    table_->setModel(model_);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->verticalHeader()->hide();
    table_->horizontalHeader()->setStretchLastSection(true);
    recommendation_ = new QLabel(this);
    recommendation_->setObjectName(QStringLiteral("sweepRecommendation"));
    recommendation_->setWordWrap(true);
    recommendation_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* tableBox = new QWidget(this);
    auto* tableLayout = new QVBoxLayout(tableBox);
    tableLayout->setContentsMargins(0, 0, 0, 0);
    tableLayout->addWidget(recommendation_);
    tableLayout->addWidget(table_, 1);
    auto* body = new QSplitter(Qt::Horizontal, this);
    body->setObjectName(QStringLiteral("sweepBody"));
    body->addWidget(plot_);
    body->addWidget(tableBox);
    body->setStretchFactor(0, 3);
    body->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(controls_);
    layout->addWidget(body, 1);

    connect(controls_, &JobControls::runRequested, this, &SweepPanel::runSweep);
    connect(controls_, &JobControls::cancelRequested, this, &SweepPanel::cancel);
    controls_->watch(job_, tr("Sweep failed"), [this](const QString& message) { emit sweepFailed(message); });
    connect(job_, &SweepJob::finished, this, &SweepPanel::onFinished);
    connect(plot_, &SweepPlot::widthClicked, this, &SweepPanel::widthChosen);
    // A click (or Enter) on a row analyses at its setting; moving the selection with the keys does not.
    auto choose = [this](const QModelIndex& index) {
        if (index.isValid())
            emit widthChosen(index.data(SweepTableModel::WeightBitsRole).toInt(), index.data(SweepTableModel::BiasBitsRole).toInt());
    };
    connect(table_, &QTableView::clicked, this, choose);
    connect(table_, &QTableView::activated, this, choose);
}

std::shared_ptr<const bg::WidthSweep> SweepPanel::sweep() const
{
    return model_->sweep();
}

QString SweepPanel::recommendationText() const
{
    return recommendation_->text();
}

void SweepPanel::setContext(std::shared_ptr<const bg::ModelStructure> model, std::shared_ptr<const bg::FoldAnalysis> analysis,
                            std::shared_ptr<const bg::RangeTable> ranges, const QString& inputsPath,
                            const ImageCalibrationOptions& imageOptions)
{
    const auto shown = model_->sweep();
    const bool sameInputs = model == modelStructure_ && inputsPath == inputsPath_ && imageOptions.height == imageOptions_.height
        && imageOptions.width == imageOptions_.width && imageOptions.bgr == imageOptions_.bgr
        && imageOptions.mean == imageOptions_.mean && imageOptions.std == imageOptions_.std;
    const bool keep = shown && analysis && sameInputs && shown->settings.activationBits == analysis->settings.activationBits
        && shown->settings.granularity == analysis->settings.granularity;
    job_->cancel();
    modelStructure_ = std::move(model);
    analysis_ = std::move(analysis);
    ranges_ = std::move(ranges);
    inputsPath_ = inputsPath;
    imageOptions_ = imageOptions;
    if (!keep)
        showSweep(nullptr);
    plot_->setCurrent(analysis_ ? analysis_->settings.weightBits : 0, analysis_ ? analysis_->settings.biasBits : 0);
    controls_->setReady(analysis_ != nullptr && ranges_ != nullptr);
    if (analysis_ && !keep)
        controls_->setSummary(tr("Ready: A%1, %2, the analysis' calibration (no recalibration); fixed = the fix plan. "
                                 "Each setting runs clamp, the fix and the exact-bias reference.")
                                  .arg(analysis_->settings.activationBits)
                                  .arg(bg::granularityName(analysis_->settings.granularity)));
}

void SweepPanel::runSweep()
{
    if (!analysis_ || !ranges_ || job_->isRunning())
        return;
    SweepRequest request;
    try {
        request.weightBits = bg::parseWidthList(weightWidths_->text().trimmed().toStdString(), "weight widths");
        request.biasBits = bg::parseWidthList(biasWidths_->text().trimmed().toStdString(), "bias widths");
        // Said here, before the job starts, as the analysis' form would say it.
        bg::QuantSettings check = analysis_->settings;
        for (int w : request.weightBits) {
            check.weightBits = w;
            check.validate();
        }
        for (int b : request.biasBits) {
            check.biasBits = b;
            check.validate();
        }
    } catch (const std::exception& e) {
        controls_->setSummary(QString::fromStdString(e.what()).toHtmlEscaped());
        return;
    }
    request.base = analysis_->settings;
    request.plan = plan_;
    request.inputsPath = inputsPath_;
    request.imageOptions = imageOptions_;
    controls_->begin(tr("Sweeping %1 settings (clamp, fixed and exact bias at each)…")
                         .arg(request.weightBits.size() * request.biasBits.size()));
    job_->start(modelStructure_, ranges_, request);
}

void SweepPanel::cancel()
{
    job_->cancel();
}

void SweepPanel::onFinished(std::shared_ptr<const bg::WidthSweep> sweep)
{
    showSweep(sweep);
    controls_->end(tr("%1 settings on %2 samples (%3)%4. Click a width on the chart or in the table to analyse there.")
                       .arg(sweep->rows.size())
                       .arg(sweep->samples)
                       .arg(QString::fromStdString(sweep->inputs).toHtmlEscaped())
                       .arg(sweep->outputs.size() > 1 ? tr("; figures of the worst of %1 outputs").arg(sweep->outputs.size())
                                                      : QString()));
    emit sweepFinished();
}

void SweepPanel::showSweep(std::shared_ptr<const bg::WidthSweep> sweep)
{
    model_->setSweep(sweep);
    plot_->setSweep(sweep, model_->recommendations());
    table_->resizeColumnsToContents();
    QStringList lines;
    auto width = [](const std::optional<int>& b) { return b ? tr("%1-bit").arg(*b) : tr("none of the swept widths"); };
    for (const bg::BiasWidthRecommendation& r : model_->recommendations()) {
        QString line = tr("<b>W%1</b>: without fix <b>%2</b>, with the fix <b>%3</b>")
                           .arg(r.weightBits)
                           .arg(width(r.withoutFix), width(r.withFix));
        if (r.withFix)
            line += tr(" (the fix changes %1 channels there)").arg(r.channelsChanged);
        lines << line;
    }
    recommendation_->setText(lines.isEmpty() ? QString()
                                             : tr("Recommended bias register (smallest width from which on the run stays "
                                                  "within 1 dB of the reference: the exact-bias run, or the overflow-free naive fold where it is lower):<br>")
                                                   + lines.join(QStringLiteral("<br>")));
}
