#include "io/json_writer.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace bg {

std::string JsonWriter::escape(const std::string& s)
{
    std::string out = "\"";
    for (unsigned char ch : s) {
        switch (ch) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            if (ch < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", ch);
                out += buf;
            } else {
                out += static_cast<char>(ch);  // UTF-8 passes through unchanged
            }
        }
    }
    out += '"';
    return out;
}

std::string JsonWriter::formatDouble(double v)
{
    if (std::isnan(v))
        return "\"nan\"";
    if (std::isinf(v))
        return v > 0 ? "\"inf\"" : "\"-inf\"";
    // std::to_chars is the "%.17g" of the spec without the C locale's decimal comma (Qt's
    // QCoreApplication calls setlocale(LC_ALL, "") on Unix, which would make snprintf write "0,5").
    char buf[40];
    const auto res = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::general, 17);
    return std::string(buf, res.ptr);
}

void JsonWriter::newline()
{
    out_ += '\n';
    out_.append(2 * stack_.size(), ' ');
}

void JsonWriter::beforeValue()
{
    if (afterKey_) {
        afterKey_ = false;
        return;
    }
    if (!stack_.empty()) {
        if (!stack_.back().empty)
            out_ += ',';
        stack_.back().empty = false;
        newline();
    }
}

JsonWriter& JsonWriter::beginObject()
{
    beforeValue();
    out_ += '{';
    stack_.push_back(Level{false, true});
    return *this;
}

JsonWriter& JsonWriter::endObject()
{
    const bool wasEmpty = stack_.back().empty;
    stack_.pop_back();
    if (!wasEmpty)
        newline();
    out_ += '}';
    return *this;
}

JsonWriter& JsonWriter::beginArray()
{
    beforeValue();
    out_ += '[';
    stack_.push_back(Level{true, true});
    return *this;
}

JsonWriter& JsonWriter::endArray()
{
    const bool wasEmpty = stack_.back().empty;
    stack_.pop_back();
    if (!wasEmpty)
        newline();
    out_ += ']';
    return *this;
}

JsonWriter& JsonWriter::key(const std::string& name)
{
    if (!stack_.back().empty)
        out_ += ',';
    stack_.back().empty = false;
    newline();
    out_ += escape(name);
    out_ += ": ";
    afterKey_ = true;
    return *this;
}

JsonWriter& JsonWriter::value(const std::string& s)
{
    beforeValue();
    out_ += escape(s);
    return *this;
}

JsonWriter& JsonWriter::value(const char* s)
{
    return value(std::string(s));
}

JsonWriter& JsonWriter::value(double v)
{
    beforeValue();
    out_ += formatDouble(v);
    return *this;
}

JsonWriter& JsonWriter::value(int64_t v)
{
    beforeValue();
    out_ += std::to_string(v);
    return *this;
}

JsonWriter& JsonWriter::value(bool b)
{
    beforeValue();
    out_ += b ? "true" : "false";
    return *this;
}

JsonWriter& JsonWriter::null()
{
    beforeValue();
    out_ += "null";
    return *this;
}

} // namespace bg
