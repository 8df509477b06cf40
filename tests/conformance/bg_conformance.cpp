// Runs ONNX backend test directories (Debian's libonnx-testdata) against bg::FloatRuntime.
//
//   bg_conformance TESTDIR              one test; exit 0 pass, 1 fail, 77 skip (unsupported op/type)
//   bg_conformance --summary DIR...     every test folder below each DIR (or DIR itself when it is a
//                                       test), one summary; exit 1 when a supported test fails
#include "conformance_case.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr int kExitSkip = 77;

int usage()
{
    std::cerr << "usage: bg_conformance TESTDIR\n"
                 "       bg_conformance --summary DIR...\n";
    return 2;
}

const char* statusName(bgconf::CaseResult::Status s)
{
    switch (s) {
    case bgconf::CaseResult::Status::Pass: return "PASS";
    case bgconf::CaseResult::Status::Fail: return "FAIL";
    case bgconf::CaseResult::Status::Skip: return "SKIP";
    }
    return "?";
}

int runOne(const std::string& dir)
{
    const bgconf::CaseResult r = bgconf::runConformanceCase(dir);
    std::cout << statusName(r.status) << ' ' << bgconf::caseName(dir);
    if (!r.reason.empty())
        std::cout << ": " << r.reason;
    std::cout << '\n';
    switch (r.status) {
    case bgconf::CaseResult::Status::Pass: return 0;
    case bgconf::CaseResult::Status::Fail: return 1;
    case bgconf::CaseResult::Status::Skip: return kExitSkip;
    }
    return 1;
}

std::vector<std::string> collectTests(const std::vector<std::string>& roots)
{
    std::vector<std::string> tests;
    for (const std::string& root : roots) {
        std::error_code ec;
        if (fs::exists(fs::path(root) / "model.onnx", ec)) {
            tests.push_back(root);
            continue;
        }
        std::vector<std::string> found;
        for (const auto& e : fs::directory_iterator(root, ec))
            if (e.is_directory() && fs::exists(e.path() / "model.onnx"))
                found.push_back(e.path().string());
        if (ec)
            std::cerr << "warning: cannot list " << root << ": " << ec.message() << '\n';
        std::sort(found.begin(), found.end());
        tests.insert(tests.end(), found.begin(), found.end());
    }
    return tests;
}

int runSummary(const std::vector<std::string>& roots)
{
    const std::vector<std::string> tests = collectTests(roots);
    int passed = 0, failed = 0, skipped = 0;
    std::map<std::string, int> missingOps;  // op type -> tests needing it
    std::vector<std::string> otherSkips;    // skipped for a reason other than a missing op
    std::vector<std::pair<std::string, std::string>> failures;
    std::vector<std::pair<double, std::string>> timings;
    for (const std::string& dir : tests) {
        const bgconf::CaseResult r = bgconf::runConformanceCase(dir);
        const std::string name = bgconf::caseName(dir);
        timings.emplace_back(r.seconds, name);
        switch (r.status) {
        case bgconf::CaseResult::Status::Pass: ++passed; break;
        case bgconf::CaseResult::Status::Fail:
            ++failed;
            failures.emplace_back(name, r.reason);
            break;
        case bgconf::CaseResult::Status::Skip:
            ++skipped;
            for (const std::string& op : r.missingOps)
                ++missingOps[op];
            if (r.missingOps.empty())
                otherSkips.push_back(name + ": " + r.reason);
            break;
        }
    }

    std::cout << "conformance: ran " << tests.size() << ", passed " << passed << ", failed " << failed
              << ", skipped " << skipped << " (unsupported)\n";
    std::vector<std::pair<int, std::string>> ops;
    for (const auto& [op, count] : missingOps)
        ops.emplace_back(count, op);
    std::sort(ops.begin(), ops.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    std::cout << "unsupported operators (" << ops.size() << ", with the number of tests needing each):\n";
    for (const auto& [count, op] : ops)
        std::cout << "  " << op << ' ' << count << '\n';
    std::cout << "skipped for another reason (" << otherSkips.size() << "):\n";
    for (const std::string& s : otherSkips)
        std::cout << "  " << s << '\n';
    std::cout << "failed (" << failures.size() << "):\n";
    for (const auto& [name, reason] : failures)
        std::cout << "  " << name << ": " << reason << '\n';
    std::sort(timings.rbegin(), timings.rend());
    std::cout << "slowest:\n";
    for (size_t k = 0; k < std::min<size_t>(5, timings.size()); ++k) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%.2f s", timings[k].first);
        std::cout << "  " << timings[k].second << ' ' << buf << '\n';
    }
    return failed > 0 ? 1 : 0;
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty())
        return usage();
    if (args[0] == "--summary") {
        if (args.size() < 2)
            return usage();
        return runSummary({args.begin() + 1, args.end()});
    }
    if (args.size() != 1)
        return usage();
    return runOne(args[0]);
}
