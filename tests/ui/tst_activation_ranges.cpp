// The GUI side of issue 13: the "Activation ranges" table model (QAbstractItemModelTester, the
// columns, the flagged colour), its view's summary, and the comparison's accuracy columns, which
// carry the accuracy only when labels were given.
#include "activation_range_model.h"
#include "activation_range_view.h"
#include "output_comparison_model.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QLabel>
#include <QtTest>

#include <limits>

namespace {

std::vector<bg::TensorRangeDiagnosis> sample()
{
    bg::TensorRangeDiagnosis worst;
    worst.tensor = "p2o.Add.15";
    worst.consumer = "p2o.Conv.3";
    worst.lo = -0.78;
    worst.hi = 66.5;
    worst.channels = 32;
    worst.medianChannelSpan = 6.3;
    worst.ratio = (66.5 + 0.78) / 6.3;
    worst.estCostDb = 21.3;
    bg::TensorRangeDiagnosis fine = worst;
    fine.tensor = "x";
    fine.consumer = "p2o.Conv.0";
    fine.ratio = std::numeric_limits<double>::infinity();
    fine.estCostDb = 0.5;
    return {worst, fine};
}

} // namespace

class TestActivationRanges : public QObject {
    Q_OBJECT
private slots:
    void modelShowsTheDiagnosis()
    {
        ActivationRangeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 0);
        model.setDiagnosis(sample());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.columnCount(), int(ActivationRangeModel::ColumnCount));
        QCOMPARE(model.index(0, ActivationRangeModel::ConsumerColumn).data().toString(), QString("p2o.Conv.3"));
        QCOMPARE(model.index(0, ActivationRangeModel::RangeColumn).data().toString(), QString("[-0.78, 66.5]"));
        QCOMPARE(model.index(0, ActivationRangeModel::CostColumn).data().toString(), QString("21.3 dB"));
        QCOMPARE(model.index(1, ActivationRangeModel::RatioColumn).data().toString(), QString("inf"));
        // Flagged (≥ one bit) in red, the other not.
        QVERIFY(model.index(0, ActivationRangeModel::CostColumn).data(Qt::ForegroundRole).canConvert<QBrush>());
        QVERIFY(!model.index(1, ActivationRangeModel::CostColumn).data(Qt::ForegroundRole).isValid());
        QVERIFY(model.index(0, ActivationRangeModel::CostColumn).data(Qt::ToolTipRole).toString().contains("cross-layer equalization"));
        QCOMPARE(model.headerData(ActivationRangeModel::MedianSpanColumn, Qt::Horizontal).toString(), QString("Median channel span"));
        model.setDiagnosis({});
        QCOMPARE(model.rowCount(), 0);
    }

    void viewSummarisesTheFlaggedTensors()
    {
        ActivationRangeView view;
        view.setDiagnosis(sample());
        const QLabel* summary = view.findChild<QLabel*>();
        QVERIFY(summary);
        QVERIFY2(summary->text().startsWith("1 of 2 quantized tensors"), qPrintable(summary->text()));
        QCOMPARE(view.model()->rowCount(), 2);
        view.setDiagnosis({});
        QVERIFY(summary->text().contains("No per-channel ranges"));
    }

    void outputTableShowsAccuracyWithLabels()
    {
        auto c = std::make_shared<bg::ModelComparison>();
        c->outputs.resize(2);
        c->outputs[0].name = "scores";
        c->outputs[0].accuracy = bg::TaskAccuracy{"scores", 4, 1.0, 0.5, 0.75, 1.0};
        c->outputs[1].name = "features";
        OutputComparisonModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setComparison(c);
        QVERIFY(model.hasAccuracy());
        QCOMPARE(model.index(0, OutputComparisonModel::AccuracyFloatColumn).data().toString(), QString("100.0 %"));
        QCOMPARE(model.index(0, OutputComparisonModel::AccuracyClampColumn).data().toString(), QString("50.0 %"));
        QCOMPARE(model.index(0, OutputComparisonModel::AccuracyFixedColumn).data().toString(), QString("75.0 %"));
        QCOMPARE(model.index(0, OutputComparisonModel::AccuracyExactBiasColumn).data().toString(), QString("100.0 %"));
        QVERIFY(!model.index(1, OutputComparisonModel::AccuracyFixedColumn).data().isValid());
        c->outputs[0].accuracy.reset();
        model.setComparison(c);
        QVERIFY(!model.hasAccuracy());
    }
};

QTEST_MAIN(TestActivationRanges)
#include "tst_activation_ranges.moc"
