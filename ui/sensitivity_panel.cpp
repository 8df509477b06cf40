#include "sensitivity_panel.h"

#include "job_controls.h"
#include "metric_format.h"
#include "sensitivity_channel_model.h"
#include "sensitivity_job.h"
#include "sensitivity_layer_model.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

#include <cmath>

static QTableView* makeView(QAbstractItemModel* model, QWidget* parent)
{
    auto* view = new QTableView(parent);
    view->setModel(model);
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    return view;
}

SensitivityPanel::SensitivityPanel(QWidget* parent) : QWidget(parent)
{
    job_ = new SensitivityJob(this);
    controls_ = new JobControls(tr("Rank layers by the gain of their fix"), nullptr, this);
    controls_->setSummary(tr("Analyze the model first; each layer with out-of-range channels is then fixed alone "
                             "(every other channel clamp) and ranked by the output SQNR it gains."));
    layers_ = new SensitivityLayerModel(this);
    channels_ = new SensitivityChannelModel(this);
    layerView_ = makeView(layers_, this);
    layerView_->setObjectName(QStringLiteral("sensitivityLayers"));
    channelView_ = makeView(channels_, this);
    channelView_->setObjectName(QStringLiteral("sensitivityChannels"));
    summary_ = new QLabel(this);
    summary_->setObjectName(QStringLiteral("sensitivitySummary"));
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    usePlan_ = new QPushButton(tr("Use this plan"), this);
    usePlan_->setToolTip(tr("Make the smallest plan the fix plan: those layers fixed, clamp elsewhere (undoable)"));
    usePlan_->setEnabled(false);

    auto* summaryRow = new QHBoxLayout;
    summaryRow->addWidget(summary_, 1);
    summaryRow->addWidget(usePlan_);
    auto* body = new QSplitter(Qt::Horizontal, this);
    body->setObjectName(QStringLiteral("sensitivityBody"));
    body->addWidget(layerView_);
    body->addWidget(channelView_);
    body->setStretchFactor(0, 3);
    body->setStretchFactor(1, 2);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(controls_);
    layout->addLayout(summaryRow);
    layout->addWidget(body, 1);

    connect(controls_, &JobControls::runRequested, this, &SensitivityPanel::runSensitivity);
    connect(controls_, &JobControls::cancelRequested, this, &SensitivityPanel::cancel);
    controls_->watch(job_, tr("Sensitivity failed"), [this](const QString& message) { emit sensitivityFailed(message); });
    connect(job_, &SensitivityJob::finished, this, &SensitivityPanel::onFinished);
    connect(layerView_->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& current) {
        channels_->setLayer(layers_->sensitivity(), current.isValid() ? current.row() : -1);
        channelView_->resizeColumnsToContents();
    });
    connect(usePlan_, &QPushButton::clicked, this, [this] {
        const auto s = layers_->sensitivity();
        if (s)
            emit planChosen(s->neededPlan, tr("use the smallest plan: %1 layer(s), clamp elsewhere").arg(s->layersNeeded));
    });
}

std::shared_ptr<const bg::FixSensitivity> SensitivityPanel::sensitivity() const
{
    return layers_->sensitivity();
}

QString SensitivityPanel::summaryText() const
{
    return summary_->text();
}

QString SensitivityPanel::summarySentence(const bg::FixSensitivity& s)
{
    const double gain = s.fixedSqnrDb - s.clampSqnrDb;
    const QString whole = tr("clamp %1, the whole plan %2").arg(formatDb(s.clampSqnrDb), formatDb(s.fixedSqnrDb));
    if (s.layers.empty())
        return tr("No layer has out-of-range channels at these settings: nothing to rank (%1).").arg(whole);
    if (s.layersNeeded == 0 || !(gain > 0))
        return tr("The plan gains nothing over clamp on these inputs (%1).").arg(whole);
    const int percent = static_cast<int>(std::lround(100.0 * s.fraction));
    if (!s.reached)
        return tr("Even all %1 ranked layers together (%2 channels) fall short of %3 % of the whole plan's gain: %4 "
                  "(%5); the plan also changes layers that are in range.")
            .arg(s.layersNeeded)
            .arg(s.channelsNeeded)
            .arg(percent)
            .arg(formatDb(s.neededSqnrDb), whole);
    return tr("<b>%1 of %2 layers (%3 channels) give %4 % of the whole fix's gain</b>: %5 against %6 (%7). That is the "
              "smallest plan worth deploying.")
        .arg(s.layersNeeded)
        .arg(s.layers.size())
        .arg(s.channelsNeeded)
        .arg(percent)
        .arg(formatDb(s.neededSqnrDb), formatDb(s.fixedSqnrDb), whole);
}

void SensitivityPanel::setContext(std::shared_ptr<const bg::ModelStructure> model, std::shared_ptr<const bg::FoldAnalysis> analysis,
                                  std::shared_ptr<const bg::RangeTable> ranges, const QString& inputsPath,
                                  const ImageCalibrationOptions& imageOptions)
{
    job_->cancel();
    model_ = std::move(model);
    analysis_ = std::move(analysis);
    ranges_ = std::move(ranges);
    inputsPath_ = inputsPath;
    imageOptions_ = imageOptions;
    showResult(nullptr);
    controls_->setReady(analysis_ != nullptr && ranges_ != nullptr);
    if (analysis_)
        controls_->setSummary(tr("Ready: W%1/A%2, %3-bit bias; %4 channels out of range. Each layer's fix runs alone, "
                                 "the others clamp.")
                                  .arg(analysis_->settings.weightBits)
                                  .arg(analysis_->settings.activationBits)
                                  .arg(analysis_->settings.biasBits)
                                  .arg(analysis_->summary.outOfRange));
}

void SensitivityPanel::runSensitivity()
{
    if (!analysis_ || !ranges_ || job_->isRunning())
        return;
    controls_->begin(tr("Fixing each layer alone…"));
    job_->start(model_, ranges_, analysis_, plan_, inputsPath_, imageOptions_);
}

void SensitivityPanel::cancel()
{
    job_->cancel();
}

void SensitivityPanel::onFinished(std::shared_ptr<const bg::FixSensitivity> result)
{
    showResult(result);
    controls_->end(tr("%1 layer(s) ranked at W%2/A%3, %4-bit bias.")
                       .arg(result->layers.size())
                       .arg(analysis_ ? analysis_->settings.weightBits : 0)
                       .arg(analysis_ ? analysis_->settings.activationBits : 0)
                       .arg(analysis_ ? analysis_->settings.biasBits : 0));
    emit sensitivityFinished();
}

void SensitivityPanel::showResult(std::shared_ptr<const bg::FixSensitivity> result)
{
    layers_->setSensitivity(result);
    channels_->setLayer(result, -1);
    summary_->setText(result ? summarySentence(*result) : QString());
    usePlan_->setEnabled(result && result->layersNeeded > 0);
    if (result && !result->layers.empty())
        layerView_->selectionModel()->setCurrentIndex(layers_->index(0, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    layerView_->resizeColumnsToContents();
}
