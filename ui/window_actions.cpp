#include "window_actions.h"

#include <QAction>
#include <QApplication>
#include <QKeySequence>
#include <QMainWindow>
#include <QMenu>
#include <QMenuBar>
#include <QUndoStack>

WindowActions::WindowActions(QMainWindow* window, QUndoStack* undoStack, bool withDemo) : QObject(window)
{
    QMenuBar* bar = window->menuBar();
    fileMenu = bar->addMenu(tr("&File"));
    open = fileMenu->addAction(tr("&Open Model…"));
    open->setShortcut(QKeySequence::Open);
    recentMenu = fileMenu->addMenu(tr("Open &Recent"));
    if (withDemo)
        openDemo = fileMenu->addAction(tr("Open &Demo Model"));
    fileMenu->addSeparator();
    savePlan = fileMenu->addAction(tr("&Save Fix Plan…"));
    savePlan->setShortcut(QKeySequence::Save);
    loadPlan = fileMenu->addAction(tr("&Load Fix Plan…"));
    loadPlan->setShortcut(QKeySequence(tr("Ctrl+L")));
    fileMenu->addSeparator();
    exportReport = fileMenu->addAction(tr("Export &Report (PDF)…"));
    exportReport->setShortcut(QKeySequence(tr("Ctrl+E")));
    exportFixedModel = fileMenu->addAction(tr("Export &Fixed Model…"));
    exportFixedModel->setShortcut(QKeySequence(tr("Ctrl+Shift+E")));
    fileMenu->addSeparator();
    quit = fileMenu->addAction(tr("&Quit"));
    quit->setShortcut(QKeySequence::Quit);

    editMenu = bar->addMenu(tr("&Edit"));
    undo = undoStack->createUndoAction(this, tr("&Undo"));
    undo->setShortcut(QKeySequence::Undo);
    redo = undoStack->createRedoAction(this, tr("&Redo"));
    redo->setShortcuts(QKeySequence::Redo);
    editMenu->addAction(undo);
    editMenu->addAction(redo);
    editMenu->addSeparator();
    findLayer = editMenu->addAction(tr("&Find Layer…"));
    findLayer->setShortcut(QKeySequence::Find);

    analysisMenu = bar->addMenu(tr("&Analysis"));
    analyze = analysisMenu->addAction(tr("&Analyze"));
    analyze->setShortcut(QKeySequence(Qt::Key_F5));
    compare = analysisMenu->addAction(tr("Run &Comparison"));
    compare->setShortcut(QKeySequence(tr("Ctrl+R")));

    helpMenu = bar->addMenu(tr("&Help"));
    about = helpMenu->addAction(tr("&About BiasGuard"));
    about->setMenuRole(QAction::AboutRole);
    helpMenu->addAction(tr("About &Qt"), qApp, &QApplication::aboutQt)->setMenuRole(QAction::AboutQtRole);
}
