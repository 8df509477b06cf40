#include "calibration/class_labels.h"

#include "io/error.h"
#include "io/json_reader.h"

#include <cmath>

namespace bg {

namespace {

ClassLabels fromJson(const JsonValue& root, const std::string& file)
{
    const JsonValue* list = &root;
    if (root.isObject()) {
        list = root.find("labels");
        if (!list)
            throw Error(ErrorCode::BadInput, file, "expected a JSON array of class indices or {\"labels\": [...]}");
    }
    if (!list->isArray())
        throw Error(ErrorCode::BadInput, file, "expected a JSON array of class indices or {\"labels\": [...]}");
    ClassLabels labels;
    labels.file = file;
    for (size_t i = 0; i < list->items().size(); ++i) {
        const JsonValue& v = list->items()[i];
        // 2^53: beyond it a double no longer holds every integer, and no model has that many classes.
        if (!v.isNumber() || !(v.number() >= 0) || v.number() != std::floor(v.number()) || v.number() > 9007199254740992.0)
            throw Error(ErrorCode::BadInput, file,
                        "label " + std::to_string(i) + " is not a non-negative whole number (a class index)");
        labels.classes.push_back(static_cast<int64_t>(v.number()));
    }
    if (labels.classes.empty())
        throw Error(ErrorCode::BadInput, file, "the label list is empty");
    return labels;
}

} // namespace

ClassLabels parseClassLabels(const std::string& text, const std::string& file)
{
    return fromJson(parseJson(text, file), file);
}

ClassLabels readClassLabels(const std::string& path)
{
    return fromJson(readJsonFile(path), path);
}

} // namespace bg
