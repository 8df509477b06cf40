#pragma once
// Help ▸ About: BiasGuard's version and the versions of what it runs on — Qt (built with and
// running), ONNX, oneDNN and the CPU ISA oneDNN uses, with the integer kernel path per setting:
// the lines `biasguard-cli --version` prints (integer/int_kernel_info), so the two always agree.
#include <QString>

class QWidget;

// The About text as HTML.
QString aboutText();
void showAboutBox(QWidget* parent);
