#include "calibration/calibration_npy_source.h"

#include "io/error.h"
#include "model/tensor_file.h"
#include "calibration/calibration_files.h"
#include "runtime/float_runtime.h"

#include <algorithm>
#include <filesystem>

namespace bg {

namespace {

// The model's batch axis accepts batch-1 samples split from a file.
bool batchAxisIsFlexible(const ValueInfo& input)
{
    return input.hasShape && !input.dims.empty() && (!input.dims[0].known() || input.dims[0].value == 1);
}

// Slice `b` of the leading axis, as a tensor of shape `one` (the caller checked the bounds).
Tensor batchSlice(const Tensor& t, int64_t b, const Shape& one)
{
    const int64_t per = shapeNumel(one);
    const size_t begin = static_cast<size_t>(b * per);
    if (t.isFloat()) {
        auto src = t.floats().subspan(begin, static_cast<size_t>(per));
        return Tensor(one, std::vector<float>(src.begin(), src.end()));
    }
    auto src = t.ints().subspan(begin, static_cast<size_t>(per));
    return Tensor(one, std::vector<int64_t>(src.begin(), src.end()));
}

} // namespace

NpyCalibrationSource::NpyCalibrationSource(const std::string& dir, const Graph& graph) : dir_(dir), graph_(graph)
{
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec))
        throw Error(ErrorCode::FileNotFound, dir, "calibration folder does not exist");
    files_ = listNaturally(dir, "", ".npy", false);
    if (files_.empty())
        throw Error(ErrorCode::BadInput, dir, "holds no .npy files");
    if (graph_.inputs.size() != 1)
        throw Error(ErrorCode::BadInput, dir,
                    "a folder of .npy files calibrates single-input models; the model has "
                        + std::to_string(graph_.inputs.size())
                        + " inputs (use test_data_set_*/input_K.pb folders instead)");
    const ValueInfo& input = graph_.inputs.front();
    const bool flexible = batchAxisIsFlexible(input);
    const size_t rank = input.dims.size();

    for (size_t f = 0; f < files_.size(); ++f) {
        const Tensor t = readNpyFile(files_[f]);
        Shape shape = t.shape();
        try {
            if (flexible && shape.size() + 1 == rank) {
                shape.insert(shape.begin(), 1);
                FloatRuntime::checkInput(graph_, input, t.reshaped(shape));
                entries_.push_back({f, -1, shape});
            } else if (flexible && shape.size() == rank && shape[0] > 1) {
                Shape one = shape;
                one[0] = 1;
                FloatRuntime::checkInput(graph_, input, batchSlice(t, 0, one));
                for (int64_t b = 0; b < shape[0]; ++b)
                    entries_.push_back({f, b, one});
            } else {
                FloatRuntime::checkInput(graph_, input, t);
                entries_.push_back({f, -1, shape});
            }
        } catch (const Error& e) {
            throw Error(ErrorCode::BadInput, files_[f], e.what());
        }
    }
}

std::map<std::string, Tensor> NpyCalibrationSource::sample(size_t i)
{
    if (i >= entries_.size())
        throw Error(ErrorCode::BadSetting, dir_,
                    "sample " + std::to_string(i) + " requested, there are " + std::to_string(entries_.size()));
    const Entry& e = entries_[i];
    if (cachedFile_ != e.file) {
        cached_ = Tensor();
        cachedFile_ = static_cast<size_t>(-1);
        cached_ = readNpyFile(files_[e.file]);
        cachedFile_ = e.file;
    }
    std::map<std::string, Tensor> out;
    const std::string& name = graph_.inputs.front().name;
    if (e.slice < 0) {
        if (shapeNumel(e.sampleShape) != cached_.numel())
            throw Error(ErrorCode::BadInput, files_[e.file], "changed since the calibration folder was opened");
        out.emplace(name, cached_.reshaped(e.sampleShape));
        return out;
    }
    const int64_t per = shapeNumel(e.sampleShape);
    if ((e.slice + 1) * per > cached_.numel())
        throw Error(ErrorCode::BadInput, files_[e.file], "changed since the calibration folder was opened");
    out.emplace(name, batchSlice(cached_, e.slice, e.sampleShape));
    return out;
}

std::string NpyCalibrationSource::description() const
{
    const size_t n = entries_.size();
    return std::to_string(n) + (n == 1 ? " sample" : " samples") + " from " + std::to_string(files_.size())
        + " .npy file(s) in " + dir_;
}

} // namespace bg
