#include "settings_form.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QToolButton>

SettingsForm::SettingsForm(QWidget* parent) : QWidget(parent)
{
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    auto spin = [this, row](const QString& label, int lo, int hi, const QString& tip) {
        auto* s = new QSpinBox(this);
        s->setRange(lo, hi);
        s->setSuffix(tr(" bit"));
        s->setToolTip(tip);
        row->addWidget(new QLabel(label, this));
        row->addWidget(s);
        connect(s, &QSpinBox::valueChanged, this, &SettingsForm::changed);
        return s;
    };
    weightBits_ = spin(tr("Weights"), 2, 8, tr("n_w: signed symmetric narrow range"));
    activationBits_ = spin(tr("Activations"), 2, 8, tr("n_a: unsigned affine"));
    biasBits_ = spin(tr("Bias register"), 8, 32, tr("n_b: the signed bias register the merged bias must fit"));
    granularity_ = new QComboBox(this);
    granularity_->addItem(tr("per channel"), QString("per_channel"));
    granularity_->addItem(tr("per tensor"), QString("per_tensor"));
    row->addWidget(new QLabel(tr("Scales"), this));
    row->addWidget(granularity_);
    connect(granularity_, &QComboBox::currentIndexChanged, this, &SettingsForm::changed);

    calibration_ = new QLineEdit(this);
    calibration_->setPlaceholderText(tr("8 synthetic samples"));
    calibration_->setToolTip(tr("Calibration folder: test_data_set_*/input_K.pb, *.npy or images"));
    auto* browse = new QToolButton(this);
    browse->setText(tr("…"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Calibration folder"));
        if (!dir.isEmpty())
            calibration_->setText(dir);
    });
    row->addWidget(new QLabel(tr("Calibration"), this));
    row->addWidget(calibration_, 1);
    row->addWidget(browse);
    setSettings(bg::QuantSettings{});
}

bg::QuantSettings SettingsForm::settings() const
{
    bg::QuantSettings s;
    s.weightBits = weightBits_->value();
    s.activationBits = activationBits_->value();
    s.biasBits = biasBits_->value();
    s.granularity = bg::parseGranularity(granularity_->currentData().toString().toStdString());
    return s;
}

void SettingsForm::setSettings(const bg::QuantSettings& s)
{
    weightBits_->setValue(s.weightBits);
    activationBits_->setValue(s.activationBits);
    biasBits_->setValue(s.biasBits);
    granularity_->setCurrentIndex(s.granularity == bg::Granularity::PerChannel ? 0 : 1);
}

QString SettingsForm::calibrationPath() const
{
    return calibration_->text().trimmed();
}
