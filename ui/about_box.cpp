#include "about_box.h"

#include "integer/int_kernel_info.h"

#include <onnx/common/version.h>

#include <QMessageBox>
#include <QtGlobal>

QString aboutText()
{
    QString kernels;
    for (const std::string& line : bg::describeIntKernelInfo(bg::intKernelInfo()))
        kernels += QString::fromStdString(line).toHtmlEscaped() + QStringLiteral("<br>");
    return QObject::tr("<h3>BiasGuard %1</h3>"
                       "<p>Finds Conv/Gemm channels whose BatchNorm-folded bias overflows a low-bit bias register, "
                       "fixes them and proves the fix with an exact integer pipeline.</p>"
                       "<p>Qt %2 (built with %3) · ONNX %4</p><p>%5</p>")
        .arg(QStringLiteral(BIASGUARD_VERSION), QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
             QString::fromLatin1(ONNX_NAMESPACE::LAST_RELEASE_VERSION), kernels);
}

void showAboutBox(QWidget* parent)
{
    QMessageBox::about(parent, QObject::tr("About BiasGuard"), aboutText());
}
