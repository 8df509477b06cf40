// JobControls: the Run/Cancel/progress/summary behaviour both panels share, driven by a stand-in job
// with the same typed signals as AnalysisJob and ComparisonJob.
#include "job_controls.h"

#include <QProgressBar>
#include <QPushButton>
#include <QSignalSpy>
#include <QtTest>

class FakeJob : public QObject {
    Q_OBJECT
signals:
    void progress(int done, int total);
    void failed(const QString& message);
    void cancelled();
};

class TestJobControls : public QObject {
    Q_OBJECT
private slots:
    void states()
    {
        JobControls controls(QStringLiteral("Run it"), nullptr);
        FakeJob job;
        QString failure;
        controls.watch(&job, QStringLiteral("It failed"), [&failure](const QString& m) { failure = m; });
        const auto buttons = controls.findChildren<QPushButton*>();
        QCOMPARE(buttons.size(), 2);
        QPushButton* run = buttons[0]->text() == "Run it" ? buttons[0] : buttons[1];
        QPushButton* cancel = run == buttons[0] ? buttons[1] : buttons[0];
        auto* bar = controls.findChild<QProgressBar*>();

        QVERIFY(!run->isEnabled() && !cancel->isEnabled());  // nothing to run yet
        controls.setReady(true);
        QVERIFY(run->isEnabled() && !cancel->isEnabled());
        QSignalSpy runs(&controls, &JobControls::runRequested), cancels(&controls, &JobControls::cancelRequested);
        run->click();
        QCOMPARE(runs.count(), 1);

        controls.begin(QStringLiteral("working"));
        QVERIFY(!run->isEnabled() && cancel->isEnabled());
        QVERIFY(!bar->isHidden());
        emit job.progress(3, 8);
        QCOMPARE(bar->value(), 3);
        QCOMPARE(bar->maximum(), 8);
        cancel->click();
        QCOMPARE(cancels.count(), 1);
        controls.setReady(true);  // a new model while running: Run stays off until the job ends
        QVERIFY(!run->isEnabled());

        emit job.failed(QStringLiteral("model.onnx: <truncated>"));
        QCOMPARE(failure, QStringLiteral("model.onnx: <truncated>"));
        QCOMPARE(controls.summary(), QStringLiteral("It failed: model.onnx: &lt;truncated&gt;"));
        QVERIFY(run->isEnabled() && !cancel->isEnabled());
        QVERIFY(bar->isHidden());

        controls.begin(QStringLiteral("again"));
        emit job.cancelled();
        QCOMPARE(controls.summary(), QStringLiteral("Cancelled."));
        QVERIFY(run->isEnabled() && !cancel->isEnabled());
        controls.setReady(false);
        QVERIFY(!run->isEnabled());
    }
};

QTEST_MAIN(TestJobControls)
#include "tst_job_controls.moc"
