#include "integer/int_kernel_info.h"

#include "integer/int_dnnl_support.h"

#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>

namespace bg {

namespace {

std::string isaName(dnnl::cpu_isa isa)
{
    using i = dnnl::cpu_isa;
    switch (isa) {
    case i::sse41: return "sse41";
    case i::avx: return "avx";
    case i::avx2: return "avx2";
    case i::avx2_vnni: return "avx2_vnni";
    case i::avx512_mic: return "avx512_mic";
    case i::avx512_mic_4ops: return "avx512_mic_4ops";
    case i::avx512_core: return "avx512_core";
    case i::avx512_core_vnni: return "avx512_core_vnni";
    case i::avx512_core_bf16: return "avx512_core_bf16";
    case i::avx512_core_amx: return "avx512_core_amx";
    default: return "other (" + std::to_string(static_cast<int>(isa)) + ")";
    }
}

std::string settingLabel(const std::pair<int, int>& s)
{
    return "W" + std::to_string(s.first) + "/A" + std::to_string(s.second);
}

// "every setting", "every setting but W8/A8", or the list, whichever is shortest to read.
std::string settingsText(const std::vector<std::pair<int, int>>& settings)
{
    constexpr size_t kAll = 7 * 7;  // W2..W8 × A2..A8
    std::string text;
    if (settings.size() * 2 > kAll) {
        for (int w = 2; w <= 8; ++w)
            for (int a = 2; a <= 8; ++a)
                if (std::find(settings.begin(), settings.end(), std::pair{w, a}) == settings.end())
                    text += (text.empty() ? "" : ", ") + settingLabel({w, a});
        return text.empty() ? "every setting (W2..W8, A2..A8)" : "every setting but " + text;
    }
    for (const auto& s : settings)
        text += (text.empty() ? "" : ", ") + settingLabel(s);
    return text;
}

} // namespace

IntKernelInfo intKernelInfo()
{
    IntKernelInfo info;
    const dnnl_version_t* v = dnnl_version();
    info.onednnVersion = std::to_string(v->major) + "." + std::to_string(v->minor) + "." + std::to_string(v->patch);
    info.isa = isaName(dnnl::get_effective_cpu_isa());
    info.vnni = intDnnlHasVnni();
    for (int w = 2; w <= 8; ++w)
        for (int a = 2; a <= 8; ++a) {
            const int64_t maxX = (int64_t{1} << a) - 1;
            const int64_t maxAbsW = (int64_t{1} << (w - 1)) - 1;
            // No channel sums: the int32 guard depends on the model, the int16 one on the setting.
            info.settingsByPath[intDnnlPath({}, maxX, maxAbsW)].emplace_back(w, a);
        }
    return info;
}

std::vector<std::string> describeIntKernelInfo(const IntKernelInfo& info)
{
    std::vector<std::string> lines;
    lines.push_back("oneDNN " + info.onednnVersion + ", CPU ISA in use: " + info.isa +
                    (info.vnni ? " (VNNI)" : " (no VNNI)"));
    lines.push_back("integer kernels (Conv, ConvTranspose, Gemm, MatMul), exact on every path:");
    for (const auto& [path, settings] : info.settingsByPath) {
        const char* how = path == IntKernelPath::OneDnn
            ? "one oneDNN u8×s8 primitive on the codes"
            : "oneDNN on the codes split as 128·hi + lo, twice the work (pre-VNNI pairs of products "
              "saturate int16)";
        lines.push_back(std::string("  ") + intKernelPathName(path) + ": " + how + ": " + settingsText(settings));
    }
    lines.push_back("  reference: plain loops, only where a channel's Σ|q_w|·max q_x would leave int32, or pass 2^24 in a oneDNN implementation that stores its sums through float32");
    return lines;
}

} // namespace bg
