#include "calibrated_model.h"

#include "gui_libraries.h"
#include "progress_printer.h"

#include "calibration/calibrator.h"
#include "export/encodings_reader.h"

namespace bgcli {

CalibratedModel loadAndCalibrate(const CliParser& cli)
{
    // The image options first: a malformed one is a usage error before anything is loaded.
    const ImageCalibrationOptions imageOptions = cli.imageOptions();
    return calibrateModel(cli, imageOptions, bg::loadModelStructure(cli.positional().toStdString()));
}

CalibratedModel calibrateModel(const CliParser& cli, const ImageCalibrationOptions& imageOptions,
                               std::shared_ptr<const bg::ModelStructure> model)
{
    CalibratedModel m;
    m.model = std::move(model);
    m.calibration = openCalibrationFolder(cli.value("calib"), m.graph(), imageOptions);
    if (cli.isSet("encodings")) {
        // A calibration cache: the ranges an earlier run exported. The calibration set stays open:
        // compare runs on it when --inputs is not given.
        m.ranges = bg::readEncodingsRanges(cli.value("encodings").toStdString(), *m.model, cli.settings().activationBits);
        return m;
    }
    bg::CalibrationOptions options;
    options.progress = progressPrinter("calibration");
    m.ranges = bg::calibrate(m.graph(), m.model->pairs, *m.calibration, options);
    return m;
}

std::unique_ptr<bg::CalibrationSource> openComparisonInputs(const CliParser& cli, const bg::Graph& graph)
{
    if (!cli.isSet("inputs"))
        return nullptr;
    return openCalibrationFolder(cli.value("inputs"), graph, cli.imageOptions());
}

} // namespace bgcli
