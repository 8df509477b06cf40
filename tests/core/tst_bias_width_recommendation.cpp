// recommendBiasWidths on hand-made sweep rows: the smallest bias width from which on clamp (and
// the fix) stays within 1 dB of the exact-bias reference, with ties at the boundary, never within,
// within already at 8 bits, a narrow width that passes by accident below a failing one, several
// outputs (the worst decides), several weight widths, and the reference lowered to the naive fold
// where nothing is out of range.
#include "sweep/bias_width_recommendation.h"

#include <QtTest>

#include <cmath>
#include <limits>

Q_DECLARE_METATYPE(QList<qlonglong>)

namespace {

// One weight width (4), one output: rows at `bias` widths with the three runs' SQNR.
std::vector<bg::SweepRow> rowsOf(const QList<int>& bias, const QList<double>& clamp, const QList<double>& fixed,
                                 const QList<double>& exact, const QList<qlonglong>& changed)
{
    std::vector<bg::SweepRow> rows;
    for (qsizetype i = 0; i < bias.size(); ++i) {
        bg::SweepRow r;
        r.weightBits = 4;
        r.biasBits = bias[i];
        r.channelsChanged = changed[i];
        r.outOfRange = 1;  // some channel out of range: the exact-bias run is the reference
        bg::SweepOutputFigures o;
        o.name = "y";
        o.clamp.sqnrDb = clamp[i];
        o.fixed.sqnrDb = fixed[i];
        o.exactBias.sqnrDb = exact[i];
        r.outputs.push_back(o);
        rows.push_back(r);
    }
    return rows;
}

} // namespace

class TestBiasWidthRecommendation : public QObject {
    Q_OBJECT
private slots:
    void recommendation_data()
    {
        QTest::addColumn<QList<int>>("bias");
        QTest::addColumn<QList<double>>("clamp");
        QTest::addColumn<QList<double>>("fixed");
        QTest::addColumn<QList<double>>("exact");
        QTest::addColumn<QList<qlonglong>>("changed");
        QTest::addColumn<int>("withoutFix");  // -1: none
        QTest::addColumn<int>("withFix");
        QTest::addColumn<qlonglong>("channelsChanged");

        QTest::newRow("clamp needs 16, the fix 10")
            << QList<int>{8, 10, 12, 16, 32} << QList<double>{2, 5, 12, 19.5, 20} << QList<double>{15, 19.2, 19.8, 20, 20}
            << QList<double>{20, 20, 20, 20, 20} << QList<qlonglong>{40, 12, 3, 0, 0} << 16 << 10 << 12LL;
        QTest::newRow("exactly 1 dB below is within (tie)")
            << QList<int>{8, 12, 16} << QList<double>{10, 19, 19.5} << QList<double>{19, 19, 20}
            << QList<double>{20, 20, 20} << QList<qlonglong>{7, 2, 0} << 12 << 8 << 7LL;
        QTest::newRow("just over 1 dB below is not")
            << QList<int>{8, 12, 16} << QList<double>{10, 18.999, 19.5} << QList<double>{18.999, 19, 20}
            << QList<double>{20, 20, 20} << QList<qlonglong>{7, 2, 0} << 16 << 12 << 2LL;
        QTest::newRow("never within")
            << QList<int>{8, 16, 32} << QList<double>{1, 2, 3} << QList<double>{4, 5, 6}
            << QList<double>{20, 20, 20} << QList<qlonglong>{9, 9, 9} << -1 << -1 << 0LL;
        QTest::newRow("within at 8 bits")
            << QList<int>{8, 9, 10} << QList<double>{20, 20.5, 20} << QList<double>{20, 20, 20}
            << QList<double>{20, 20, 20} << QList<qlonglong>{0, 0, 0} << 8 << 8 << 0LL;
        QTest::newRow("a pass by accident below a failing width does not count")
            << QList<int>{8, 10, 12, 14} << QList<double>{19.5, 10, 19.8, 20} << QList<double>{19.5, 19.5, 20, 20}
            << QList<double>{20, 20, 20, 20} << QList<qlonglong>{5, 4, 1, 0} << 12 << 8 << 5LL;
        QTest::newRow("rows in any order")
            << QList<int>{32, 8, 16, 12} << QList<double>{20, 2, 19.6, 15} << QList<double>{20, 19.1, 20, 20}
            << QList<double>{20, 20, 20, 20} << QList<qlonglong>{0, 30, 0, 4} << 16 << 8 << 30LL;
        constexpr double inf = std::numeric_limits<double>::infinity();
        QTest::newRow("exact everywhere (+inf against +inf is within)")
            << QList<int>{8, 16} << QList<double>{inf, inf} << QList<double>{inf, inf}
            << QList<double>{inf, inf} << QList<qlonglong>{0, 0} << 8 << 8 << 0LL;
        QTest::newRow("a NaN figure is never within")
            << QList<int>{8, 16} << QList<double>{20, std::nan("")} << QList<double>{20, 20}
            << QList<double>{20, 20} << QList<qlonglong>{0, 0} << -1 << 8 << 0LL;
    }

