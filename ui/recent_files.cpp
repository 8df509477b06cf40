#include "recent_files.h"

#include <QAction>
#include <QFileInfo>
#include <QMenu>
#include <QSettings>

static const char* const kKey = "recentFiles";

RecentFiles::RecentFiles(QMenu* menu, QObject* parent) : QObject(parent), menu_(menu)
{
    rebuildMenu();
}

QStringList RecentFiles::files() const
{
    return QSettings().value(kKey).toStringList();
}

void RecentFiles::add(const QString& path)
{
    const QString absolute = QFileInfo(path).absoluteFilePath();
    QStringList list = files();
    list.removeAll(absolute);
    list.prepend(absolute);
    store(list.mid(0, kMaxEntries));
}

void RecentFiles::clear()
{
    store({});
}

void RecentFiles::store(const QStringList& files)
{
    QSettings().setValue(kKey, files);
    rebuildMenu();
}

void RecentFiles::rebuildMenu()
{
    menu_->clear();
    const QStringList list = files();
    for (int i = 0; i < list.size(); ++i) {
        const QString& path = list[i];
        // &1 … &9, then 1&0: the usual keyboard access of a recent-files menu.
        const QString label = QStringLiteral("%1 %2").arg(i < 9 ? QStringLiteral("&%1").arg(i + 1) : QStringLiteral("1&0"),
                                                         QFileInfo(path).fileName().replace(QLatin1Char('&'), QStringLiteral("&&")));
        QAction* action = menu_->addAction(label, this, [this, path] { emit openRequested(path); });
        action->setData(path);
        action->setToolTip(path);
        action->setStatusTip(path);
        action->setEnabled(QFileInfo::exists(path));
    }
    if (list.isEmpty())
        menu_->addAction(tr("No recent models"))->setEnabled(false);
    menu_->addSeparator();
    menu_->addAction(tr("&Clear List"), this, &RecentFiles::clear)->setEnabled(!list.isEmpty());
}
