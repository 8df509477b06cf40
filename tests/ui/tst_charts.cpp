// The analysis and comparison charts as a user meets them: hovering a point of the |γ|-vs-bits
// scatter reads out that channel, clicking it selects its layer and channel in the tables (mouse
// events synthesised at the pixel QCustomPlot draws the point at); the model-wide histogram counts
// what the channel tables show; the layer chart's red bars are the layer's out-of-range channels;
// every chart saves as PNG, PDF and SVG; log axes never repeat a tick label.
#include "analysis_panel.h"
#include "bias_bits_chart.h"
#include "bits_histogram_chart.h"
#include "channel_table_model.h"
#include "chart_export_menu.h"
#include "clean_log_ticker.h"
#include "common/test_paths.h"
#include "comparison_panel.h"
#include "error_histogram_chart.h"
#include "layer_bias_chart.h"
#include "layer_table_model.h"
#include "main_window.h"
#include "plan_editor.h"

#include <QUndoStack>

#include <QFile>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QSet>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <memory>

class TestCharts : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        qputenv("BIASGUARD_NO_DIALOGS", "1");
        window_ = std::make_unique<MainWindow>();
        window_->resize(1500, 950);
        window_->show();
        QSignalSpy analysed(window_->analysisPanel(), &AnalysisPanel::analysisFinished);
        window_->openModel(QString::fromStdString(bgtest::sourcePath("resources/models/demo/slimmed_cnn.onnx")));
        QVERIFY(analysed.wait(60000));
        analysis_ = window_->analysisPanel()->analysis();
        QVERIFY(analysis_);
        scatter_ = window_->findChild<BiasBitsChart*>();
        QVERIFY(scatter_);
    }
    void cleanupTestCase() { window_.reset(); }

    // Points picked by what makes them findable: the worst channel, the smallest and the largest |γ|.
    void hoverAndClickSelectTheChannel_data()
    {
        QTest::addColumn<int>("pick");
        QTest::newRow("most bits") << 0;
        QTest::newRow("smallest |γ|") << 1;
        QTest::newRow("largest |γ|") << 2;
    }
    void hoverAndClickSelectTheChannel()
    {
        QFETCH(int, pick);
        scatter_->resetZoom();
        // The target: a channel whose drawn pixel no other channel shares.
        BiasBitsChart::PointRef target;
        double best = pick == 1 ? 1e300 : -1e300;
        for (size_t li = 0; li < analysis_->layers.size(); ++li)
            for (size_t r = 0; r < analysis_->layers[li].channels.size(); ++r) {
                const auto& c = analysis_->layers[li].channels[r];
                const double key = pick == 0 ? c.bits : std::fabs(c.gamma);
                if (pick == 1 ? key < best : key > best) {
                    best = key;
                    target = {static_cast<int>(li), static_cast<int>(r)};
                }
            }
        const QPointF pixel = scatter_->pixelOf(target);
        for (size_t li = 0; li < analysis_->layers.size(); ++li)
            for (size_t r = 0; r < analysis_->layers[li].channels.size(); ++r) {
                const BiasBitsChart::PointRef other{static_cast<int>(li), static_cast<int>(r)};
                if (!(other == target))
                    QVERIFY2(QLineF(scatter_->pixelOf(other), pixel).length() > 0.5, "the picked point shares its pixel");
            }

        // A pixel away from the point still finds it (hit radius); the read-out names the channel.
        const QPoint at = (pixel + QPointF(1.4, -1.2)).toPoint();
        QMouseEvent move(QEvent::MouseMove, at, scatter_->mapToGlobal(at), Qt::NoButton, Qt::NoButton, Qt::NoModifier);
        QApplication::sendEvent(scatter_, &move);
        const auto& layer = analysis_->layers[static_cast<size_t>(target.layer)];
        const auto& c = layer.channels[static_cast<size_t>(target.row)];
        const QString text = scatter_->hoverText();
        QVERIFY2(text.contains(QString::fromStdString(layer.name)), qPrintable(text));
        QVERIFY2(text.contains(QString("channel %1<").arg(c.channel)), qPrintable(text));
        QVERIFY2(text.contains(QString("<b>%1</b> of %2").arg(c.bits).arg(analysis_->settings.biasBits)), qPrintable(text));
        QVERIFY2(text.contains(QString::fromLatin1(bg::strategyName(c.strategy))), qPrintable(text));

        // Select something else first so that the click has to change the selection.
        window_->analysisPanel()->selectChannel(target.layer == 0 ? 1 : 0, 0);
        QSignalSpy clicked(scatter_, &BiasBitsChart::channelClicked);
        QTest::mouseClick(scatter_, Qt::LeftButton, Qt::NoModifier, at);
        QCOMPARE(clicked.count(), 1);
        QCOMPARE(window_->analysisPanel()->selectedLayer(), target.layer);
        QCOMPARE(window_->analysisPanel()->selectedChannel(), target.row);
        auto* channels = window_->findChild<ChannelTableModel*>();
        QCOMPARE(channels->index(target.row, ChannelTableModel::ChannelColumn).data().toLongLong(), qlonglong(c.channel));
    }

    // Far from every point: no read-out, and a click selects nothing.
    void clickOnEmptySpaceSelectsNothing()
    {
        scatter_->resetZoom();
        const QRect plot = scatter_->axisRect()->rect();
        // Top right: large |γ| needs few bits, so nothing is drawn there.
        const QPoint at(plot.right() - 3, plot.top() + 3);
        QVERIFY(!scatter_->pointAt(at));
        QSignalSpy clicked(scatter_, &BiasBitsChart::channelClicked);
        QTest::mouseClick(scatter_, Qt::LeftButton, Qt::NoModifier, at);
        QCOMPARE(clicked.count(), 0);
    }

    // A drag zooms into the rectangle; a double click shows everything again.
    void dragZoomsDoubleClickResets()
    {
        scatter_->resetZoom();
        const QCPRange full = scatter_->xAxis->range();
        const QRect plot = scatter_->axisRect()->rect();
        const QPoint a = plot.center() - QPoint(60, 40), b = plot.center() + QPoint(60, 40);
        QTest::mousePress(scatter_, Qt::LeftButton, Qt::NoModifier, a);
        QMouseEvent drag(QEvent::MouseMove, b, scatter_->mapToGlobal(b), Qt::NoButton, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(scatter_, &drag);
        QTest::mouseRelease(scatter_, Qt::LeftButton, Qt::NoModifier, b);
        QVERIFY(scatter_->xAxis->range().size() < full.size() / 2);
        QTest::mouseDClick(scatter_, Qt::LeftButton, Qt::NoModifier, plot.center());
        QCOMPARE(scatter_->xAxis->range().lower, full.lower);
        QCOMPARE(scatter_->xAxis->range().upper, full.upper);
    }

    // The histogram counts what the channel tables show, layer by layer; under the auto plan no
    // channel of the demo needs more than the register (none is unfixable).
    void histogramCountsTheTablesBits()
    {
        auto* histogram = window_->findChild<BitsHistogramChart*>();
        auto* channels = window_->findChild<ChannelTableModel*>();
        QVERIFY(histogram && channels);
        std::map<int, int64_t> fromTables;
        for (int li = 0; li < static_cast<int>(analysis_->layers.size()); ++li) {
            window_->analysisPanel()->selectLayer(li);
            for (int r = 0; r < channels->rowCount(); ++r)
                ++fromTables[channels->index(r, ChannelTableModel::BitsColumn).data().toInt()];
        }
        QCOMPARE(histogram->naiveCounts(), fromTables);
        // What is drawn is what is counted.
        auto* naiveBars = qobject_cast<QCPBars*>(histogram->plottable(0));
        QVERIFY(naiveBars);
        QCOMPARE(naiveBars->dataCount(), static_cast<int>(fromTables.size()));
        for (int i = 0; i < naiveBars->dataCount(); ++i)
            QCOMPARE(naiveBars->data()->at(i)->value, static_cast<double>(fromTables.at(static_cast<int>(naiveBars->data()->at(i)->key))));
        const int nb = analysis_->settings.biasBits;
        int64_t above = 0, aboveFixed = 0, total = 0;
        for (const auto& [bits, n] : histogram->naiveCounts())
            above += bits > nb ? n : 0;
        for (const auto& [bits, n] : histogram->fixedCounts()) {
            aboveFixed += bits > nb ? n : 0;
            total += n;
        }
        QCOMPARE(above, analysis_->summary.outOfRange);
        QCOMPARE(total, analysis_->summary.channels);
        QCOMPARE(analysis_->summary.unfixable, int64_t(0));
        QCOMPARE(aboveFixed, int64_t(0));

        // A plan that clamps every channel leaves the naive fold's bits: the two series agree, and
        // the scatter's read-out names the plan's choice. Undo brings the auto plan back.
        PlanEditor* plan = window_->analysisPanel()->planEditor();
        for (const auto& layer : analysis_->layers) {
            std::vector<int64_t> all;
            for (const auto& c : layer.channels)
                all.push_back(c.channel);
            plan->setStrategy(layer.name, all, bg::Strategy::Clamp);
        }
        QCOMPARE(histogram->fixedCounts(), histogram->naiveCounts());
        BiasBitsChart::PointRef worst{0, 0};
        for (int li = 0; li < static_cast<int>(analysis_->layers.size()); ++li)
            for (int r = 0; r < static_cast<int>(analysis_->layers[static_cast<size_t>(li)].channels.size()); ++r)
                if (analysis_->layers[static_cast<size_t>(li)].channels[static_cast<size_t>(r)].outOfRange)
                    worst = {li, r};
        QVERIFY2(scatter_->describe(worst).contains("fix plan: clamp"), qPrintable(scatter_->describe(worst)));
        while (plan->undoStack()->canUndo())
            plan->undoStack()->undo();
        QVERIFY(!scatter_->describe(worst).contains("fix plan: clamp"));
        for (const auto& [bits, n] : histogram->fixedCounts())
            QVERIFY(bits <= nb);
    }

    // The selected layer's chart draws its out-of-range channels in the red series.
    void layerBiasChartMarksOutOfRange()
    {
        auto* chart = window_->findChild<LayerBiasChart*>();
        QVERIFY(chart);
        for (int li = 0; li < static_cast<int>(analysis_->layers.size()); ++li) {
            window_->analysisPanel()->selectLayer(li);
            QCOMPARE(chart->outOfRangeCount(), static_cast<int>(analysis_->layers[static_cast<size_t>(li)].outOfRange));
        }
    }

    // Save as PNG / PDF / SVG writes a file of that format; an unknown suffix or folder is refused by name.
    void saveChart_data()
    {
        QTest::addColumn<QString>("suffix");
        QTest::addColumn<QByteArray>("magic");
        QTest::newRow("png") << "png" << QByteArray("\x89PNG");
        QTest::newRow("pdf") << "pdf" << QByteArray("%PDF");
        QTest::newRow("svg") << "svg" << QByteArray("<?xml");
    }
    void saveChart()
    {
        QFETCH(QString, suffix);
        QFETCH(QByteArray, magic);
        QTemporaryDir dir;
        const QString path = dir.filePath("scatter." + suffix);
        QString error;
        QVERIFY2(ChartExportMenu::save(scatter_, path, &error), qPrintable(error));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.size() > 1000);
        QCOMPARE(f.read(magic.size()), magic);
        QVERIFY(!QFile::exists(path + ".part"));
        const QString bad = dir.filePath("no/such/dir/scatter." + suffix);
        QVERIFY(!ChartExportMenu::save(scatter_, bad, &error));
        QVERIFY2(error.contains("scatter." + suffix), qPrintable(error));
    }
    void saveRefusesUnknownFormat()
    {
        QTemporaryDir dir;
        QString error;
        QVERIFY(!ChartExportMenu::save(scatter_, dir.filePath("chart.bmp"), &error));
        QVERIFY2(error.contains("chart.bmp") && error.contains("bmp"), qPrintable(error));
    }

    // Log axes label powers of ten as such and never print the same label twice, however narrow.
    void logTicksAreDistinct_data()
    {
        QTest::addColumn<double>("lower");
        QTest::addColumn<double>("upper");
        QTest::newRow("within one decade") << 2.0 << 4.0;
        QTest::newRow("one decade") << 0.3 << 3.0;
        QTest::newRow("narrow around 1") << 0.9 << 1.1;
        QTest::newRow("eight decades") << 1e-7 << 10.0;
    }
    void logTicksAreDistinct()
    {
        QFETCH(double, lower);
        QFETCH(double, upper);
        QCustomPlot plot;
        plot.resize(400, 300);
        CleanLogTicker::install(plot.xAxis);
        plot.xAxis->setRange(lower, upper);
        plot.replot();
        const QVector<QString> labels = plot.xAxis->tickVectorLabels();
        QVERIFY(labels.size() >= 2);
        QCOMPARE(QSet<QString>(labels.begin(), labels.end()).size(), labels.size());
    }

    // After a comparison, the error histogram shows the selected output, then the selected layer.
    void errorHistogramFollowsTheSelection()
    {
        QSignalSpy compared(window_->comparisonPanel(), &ComparisonPanel::comparisonFinished);
        window_->comparisonPanel()->compare();
        QVERIFY(compared.wait(120000));
        const auto cmp = window_->comparisonPanel()->comparison();
        ErrorHistogramChart* chart = window_->comparisonPanel()->errorChart();
        const auto& out = cmp->outputs[0].quantized;
        QCOMPARE(chart->clampDrawn(), out.errors.total() - out.errors.exact() - out.errors.nonFinite());
        QCOMPARE(out.errors.total(), out.count);
        // The per-layer table is the one behind a sort proxy.
        QTableView* layerView = nullptr;
        for (QTableView* v : window_->comparisonPanel()->findChildren<QTableView*>())
            if (qobject_cast<QSortFilterProxyModel*>(v->model()))
                layerView = v;
        QVERIFY(layerView);
        layerView->selectionModel()->setCurrentIndex(layerView->model()->index(0, 0),
                                                     QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        const auto* proxy = static_cast<QSortFilterProxyModel*>(layerView->model());
        const auto& l = cmp->layers[static_cast<size_t>(proxy->mapToSource(proxy->index(0, 0)).row())].fixed;
        QCOMPARE(chart->fixedDrawn(), l.errors.total() - l.errors.exact() - l.errors.nonFinite());
    }

private:
    std::unique_ptr<MainWindow> window_;
    std::shared_ptr<const bg::FoldAnalysis> analysis_;
    BiasBitsChart* scatter_ = nullptr;
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
