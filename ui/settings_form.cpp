#include "settings_form.h"

#include "app_settings.h"

#include "arithmetic/hardware_target.h"
#include "io/error.h"

#include <QComboBox>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QRegularExpressionValidator>
#include <QSpinBox>
#include <QStandardItemModel>
#include <QAbstractItemView>
#include <QToolButton>

SettingsForm::SettingsForm(QWidget* parent) : QWidget(parent)
{
    auto* row = new QHBoxLayout(this);
    row->setContentsMargins(0, 0, 0, 0);
    // The presets first: the user's chip decides the widths, the spin boxes refine them.
    target_ = new QComboBox(this);
    target_->setObjectName(QStringLiteral("targetBox"));
    target_->setToolTip(tr("Hardware preset: sets the widths and the granularity (biasguard-cli targets --sources "
                           "names the source of each figure)"));
    target_->addItem(tr("Custom"), QString());
    for (const bg::HardwareTarget& t : bg::builtinTargets()) {
        target_->addItem(QString::fromStdString(t.title), QString::fromStdString(t.name));
        const int i = target_->count() - 1;
        QString tip = QStringLiteral("%1: W%2 A%3, %4-bit bias, %5").arg(QString::fromStdString(t.name)).arg(t.weightBits)
                          .arg(t.activationBits).arg(t.biasBits).arg(bg::granularityName(t.granularity));
        if (!t.note.empty())
            tip += QStringLiteral("\n") + QString::fromStdString(t.note);
        if (!t.applies) {
            tip += QStringLiteral("\n") + tr("Not available: %1").arg(QString::fromStdString(t.reason));
            if (auto* items = qobject_cast<QStandardItemModel*>(target_->model()))
                items->item(i)->setEnabled(false);
        }
        target_->setItemData(i, tip, Qt::ToolTipRole);
    }
    // The titles are long: the box stays narrow (the calibration field needs the room) and its
    // list opens as wide as the longest title.
    target_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    target_->setMinimumContentsLength(14);
    target_->view()->setMinimumWidth(target_->view()->sizeHintForColumn(0) + 24);
    row->addWidget(new QLabel(tr("Target"), this));
    row->addWidget(target_);
    connect(target_, &QComboBox::activated, this, &SettingsForm::onTargetChosen);
    auto spin = [this, row](const QString& label, int lo, int hi, const QString& tip) {
        auto* s = new QSpinBox(this);
        s->setRange(lo, hi);
        s->setSuffix(tr(" bit"));
        s->setToolTip(tip);
        row->addWidget(new QLabel(label, this));
        row->addWidget(s);
        connect(s, &QSpinBox::valueChanged, this, &SettingsForm::onFigureEdited);
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
    connect(granularity_, &QComboBox::currentIndexChanged, this, &SettingsForm::onFigureEdited);
    // Not part of a preset: how the integer pipeline rounds, for the runtime the model goes to.
    arithmetic_ = new QComboBox(this);
    arithmetic_->setObjectName(QStringLiteral("arithmetic"));
    arithmetic_->addItem(tr("exact (spec)"), QString::fromLatin1(bg::arithmeticName(bg::Arithmetic::Exact)));
    arithmetic_->addItem(tr("ONNX Runtime"), QString::fromLatin1(bg::arithmeticName(bg::Arithmetic::OnnxRuntime)));
    arithmetic_->setToolTip(tr("Integer rounding: exact quotients rounded half away from zero (QUANT_SPEC), or what "
                               "ONNX Runtime computes for the QDQ export (float32, half to even)"));
    row->addWidget(new QLabel(tr("Rounding"), this));
    row->addWidget(arithmetic_);
    connect(arithmetic_, &QComboBox::currentIndexChanged, this, &SettingsForm::changed);

    calibration_ = new QLineEdit(this);
    calibration_->setObjectName(QStringLiteral("calibrationPath"));
    calibration_->setPlaceholderText(tr("8 synthetic samples"));
    calibration_->setToolTip(tr("Calibration folder: test_data_set_*/input_K.pb, *.npy or images"));
    auto* browse = new QToolButton(this);
    browse->setText(tr("…"));
    connect(browse, &QToolButton::clicked, this, [this] {
        const QString dir = QFileDialog::getExistingDirectory(this, tr("Calibration folder"), AppSettings::lastFolder("calibration"));
        if (dir.isEmpty())
            return;
        AppSettings::rememberFolder("calibration", dir);
        calibration_->setText(dir);
    });
    row->addWidget(new QLabel(tr("Calibration"), this));
    row->addWidget(calibration_, 1);
    row->addWidget(browse);

    // Beside the calibration source because it sizes the samples: synthetic ones and images.
    inputSize_ = new QLineEdit(this);
    inputSize_->setObjectName(QStringLiteral("inputSize"));
    inputSize_->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("\\d{0,5}[xX×]?\\d{0,5}")), inputSize_));
    inputSize_->setMaximumWidth(fontMetrics().horizontalAdvance(QStringLiteral("00000×00000")) + 16);
    inputSize_->setToolTip(tr("Height×width for inputs whose H and W are dynamic, e.g. 48x192 (as --input-size)"));
    inputSizeNote_ = new QLabel(this);
    inputSizeNote_->setObjectName(QStringLiteral("inputSizeNote"));
    row->addWidget(new QLabel(tr("Input H×W"), this));
    row->addWidget(inputSize_);
    row->addWidget(inputSizeNote_);
    connect(inputSize_, &QLineEdit::textChanged, this, [this] {
        updateInputSizeNote();
        emit changed();
    });
    setSettings(bg::QuantSettings{});
    setDynamicInput(false, {});
}

