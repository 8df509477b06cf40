#pragma once
// GUI tests must neither read the user's QSettings (remembered settings would change what they
// see) nor write them: this points QSettings at a temporary folder for the test process.
#include <QString>

namespace bgtest {

// Call once, in initTestCase, before any window exists. Returns the folder.
QString useTemporarySettings();

} // namespace bgtest
