#include "report_layer_section.h"

#include "layer_bias_chart.h"
#include "report_canvas.h"
#include "report_format.h"

#include <QObject>

#include <algorithm>
#include <tuple>

std::vector<size_t> reportedLayers(const bg::FoldAnalysis& a, size_t limit)
{
    std::vector<size_t> bad;
    for (size_t i = 0; i < a.layers.size(); ++i)
        if (a.layers[i].outOfRange > 0 || a.layers[i].crushed > 0)
            bad.push_back(i);
    auto worse = [&a](size_t x, size_t y) {
        const bg::LayerAnalysis &l = a.layers[x], &m = a.layers[y];
        return std::make_tuple(l.maxBits, l.outOfRange, l.crushed) > std::make_tuple(m.maxBits, m.outOfRange, m.crushed);
    };
    std::stable_sort(bad.begin(), bad.end(), worse);
    if (bad.size() > limit)
        bad.resize(limit);
    std::sort(bad.begin(), bad.end());
    return bad;
}

namespace {

constexpr double kChartAspect = 0.3;

int64_t layersWithBadChannels(const bg::FoldAnalysis& a)
{
    return std::count_if(a.layers.begin(), a.layers.end(), [](const auto& l) { return l.outOfRange > 0 || l.crushed > 0; });
}

void oneLayer(ReportCanvas& canvas, const std::shared_ptr<const bg::FoldAnalysis>& analysis, size_t index,
              const bg::FixPlan& plan)
{
    const bg::LayerAnalysis& l = analysis->layers[index];
    std::vector<const bg::ChannelAnalysis*> bad;
    for (const auto& c : l.channels)
        if (c.outOfRange || c.crushed)
            bad.push_back(&c);
    std::stable_sort(bad.begin(), bad.end(), [](auto* x, auto* y) { return x->bits > y->bits; });
    // The layer's heading, its line of figures, its chart and the start of its table on one page.
    canvas.keepSpace(canvas.bodyLines(8) + canvas.chartHeight(kChartAspect));
    canvas.subheading(QObject::tr("%1 (%2 → %3)").arg(QString::fromStdString(l.name), QString::fromStdString(l.op),
                                                     QString::fromStdString(l.bn.empty() ? "no BN" : l.bn)));
    canvas.paragraph(QObject::tr("%1 channels: %2 out of range, %3 crushed, the widest needs %4 bits. Input scale s_x = "
                                 "%5, output scale s_y = %6.%7")
                         .arg(l.channels.size())
                         .arg(l.outOfRange)
                         .arg(l.crushed)
                         .arg(l.maxBits)
                         .arg(reportNumber(l.inputScale), reportNumber(l.outputScale))
                         .arg(bad.size() > kMaxReportedChannels
                                  ? QObject::tr(" The %1 worst of %2 are listed; the JSON/CSV export lists all.")
                                        .arg(kMaxReportedChannels)
                                        .arg(bad.size())
                                  : QString()));
    LayerBiasChart chart;
    chart.setLayer(analysis, static_cast<int>(index), plan);
    canvas.chart(chart, kChartAspect);
    QList<QStringList> rows;
    for (size_t i = 0; i < std::min(bad.size(), kMaxReportedChannels); ++i) {
        const bg::ChannelAnalysis& c = *bad[i];
        const bg::Strategy strategy = plan.resolved(l, c);
        rows << QStringList{QString::number(c.channel),
                            c.outOfRange ? QObject::tr("out of range") : QObject::tr("crushed"),
                            reportNumber(c.gamma), reportNumber(c.sigma), reportNumber(c.foldFactor),
                            reportNumber(c.biasFloat), reportNumber(c.biasExact, 6), QString::number(c.bits),
                            QString::fromLatin1(bg::strategyName(strategy))
                                + (c.widened && strategy == bg::Strategy::Separate ? "*" : "")
                                + (c.unfixable ? QObject::tr(" (unfixable)") : QString()),
                            strategy == bg::Strategy::Separate ? reportNumber(c.splitError, 3) : QStringLiteral("—")};
    }
    canvas.table({QObject::tr("Ch"), QObject::tr("Why"), QObject::tr("γ"), QObject::tr("σ"), QObject::tr("a"),
                  QObject::tr("b'"), QObject::tr("B_c"), QObject::tr("Bits"), QObject::tr("Strategy"), QObject::tr("Split err")},
                 rows, {0.7, 1.4, 1.3, 1.2, 1.3, 1.3, 1.6, 0.7, 1.9, 1.1});
}

} // namespace

void layerDetailSection(ReportCanvas& canvas, const std::shared_ptr<const bg::FoldAnalysis>& analysis,
                        const bg::FixPlan& plan)
{
    const std::vector<size_t> shown = reportedLayers(*analysis);
    if (shown.empty())
        return;
    const int64_t all = layersWithBadChannels(*analysis);
    canvas.heading(QObject::tr("Layers with out-of-range or crushed channels"));
    canvas.paragraph(
        QObject::tr("Per layer, a chart of every channel's merged bias q_b of the naive fold against the band the "
                    "%1-bit register holds (grey; out-of-range channels red), with what the register holds after the "
                    "fix beside it (green; a triangle where the strategy uses a second register), on a "
                    "sign·log2(1+|q|) axis. Below it the worst channels (most bits first): γ, σ = sqrt(v + ε), the "
                    "fold factor a = γ/σ, the folded bias b', the merged bias B_c = b'/(s_w·s_x) in accumulator units, "
                    "the bits it needs, the strategy of the plan (* = weight scale widened) and the error the fix "
                    "leaves, in output steps (≤ 0.5 is as exact as an in-range fold).")
            .arg(analysis->settings.biasBits)
        + (static_cast<size_t>(all) > shown.size()
               ? QObject::tr(" %1 layers have such channels; the %2 worst (most bits needed) are shown, in graph order; "
                             "the JSON/CSV export lists every one.")
                     .arg(all)
                     .arg(shown.size())
               : QString()));
    for (size_t index : shown)
        oneLayer(canvas, analysis, index, plan);
}
