#pragma once
// The "Activation ranges" box of the analysis tab: the diagnosis table under a one-line summary of
// how many tensors are flagged and the remedies users know (named, not applied).
#include "analysis/activation_diagnosis.h"

#include <QGroupBox>

#include <vector>

class QLabel;
class QTableView;
class ActivationRangeModel;

class ActivationRangeView : public QGroupBox {
    Q_OBJECT
public:
    explicit ActivationRangeView(QWidget* parent = nullptr);
    void setDiagnosis(std::vector<bg::TensorRangeDiagnosis> tensors);
    ActivationRangeModel* model() const { return model_; }

private:
    ActivationRangeModel* model_;
    QTableView* view_;
    QLabel* summary_;
};