    void recommendation()
    {
        QFETCH(QList<int>, bias);
        QFETCH(QList<double>, clamp);
        QFETCH(QList<double>, fixed);
        QFETCH(QList<double>, exact);
        QFETCH(QList<qlonglong>, changed);
        QFETCH(int, withoutFix);
        QFETCH(int, withFix);
        QFETCH(qlonglong, channelsChanged);
        const std::vector<bg::BiasWidthRecommendation> recs =
            bg::recommendBiasWidths(rowsOf(bias, clamp, fixed, exact, changed));
        QCOMPARE(recs.size(), size_t(1));
        QCOMPARE(recs[0].weightBits, 4);
        QCOMPARE(recs[0].withoutFix.value_or(-1), withoutFix);
        QCOMPARE(recs[0].withFix.value_or(-1), withFix);
        QCOMPARE(recs[0].channelsChanged, static_cast<int64_t>(channelsChanged));
    }

    // Several outputs: a row is within only when every output is; one output far off decides.
    void worstOutputDecides()
    {
        std::vector<bg::SweepRow> rows = rowsOf({8, 16}, {20, 20}, {20, 20}, {20, 20}, {0, 0});
        bg::SweepOutputFigures second;
        second.name = "z";
        second.exactBias.sqnrDb = 30;
        second.clamp.sqnrDb = 25;  // 5 dB off at 8 bits
        second.fixed.sqnrDb = 29.5;
        rows[0].outputs.push_back(second);
        second.clamp.sqnrDb = 29.2;  // within at 16
        rows[1].outputs.push_back(second);
        const auto recs = bg::recommendBiasWidths(rows);
        QCOMPARE(recs[0].withoutFix.value_or(-1), 16);
        QCOMPARE(recs[0].withFix.value_or(-1), 8);
        QCOMPARE(bg::worstFigures(rows[0], bg::SweepRun::Clamp).sqnrDb, 20.0);
    }

    // Where the widest width has no channel out of range and its naive fold lies below the exact-bias
    // run (the pipelines' rounding, not the register), that fold is the reference: clamp and the
    // fix are recommended from where they reach it. With a channel still out of range there, the
    // exact-bias run stays the reference (nothing would be recommended here).
    void overflowFreeFoldLowersTheReference_data()
    {
        QTest::addColumn<qlonglong>("widestOutOfRange");
        QTest::addColumn<int>("withoutFix");
        QTest::addColumn<int>("withFix");
        QTest::addColumn<double>("reference");
        QTest::addColumn<bool>("fromClamp");
        QTest::newRow("overflow-free at 32") << 0LL << 16 << 12 << 22.0 << true;
        QTest::newRow("still out of range at 32") << 1LL << -1 << -1 << 25.0 << false;
    }
    void overflowFreeFoldLowersTheReference()
    {
        QFETCH(qlonglong, widestOutOfRange);
        QFETCH(int, withoutFix);
        QFETCH(int, withFix);
        QFETCH(double, reference);
        QFETCH(bool, fromClamp);
        std::vector<bg::SweepRow> rows =
            rowsOf({8, 12, 16, 32}, {5, 15, 21.5, 22}, {12, 21.2, 22, 22}, {25, 25, 25, 25}, {30, 10, 2, 0});
        rows.back().outOfRange = widestOutOfRange;
        const auto recs = bg::recommendBiasWidths(rows);
        QCOMPARE(recs[0].withoutFix.value_or(-1), withoutFix);
        QCOMPARE(recs[0].withFix.value_or(-1), withFix);
        QCOMPARE(recs[0].referenceSqnrDb, reference);
        QCOMPARE(recs[0].reference == bg::ReferenceKind::OverflowFreeClamp, fromClamp);
        // The row flags the CLI prints use the same reference.
        const std::vector<double> ref = bg::referenceSqnr(rows, 4);
        QCOMPARE(ref.size(), size_t(1));
        QCOMPARE(bg::withinReference(rows[2], bg::SweepRun::Clamp, ref, 1.0), withoutFix == 16);
    }

    // An overflow-free naive fold above the exact-bias run does not raise the reference.
    void overflowFreeFoldAboveExactKeepsExact()
    {
        std::vector<bg::SweepRow> rows = rowsOf({8, 16}, {5, 27}, {19.5, 27}, {20, 20}, {3, 0});
        rows.back().outOfRange = 0;
        const auto recs = bg::recommendBiasWidths(rows);
        QCOMPARE(recs[0].reference == bg::ReferenceKind::ExactBias, true);
        QCOMPARE(recs[0].referenceSqnrDb, 20.0);
        QCOMPARE(recs[0].withFix.value_or(-1), 8);
    }

    // One recommendation per weight width, in the order the rows first name them.
    void perWeightWidth()
    {
        std::vector<bg::SweepRow> rows = rowsOf({8, 16}, {5, 20}, {20, 20}, {20, 20}, {3, 0});
        std::vector<bg::SweepRow> w8 = rowsOf({8, 16}, {20, 20}, {20, 20}, {20, 20}, {0, 0});
        for (bg::SweepRow& r : w8)
            r.weightBits = 8;
        rows.insert(rows.begin(), w8.begin(), w8.end());
        const auto recs = bg::recommendBiasWidths(rows);
        QCOMPARE(recs.size(), size_t(2));
        QCOMPARE(recs[0].weightBits, 8);
        QCOMPARE(recs[0].withoutFix.value_or(-1), 8);
        QCOMPARE(recs[1].weightBits, 4);
        QCOMPARE(recs[1].withoutFix.value_or(-1), 16);
        QCOMPARE(recs[1].withFix.value_or(-1), 8);
        QCOMPARE(recs[1].channelsChanged, int64_t(3));
    }
};

QTEST_GUILESS_MAIN(TestBiasWidthRecommendation)
#include "tst_bias_width_recommendation.moc"
