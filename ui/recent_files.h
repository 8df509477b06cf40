#pragma once
// File ▸ Open Recent: the models opened last, newest first, kept in QSettings so that they survive
// a restart. A file that no longer exists stays listed (a network share may come back) but is
// shown disabled.
#include <QObject>
#include <QStringList>

class QMenu;

class RecentFiles : public QObject {
    Q_OBJECT
public:
    static constexpr int kMaxEntries = 10;

    // Fills `menu` (owned by the caller) and keeps it up to date.
    RecentFiles(QMenu* menu, QObject* parent = nullptr);

    QStringList files() const;
    // `path` opened successfully: moved (or added) to the top.
    void add(const QString& path);
    void clear();

signals:
    void openRequested(const QString& path);

private:
    void store(const QStringList& files);
    void rebuildMenu();

    QMenu* menu_;
};
