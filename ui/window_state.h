#pragma once
// The window as the user left it: geometry, toolbar/dock state, the position of every named
// splitter inside it and the current tab, saved in QSettings on close and restored at start.
// Splitters are found by objectName, so a panel that adds one only has to name it.
class QMainWindow;

namespace WindowState {

void save(const QMainWindow& window);
// Returns false when nothing was saved yet (first run): the window keeps its default size.
bool restore(QMainWindow& window);

} // namespace WindowState
