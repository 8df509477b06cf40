#include "runtime/input_folder.h"

#include "io/error.h"
#include "model/tensor_file.h"
#include "runtime/float_runtime.h"

#include <algorithm>
#include <filesystem>
#include <regex>

namespace bg {

std::vector<std::string> numberedTensorFiles(const std::string& dir, const std::string& prefix)
{
    namespace fs = std::filesystem;
    std::vector<std::pair<long long, std::string>> found;
    const std::regex pattern(prefix + "([0-9]+)\\.pb");
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
        std::smatch m;
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && std::regex_match(name, m, pattern))
            found.emplace_back(std::stoll(m[1].str()), entry.path().string());
    }
    std::sort(found.begin(), found.end());
    std::vector<std::string> files;
    for (auto& f : found)
        files.push_back(std::move(f.second));
    return files;
}

std::map<std::string, Tensor> readInputFolder(const std::string& dir, const Graph& graph)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(ErrorCode::FileNotFound, dir, "input folder does not exist");
    const std::vector<std::string> files = numberedTensorFiles(dir, "input_");
    if (files.empty())
        throw Error(ErrorCode::BadInput, dir, "no input_K.pb files in the folder");
    if (files.size() != graph.inputs.size())
        throw Error(ErrorCode::BadInput, dir,
                    "holds " + std::to_string(files.size()) + " input files, the model has "
                        + std::to_string(graph.inputs.size()) + " inputs");
    std::map<std::string, Tensor> inputs;
    for (size_t k = 0; k < files.size(); ++k) {
        NamedTensor nt = readTensorProtoFile(files[k]);
        const bool named = std::any_of(graph.inputs.begin(), graph.inputs.end(),
                                       [&](const ValueInfo& v) { return v.name == nt.name; });
        const ValueInfo& info = named ? *std::find_if(graph.inputs.begin(), graph.inputs.end(),
                                                      [&](const ValueInfo& v) { return v.name == nt.name; })
                                      : graph.inputs[k];
        if (inputs.count(info.name))
            throw Error(ErrorCode::BadInput, files[k], "gives input '" + info.name + "' a second time");
        try {
            FloatRuntime::checkInput(graph, info, nt.tensor);
        } catch (const Error& e) {
            throw Error(ErrorCode::BadInput, files[k], e.what());
        }
        inputs.emplace(info.name, std::move(nt.tensor));
    }
    return inputs;
}

} // namespace bg
