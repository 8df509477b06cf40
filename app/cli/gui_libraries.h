#pragma once
// The two things the CLI needs Qt's GUI libraries for: the PDF report (it draws the GUI's chart
// widgets, so it needs a QApplication) and calibration folders of images (QImage decodes them).
// Everything else is Qt Core and the core library.
//
// So the same sources make two executables. biasguard-cli links Qt Core alone
// (gui_libraries_absent.cpp) and hands a command line that needs the GUI libraries over to
// biasguard-cli-full beside it (gui_libraries_present.cpp), which links them. A run of the detector
// then does not map Qt Gui, Widgets, X11, GL and font libraries it never calls (its peak RSS 5 MB lower).
#include "image_calibration_options.h"

#include "calibration/calibration_source.h"
#include "model/graph.h"

#include <QCoreApplication>
#include <QString>

#include <memory>

namespace bgcli {

// The application object for this command line (a QApplication for `report`). In biasguard-cli a
// command line that needs the GUI libraries (needsGuiLibraries) is instead handed over with exec:
// the same arguments, environment and process. When that fails, the reason is printed and the
// process exits with bgcli::Failure.
std::unique_ptr<QCoreApplication> makeApplication(int& argc, char** argv);

// --calib or --inputs opened: nothing → the synthetic set (sized by the image options' H×W); a
// folder of images → ImageCalibrationSource; ONNX test data or .npy → the core's sources.
std::unique_ptr<bg::CalibrationSource> openCalibrationFolder(const QString& path, const bg::Graph& graph,
                                                             const ImageCalibrationOptions& imageOptions);

} // namespace bgcli
