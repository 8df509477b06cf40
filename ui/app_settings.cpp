#include "app_settings.h"

#include "arithmetic/hardware_target.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QUrl>

namespace AppSettings {

bg::QuantSettings quantSettings()
{
    QSettings store;
    bg::QuantSettings s;
    store.beginGroup(QStringLiteral("settings"));
    s.weightBits = store.value(QStringLiteral("weightBits"), s.weightBits).toInt();
    s.activationBits = store.value(QStringLiteral("activationBits"), s.activationBits).toInt();
    s.biasBits = store.value(QStringLiteral("biasBits"), s.biasBits).toInt();
    const QString granularity = store.value(QStringLiteral("granularity"), QString::fromLatin1(bg::granularityName(s.granularity))).toString();
    const QString target = store.value(QStringLiteral("target")).toString();
    const QString arithmetic = store.value(QStringLiteral("arithmetic"), QString::fromLatin1(bg::arithmeticName(s.arithmetic))).toString();
    store.endGroup();
    try {
        s.granularity = bg::parseGranularity(granularity.toStdString());
        s.arithmetic = bg::parseArithmetic(arithmetic.toStdString());
        s.validate();
        // The preset chosen last, if this build still knows it (the form shows Custom when the
        // widths were edited after it); an unknown name is dropped, the widths kept.
        for (const bg::HardwareTarget& t : bg::builtinTargets())
            if (t.applies && t.name == target.toStdString())
                s.target = t.name;
    } catch (const std::exception&) {
        return bg::QuantSettings{};  // a hand-edited or older file: start from the defaults
    }
    return s;
}

void setQuantSettings(const bg::QuantSettings& s)
{
    QSettings store;
    store.beginGroup(QStringLiteral("settings"));
    store.setValue(QStringLiteral("weightBits"), s.weightBits);
    store.setValue(QStringLiteral("activationBits"), s.activationBits);
    store.setValue(QStringLiteral("biasBits"), s.biasBits);
    store.setValue(QStringLiteral("granularity"), QString::fromLatin1(bg::granularityName(s.granularity)));
    store.setValue(QStringLiteral("target"), QString::fromStdString(s.target));
    store.setValue(QStringLiteral("arithmetic"), QString::fromLatin1(bg::arithmeticName(s.arithmetic)));
    store.endGroup();
}

// A path holds the group separator "/": it goes in as one key, percent-encoded.
static QString modelKey(const QString& modelPath)
{
    return QStringLiteral("inputSize/") + QString::fromLatin1(QUrl::toPercentEncoding(QFileInfo(modelPath).absoluteFilePath()));
}

QSize inputSize(const QString& modelPath)
{
    return QSettings().value(modelKey(modelPath)).toSize();
}

void setInputSize(const QString& modelPath, QSize size)
{
    QSettings store;
    if (size.isValid() && !size.isEmpty())
        store.setValue(modelKey(modelPath), size);
    else
        store.remove(modelKey(modelPath));
}

QString lastFolder(const QString& kind)
{
    const QString dir = QSettings().value(QStringLiteral("folders/") + kind).toString();
    return !dir.isEmpty() && QFileInfo(dir).isDir() ? dir : QDir::homePath();
}

void rememberFolder(const QString& kind, const QString& path)
{
    if (path.isEmpty())
        return;
    const QFileInfo info(path);
    QSettings().setValue(QStringLiteral("folders/") + kind, info.isDir() ? info.absoluteFilePath() : info.absolutePath());
}

} // namespace AppSettings
