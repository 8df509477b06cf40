#pragma once
// The quantization settings of QUANT_SPEC §3 as a compact form: bits, granularity, calibration.
#include "arithmetic/quant_settings.h"

#include <QWidget>

class QComboBox;
class QLineEdit;
class QSpinBox;

class SettingsForm : public QWidget {
    Q_OBJECT
public:
    explicit SettingsForm(QWidget* parent = nullptr);

    bg::QuantSettings settings() const;
    void setSettings(const bg::QuantSettings& settings);
    QString calibrationPath() const;  // empty: synthetic samples

signals:
    void changed();

private:
    QSpinBox* weightBits_;
    QSpinBox* activationBits_;
    QSpinBox* biasBits_;
    QComboBox* granularity_;
    QLineEdit* calibration_;
};
