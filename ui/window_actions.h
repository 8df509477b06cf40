#pragma once
// The main window's menus and their actions with the usual shortcuts, built in one place so that
// the window's code is about what the actions do, not where they sit. MainWindow connects them.
//   File:     Open (Ctrl+O), Open Recent ▸, Open Demo, Save Fix Plan (Ctrl+S), Load Fix Plan,
//             Export Report (Ctrl+E), Export Fixed Model (Ctrl+Shift+E), Quit (Ctrl+Q)
//   Edit:     Undo (Ctrl+Z), Redo (Ctrl+Shift+Z / Ctrl+Y), Find Layer (Ctrl+F)
//   Analysis: Analyze (F5), Run Comparison (Ctrl+R)
//   Help:     About
#include <QObject>

class QAction;
class QMainWindow;
class QMenu;
class QUndoStack;

class WindowActions : public QObject {
    Q_OBJECT
public:
    // Adds the menus to `window`'s menu bar; undo/redo act on `undoStack`.
    WindowActions(QMainWindow* window, QUndoStack* undoStack, bool withDemo);

    QMenu* fileMenu = nullptr;
    QMenu* recentMenu = nullptr;  // filled by RecentFiles
    QMenu* editMenu = nullptr;
    QMenu* analysisMenu = nullptr;
    QMenu* helpMenu = nullptr;

    QAction* open = nullptr;
    QAction* openDemo = nullptr;  // null when the demo model is not installed
    QAction* savePlan = nullptr;
    QAction* loadPlan = nullptr;
    QAction* exportReport = nullptr;
    QAction* exportFixedModel = nullptr;
    QAction* quit = nullptr;
    QAction* undo = nullptr;
    QAction* redo = nullptr;
    QAction* findLayer = nullptr;
    QAction* analyze = nullptr;
    QAction* compare = nullptr;
    QAction* about = nullptr;
};
