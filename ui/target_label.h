#pragma once
// How the GUI names a hardware target (QuantSettings::target) to the user and in the report:
// "TensorFlow Lite / LiteRT int8 (tflite-int8)"; empty for none, the bare name for one this build
// does not know.
#include <QString>

#include <string>

QString targetLabel(const std::string& name);
