#pragma once
// What BiasGuard remembers between runs, in one place so that every key is named once: the
// quantization settings, the input size per model, the last folder per kind of file dialog. The
// window's geometry and splitters are WindowState's; the recent files RecentFiles'. All of it is
// QSettings (organization and application name set by main; tests point it at a temporary scope).
#include "arithmetic/quant_settings.h"

#include <QSize>
#include <QString>

namespace AppSettings {

// The form's last settings with the hardware target chosen (QuantSettings::target); the defaults
// of QUANT_SPEC §3 when nothing was saved or it is invalid.
bg::QuantSettings quantSettings();
void setQuantSettings(const bg::QuantSettings& settings);

// H×W for a model's dynamic spatial axes, keyed by the model's absolute path; invalid when none
// was given for it.
QSize inputSize(const QString& modelPath);
void setInputSize(const QString& modelPath, QSize size);

// The folder a file dialog of `kind` ("model", "plan", "export", "calibration") last used; the
// home folder at first.
QString lastFolder(const QString& kind);
// Remembers the folder of `path` (a file, or a folder itself) for dialogs of `kind`.
void rememberFolder(const QString& kind, const QString& path);

} // namespace AppSettings