bg::QuantSettings SettingsForm::settings() const
{
    bg::QuantSettings s;
    s.weightBits = weightBits_->value();
    s.activationBits = activationBits_->value();
    s.biasBits = biasBits_->value();
    s.granularity = bg::parseGranularity(granularity_->currentData().toString().toStdString());
    s.arithmetic = bg::parseArithmetic(arithmetic_->currentData().toString().toStdString());
    s.target = target().toStdString();
    return s;
}

void SettingsForm::setSettings(const bg::QuantSettings& s)
{
    applyingTarget_ = true;
    weightBits_->setValue(s.weightBits);
    activationBits_->setValue(s.activationBits);
    biasBits_->setValue(s.biasBits);
    granularity_->setCurrentIndex(s.granularity == bg::Granularity::PerChannel ? 0 : 1);
    arithmetic_->setCurrentIndex(s.arithmetic == bg::Arithmetic::Exact ? 0 : 1);
    applyingTarget_ = false;
    const int i = target_->findData(QString::fromStdString(s.target));
    target_->setCurrentIndex(i > 0 ? i : 0);
    onFigureEdited();  // a preset whose figures these settings do not match is Custom
}

QString SettingsForm::target() const
{
    return target_->currentData().toString();
}

bool SettingsForm::chooseTarget(const QString& name)
{
    const int i = target_->findData(name);
    if (i <= 0)
        return false;
    if (auto* items = qobject_cast<QStandardItemModel*>(target_->model()); items && !items->item(i)->isEnabled())
        return false;
    target_->setCurrentIndex(i);
    onTargetChosen(i);
    return true;
}

void SettingsForm::onTargetChosen(int index)
{
    const QString name = target_->itemData(index).toString();
    if (name.isEmpty()) {
        emit changed();
        return;
    }
    bg::QuantSettings applied;
    try {
        applied = bg::findTarget(name.toStdString()).apply(settings());
    } catch (const std::exception&) {
        target_->setCurrentIndex(0);  // not applicable (the box disables those): stay Custom
        return;
    }
    applyingTarget_ = true;
    weightBits_->setValue(applied.weightBits);
    activationBits_->setValue(applied.activationBits);
    biasBits_->setValue(applied.biasBits);
    granularity_->setCurrentIndex(applied.granularity == bg::Granularity::PerChannel ? 0 : 1);
    applyingTarget_ = false;
    emit changed();
}

void SettingsForm::onFigureEdited()
{
    if (applyingTarget_)
        return;
    const QString name = target();
    if (!name.isEmpty()) {
        bool matches = false;
        for (const bg::HardwareTarget& t : bg::builtinTargets())
            if (QString::fromStdString(t.name) == name)
                matches = t.applies && t.weightBits == weightBits_->value() && t.activationBits == activationBits_->value()
                    && t.biasBits == biasBits_->value()
                    && granularity_->currentData().toString() == QLatin1String(bg::granularityName(t.granularity));
        if (!matches)
            target_->setCurrentIndex(0);
    }
    emit changed();
}

QString SettingsForm::calibrationPath() const
{
    return calibration_->text().trimmed();
}

void SettingsForm::setCalibrationPath(const QString& path)
{
    calibration_->setText(path);
}

QSize SettingsForm::inputSize() const
{
    const QString text = inputSize_->text().trimmed();
    if (text.isEmpty())
        return {};
    const QStringList hw = text.split(QRegularExpression(QStringLiteral("[xX×]")));
    bool okH = false, okW = false;
    const int h = hw.size() == 2 ? hw[0].toInt(&okH) : 0;
    const int w = hw.size() == 2 ? hw[1].toInt(&okW) : 0;
    if (!okH || !okW || h <= 0 || w <= 0)
        throw bg::Error(bg::ErrorCode::BadSetting, "input size", "'" + text.toStdString() + "' is not HxW, e.g. 48x192");
    return QSize(w, h);
}

void SettingsForm::setInputSize(QSize size)
{
    inputSize_->setText(size.isValid() && !size.isEmpty() ? QString("%1x%2").arg(size.height()).arg(size.width()) : QString());
}

ImageCalibrationOptions SettingsForm::imageOptions() const
{
    ImageCalibrationOptions o;
    const QSize size = dynamic_ ? inputSize() : QSize();  // a fixed-size model ignores the field
    if (size.isValid()) {
        o.height = size.height();
        o.width = size.width();
    }
    return o;
}

void SettingsForm::setDynamicInput(bool dynamic, QSize defaultSize)
{
    dynamic_ = dynamic;
    defaultSize_ = defaultSize;
    inputSize_->setEnabled(dynamic);
    updateInputSizeNote();
}

QString SettingsForm::inputSizeNote() const
{
    return inputSizeNote_->text();
}

void SettingsForm::updateInputSizeNote()
{
    const QString fallback = QString("%1x%2").arg(defaultSize_.height()).arg(defaultSize_.width());
    inputSize_->setPlaceholderText(dynamic_ ? fallback : QString());
    QString note;
    if (!dynamic_) {
        note = tr("fixed by the model");
    } else {
        try {
            if (!inputSize().isValid())
                note = tr("<span style='color:#a06000'>dynamic H/W: %1 (default)</span>").arg(fallback);
        } catch (const bg::Error&) {
            note = tr("<span style='color:#c02020'>not HxW</span>");
        }
    }
    inputSizeNote_->setText(note);
}
