#include "calibration/calibration_source_factory.h"

#include "io/error.h"
#include "runtime/input_folder.h"
#include "calibration/calibration_files.h"
#include "calibration/calibration_npy_source.h"
#include "calibration/calibration_synthetic_source.h"
#include "calibration/calibration_test_data_source.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <vector>

namespace bg {

namespace {

std::string lower(std::string s)
{
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

bool isImageName(const std::string& fileName)
{
    const std::string ext = lower(std::filesystem::path(fileName).extension().string());
    return ext == ".png" || ext == ".jpg" || ext == ".jpeg" || ext == ".bmp";
}

} // namespace

CalibrationFolderKind detectCalibrationFolder(const std::string& dir)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(dir, ec))
        throw Error(ErrorCode::FileNotFound, dir, "calibration folder does not exist");
    if (!fs::is_directory(dir, ec))
        throw Error(ErrorCode::FileNotFound, dir, "is a file; the calibration set must be a folder");

    const bool testData = !listNaturally(dir, "test_data_set_", "", true).empty()
        || !numberedTensorFiles(dir, "input_").empty();
    const bool npy = !listNaturally(dir, "", ".npy", false).empty();
    bool images = false;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        std::error_code typeEc;
        if (it->is_regular_file(typeEc) && isImageName(it->path().filename().string())) {
            images = true;
            break;
        }
    }
    std::vector<std::string> kinds;
    if (testData)
        kinds.push_back("ONNX test data (input_K.pb)");
    if (npy)
        kinds.push_back(".npy files");
    if (images)
        kinds.push_back("images");
    if (kinds.empty())
        throw Error(ErrorCode::BadInput, dir,
                    "holds no calibration data; expected test_data_set_*/input_K.pb folders, input_K.pb files, "
                    ".npy files or images");
    if (kinds.size() > 1) {
        std::string list;
        for (size_t k = 0; k < kinds.size(); ++k)
            list += (k == 0 ? "" : k + 1 == kinds.size() ? " and " : ", ") + kinds[k];
        throw Error(ErrorCode::BadInput, dir, "mixes " + list + "; keep one kind of calibration data per folder");
    }
    return testData ? CalibrationFolderKind::TestData : npy ? CalibrationFolderKind::Npy : CalibrationFolderKind::Images;
}

std::unique_ptr<CalibrationSource> openSyntheticCalibration(const Graph& graph, int64_t height, int64_t width)
{
    // The same H×W choice as for images: the spatial axes of 4-D inputs take it.
    SyntheticShapeOptions shapes;
    if (height > 0 && width > 0)
        for (const ValueInfo& in : graph.inputs)
            if (in.hasShape && in.dims.size() == 4) {
                shapes.dimSizes[in.name + ":2"] = height;
                shapes.dimSizes[in.name + ":3"] = width;
            }
    return std::make_unique<SyntheticCalibrationSource>(graph, shapes);
}

std::unique_ptr<CalibrationSource> openCalibrationSource(const std::string& dir, const Graph& graph)
{
    switch (detectCalibrationFolder(dir)) {
    case CalibrationFolderKind::TestData:
        return std::make_unique<TestDataCalibrationSource>(dir, graph);
    case CalibrationFolderKind::Npy:
        return std::make_unique<NpyCalibrationSource>(dir, graph);
    case CalibrationFolderKind::Images:
        break;
    }
    throw Error(ErrorCode::BadInput, dir,
                "holds images; image calibration needs resize and normalisation settings and is opened by the "
                "application, not by this function");
}

} // namespace bg
