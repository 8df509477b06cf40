#include "window_state.h"

#include <QMainWindow>
#include <QSettings>
#include <QSplitter>
#include <QTabWidget>

namespace WindowState {

void save(const QMainWindow& window)
{
    QSettings store;
    store.beginGroup(QStringLiteral("window"));
    store.setValue(QStringLiteral("geometry"), window.saveGeometry());
    store.setValue(QStringLiteral("state"), window.saveState());
    for (const QSplitter* splitter : window.findChildren<QSplitter*>())
        if (!splitter->objectName().isEmpty())
            store.setValue(QStringLiteral("splitters/") + splitter->objectName(), splitter->saveState());
    if (const auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("mainTabs")))
        store.setValue(QStringLiteral("tab"), tabs->currentIndex());
    store.endGroup();
}

bool restore(QMainWindow& window)
{
    QSettings store;
    store.beginGroup(QStringLiteral("window"));
    const bool saved = store.contains(QStringLiteral("geometry"));
    if (saved) {
        window.restoreGeometry(store.value(QStringLiteral("geometry")).toByteArray());
        window.restoreState(store.value(QStringLiteral("state")).toByteArray());
    }
    for (QSplitter* splitter : window.findChildren<QSplitter*>()) {
        const QString key = QStringLiteral("splitters/") + splitter->objectName();
        if (!splitter->objectName().isEmpty() && store.contains(key))
            splitter->restoreState(store.value(key).toByteArray());
    }
    if (auto* tabs = window.findChild<QTabWidget*>(QStringLiteral("mainTabs")))
        tabs->setCurrentIndex(store.value(QStringLiteral("tab"), tabs->currentIndex()).toInt());
    store.endGroup();
    return saved;
}

} // namespace WindowState
