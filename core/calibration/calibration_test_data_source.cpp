#include "calibration/calibration_test_data_source.h"

#include "io/error.h"
#include "runtime/input_folder.h"
#include "calibration/calibration_files.h"

#include <filesystem>

namespace bg {

TestDataCalibrationSource::TestDataCalibrationSource(const std::string& dir, const Graph& graph)
    : dir_(dir), graph_(graph)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw Error(ErrorCode::FileNotFound, dir, "calibration folder does not exist");
    sampleDirs_ = listNaturally(dir, "test_data_set_", "", true);
    if (sampleDirs_.empty() && !numberedTensorFiles(dir, "input_").empty())
        sampleDirs_.push_back(dir);
    if (sampleDirs_.empty())
        throw Error(ErrorCode::BadInput, dir,
                    "holds neither test_data_set_* folders nor input_K.pb files; expected the ONNX test-data layout");
    for (const std::string& sampleDir : sampleDirs_) {
        const size_t files = numberedTensorFiles(sampleDir, "input_").size();
        if (files == 0)
            throw Error(ErrorCode::BadInput, sampleDir, "holds no input_K.pb files");
        if (files != graph_.inputs.size())
            throw Error(ErrorCode::BadInput, sampleDir,
                        "holds " + std::to_string(files) + " input_K.pb files, the model has "
                            + std::to_string(graph_.inputs.size()) + " input(s)");
    }
}

std::map<std::string, Tensor> TestDataCalibrationSource::sample(size_t i)
{
    if (i >= sampleDirs_.size())
        throw Error(ErrorCode::BadSetting, dir_,
                    "sample " + std::to_string(i) + " requested, there are " + std::to_string(sampleDirs_.size()));
    return readInputFolder(sampleDirs_[i], graph_);
}

std::string TestDataCalibrationSource::description() const
{
    const size_t n = sampleDirs_.size();
    return std::to_string(n) + (n == 1 ? " sample" : " samples") + " from ONNX test data in " + dir_;
}

} // namespace bg
