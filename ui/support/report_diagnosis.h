#pragma once
// The report's "Where else the pipeline loses" section (issue 13): the first collapse and the tensors
// whose shared activation scale costs most, with the remedies users know (named, not applied).
#include "comparison/model_comparison.h"

class ReportCanvas;

void diagnosisSection(ReportCanvas& canvas, const bg::ModelComparison& comparison);
