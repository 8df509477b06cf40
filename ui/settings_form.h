#pragma once
// The quantization settings of QUANT_SPEC §3 as a compact form: a hardware target (the presets of
// resources/targets.json, arithmetic/hardware_target.h), bits, granularity, calibration, and the
// H×W that sizes a model's dynamic spatial axes (synthetic samples and images alike). Choosing a
// target sets the widths and the granularity; editing one of them by hand makes it "Custom".
#include "arithmetic/quant_settings.h"
#include "image_calibration_source.h"

#include <QSize>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;

class SettingsForm : public QWidget {
    Q_OBJECT
public:
    explicit SettingsForm(QWidget* parent = nullptr);

    bg::QuantSettings settings() const;
    // Selects settings.target when it names a preset whose figures the settings match, else Custom.
    void setSettings(const bg::QuantSettings& settings);
    // The chosen preset's name (QuantSettings::target), empty for Custom.
    QString target() const;
    // Chooses a preset by name as the user would (sets its widths); false when unknown or not
    // applicable (the box lists those disabled, saying why).
    bool chooseTarget(const QString& name);
    QString calibrationPath() const;  // empty: synthetic samples
    void setCalibrationPath(const QString& path);

    // The H×W typed in the input-size field; invalid when empty. Throws bg::Error(BadSetting) when
    // the text is not HxW with positive sizes.
    QSize inputSize() const;
    void setInputSize(QSize size);  // invalid: clears the field
    // Image and synthetic-input options with the input size in them.
    ImageCalibrationOptions imageOptions() const;
    // Whether the open model has dynamic H/W on a 4-D input: the field is enabled and, when empty,
    // the form says which size the analysis uses instead (`defaultSize`).
    void setDynamicInput(bool dynamic, QSize defaultSize);
    // The line beside the field: the size in use, or why the field is disabled.
    QString inputSizeNote() const;

signals:
    void changed();

private:
    void updateInputSizeNote();
    void onTargetChosen(int index);
    // A width or the granularity changed: Custom unless it still matches the chosen target.
    void onFigureEdited();

    QComboBox* target_;
    bool applyingTarget_ = false;
    QSpinBox* weightBits_;
    QSpinBox* activationBits_;
    QSpinBox* biasBits_;
    QComboBox* granularity_;
    QComboBox* arithmetic_;
    QLineEdit* calibration_;
    QLineEdit* inputSize_;
    QLabel* inputSizeNote_;
    bool dynamic_ = false;
    QSize defaultSize_;
};
