#include "job_controls.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QPushButton>
#include <QVBoxLayout>

JobControls::JobControls(const QString& runText, QWidget* leading, QWidget* parent) : QWidget(parent)
{
    run_ = new QPushButton(runText, this);
    cancel_ = new QPushButton(tr("Cancel"), this);
    progress_ = new QProgressBar(this);
    progress_->setVisible(false);
    summary_ = new QLabel(this);
    summary_->setWordWrap(true);
    summary_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* row = new QHBoxLayout;
    if (leading)
        row->addWidget(leading, 1);
    row->addWidget(run_);
    row->addWidget(cancel_);
    if (!leading)
        row->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(row);
    layout->addWidget(progress_);
    layout->addWidget(summary_);

    connect(run_, &QPushButton::clicked, this, &JobControls::runRequested);
    connect(cancel_, &QPushButton::clicked, this, &JobControls::cancelRequested);
    setReady(false);
}

void JobControls::setReady(bool ready)
{
    ready_ = ready;
    run_->setEnabled(ready_ && !running_);
    cancel_->setEnabled(running_);
}

void JobControls::begin(const QString& text)
{
    running_ = true;
    setReady(ready_);
    progress_->setValue(0);
    progress_->setVisible(true);
    summary_->setText(text);
}

void JobControls::end(const QString& summary)
{
    running_ = false;
    setReady(ready_);
    progress_->setVisible(false);
    summary_->setText(summary);
}

void JobControls::setSummary(const QString& text)
{
    summary_->setText(text);
}

QString JobControls::summary() const
{
    return summary_->text();
}

void JobControls::setProgress(int done, int total)
{
    progress_->setMaximum(total);
    progress_->setValue(done);
}
