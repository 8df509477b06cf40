#pragma once
// The labels of a labelled input set (`--labels labels.json`): one class index per sample, in the
// order the input source yields its samples (the sample folders in name order). The file is a JSON
// array of non-negative integers, `[3, 0, 7]`, or an object `{"labels": [3, 0, 7]}`.
#include <cstdint>
#include <string>
#include <vector>

namespace bg {

struct ClassLabels {
    std::string file;              // named by every error about the labels
    std::vector<int64_t> classes;  // per sample
};

// Throws bg::Error naming `path`: FileNotFound/FileUnreadable, BadInput for malformed JSON, a label
// that is not a non-negative whole number (with its position), or an empty list.
ClassLabels readClassLabels(const std::string& path);
// The same from text already read (`file` names it in errors).
ClassLabels parseClassLabels(const std::string& text, const std::string& file);

} // namespace bg
