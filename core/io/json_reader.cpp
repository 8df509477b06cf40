#include "io/json_reader.h"

#include "io/file_reader.h"
#include "io/error.h"

#include <cstdlib>
#include <locale>
#include <set>
#include <sstream>

namespace bg {

JsonValue JsonValue::makeBool(bool b)
{
    JsonValue v;
    v.type_ = Type::Bool;
    v.b_ = b;
    return v;
}

JsonValue JsonValue::makeNumber(double d)
{
    JsonValue v;
    v.type_ = Type::Number;
    v.d_ = d;
    return v;
}

JsonValue JsonValue::makeString(std::string s)
{
    JsonValue v;
    v.type_ = Type::String;
    v.s_ = std::move(s);
    return v;
}

JsonValue JsonValue::makeArray(std::vector<JsonValue> items)
{
    JsonValue v;
    v.type_ = Type::Array;
    v.items_ = std::move(items);
    return v;
}

JsonValue JsonValue::makeObject(std::vector<std::pair<std::string, JsonValue>> members)
{
    JsonValue v;
    v.type_ = Type::Object;
    v.members_ = std::move(members);
    return v;
}

const JsonValue* JsonValue::find(const std::string& key) const
{
    for (const auto& [k, v] : members_)
        if (k == key)
            return &v;
    return nullptr;
}

namespace {

// Nesting deeper than this is refused instead of overflowing the stack on a hostile file.
constexpr int kMaxDepth = 256;

class Parser {
public:
    Parser(const std::string& text, const std::string& subject) : t_(text), subject_(subject) {}

    JsonValue parseDocument()
    {
        skipSpace();
        JsonValue v = parseValue(0);
        skipSpace();
        if (pos_ != t_.size())
            fail("unexpected text after the JSON value");
        return v;
    }

private:
    [[noreturn]] void fail(const std::string& problem) const
    {
        size_t line = 1, col = 1;
        for (size_t i = 0; i < pos_ && i < t_.size(); ++i) {
            if (t_[i] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        throw Error(ErrorCode::BadInput, subject_,
                    "not valid JSON: line " + std::to_string(line) + ", column " + std::to_string(col) + ": " + problem);
    }

    void skipSpace()
    {
        while (pos_ < t_.size() && (t_[pos_] == ' ' || t_[pos_] == '\t' || t_[pos_] == '\n' || t_[pos_] == '\r'))
            ++pos_;
    }

    bool consume(const char* word)
    {
        const std::string w(word);
        if (t_.compare(pos_, w.size(), w) == 0) {
            pos_ += w.size();
            return true;
        }
        return false;
    }

    JsonValue parseValue(int depth)
    {
        if (depth > kMaxDepth)
            fail("nested too deeply");
        if (pos_ >= t_.size())
            fail("unexpected end of file");
        const char c = t_[pos_];
        if (c == '{')
            return parseObject(depth);
        if (c == '[')
            return parseArray(depth);
        if (c == '"')
            return JsonValue::makeString(parseString());
        if (consume("true"))
            return JsonValue::makeBool(true);
        if (consume("false"))
            return JsonValue::makeBool(false);
        if (consume("null"))
            return JsonValue();
        if (c == '-' || (c >= '0' && c <= '9'))
            return JsonValue::makeNumber(parseNumber());
        fail(std::string("unexpected character '") + c + "'");
    }

    JsonValue parseObject(int depth)
    {
        ++pos_;  // {
        std::vector<std::pair<std::string, JsonValue>> members;
        std::set<std::string> seen;
        skipSpace();
        if (pos_ < t_.size() && t_[pos_] == '}') {
            ++pos_;
            return JsonValue::makeObject(std::move(members));
        }
        for (;;) {
            skipSpace();
            if (pos_ >= t_.size() || t_[pos_] != '"')
                fail("expected a quoted key");
            std::string key = parseString();
            if (!seen.insert(key).second)
                fail("duplicate key \"" + key + "\"");
            skipSpace();
            if (pos_ >= t_.size() || t_[pos_] != ':')
                fail("expected ':' after key \"" + key + "\"");
            ++pos_;
            skipSpace();
            JsonValue v = parseValue(depth + 1);
            members.emplace_back(std::move(key), std::move(v));
            skipSpace();
            if (pos_ < t_.size() && t_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < t_.size() && t_[pos_] == '}') {
                ++pos_;
                return JsonValue::makeObject(std::move(members));
            }
            fail("expected ',' or '}' in an object");
        }
    }

    JsonValue parseArray(int depth)
    {
        ++pos_;  // [
        std::vector<JsonValue> items;
        skipSpace();
        if (pos_ < t_.size() && t_[pos_] == ']') {
            ++pos_;
            return JsonValue::makeArray(std::move(items));
        }
        for (;;) {
            skipSpace();
            items.push_back(parseValue(depth + 1));
            skipSpace();
            if (pos_ < t_.size() && t_[pos_] == ',') {
                ++pos_;
                continue;
            }
            if (pos_ < t_.size() && t_[pos_] == ']') {
                ++pos_;
                return JsonValue::makeArray(std::move(items));
            }
            fail("expected ',' or ']' in an array");
        }
    }

    static void appendUtf8(std::string& out, uint32_t cp)
    {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    uint32_t parseHex4()
    {
        if (pos_ + 4 > t_.size())
            fail("truncated \\u escape");
        uint32_t v = 0;
        for (int i = 0; i < 4; ++i) {
            const char h = t_[pos_++];
            v <<= 4;
            if (h >= '0' && h <= '9')
                v |= static_cast<uint32_t>(h - '0');
            else if (h >= 'a' && h <= 'f')
                v |= static_cast<uint32_t>(h - 'a' + 10);
            else if (h >= 'A' && h <= 'F')
                v |= static_cast<uint32_t>(h - 'A' + 10);
            else
                fail("bad hex digit in \\u escape");
        }
        return v;
    }

    std::string parseString()
    {
        ++pos_;  // opening quote
        std::string out;
        for (;;) {
            if (pos_ >= t_.size())
                fail("unterminated string");
            const char c = t_[pos_++];
            if (c == '"')
                return out;
            if (static_cast<unsigned char>(c) < 0x20)
                fail("control character inside a string");
            if (c != '\\') {
                out += c;
                continue;
            }
            if (pos_ >= t_.size())
                fail("unterminated escape");
            const char e = t_[pos_++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                uint32_t cp = parseHex4();
                if (cp >= 0xD800 && cp < 0xDC00 && pos_ + 1 < t_.size() && t_[pos_] == '\\' && t_[pos_ + 1] == 'u') {
                    pos_ += 2;
                    const uint32_t lo = parseHex4();
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        fail("bad surrogate pair");
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                }
                appendUtf8(out, cp);
                break;
            }
            default: fail(std::string("bad escape '\\") + e + "'");
            }
        }
    }

    double parseNumber()
    {
        const size_t start = pos_;
        if (t_[pos_] == '-')
            ++pos_;
        auto digits = [&] {
            const size_t s = pos_;
            while (pos_ < t_.size() && t_[pos_] >= '0' && t_[pos_] <= '9')
                ++pos_;
            return pos_ - s;
        };
        if (digits() == 0)
            fail("bad number");
        if (pos_ < t_.size() && t_[pos_] == '.') {
            ++pos_;
            if (digits() == 0)
                fail("bad number: no digits after '.'");
        }
        if (pos_ < t_.size() && (t_[pos_] == 'e' || t_[pos_] == 'E')) {
            ++pos_;
            if (pos_ < t_.size() && (t_[pos_] == '+' || t_[pos_] == '-'))
                ++pos_;
            if (digits() == 0)
                fail("bad number: no exponent digits");
        }
        // Locale-independent conversion (strtod would honour a ',' decimal separator).
        std::istringstream in(t_.substr(start, pos_ - start));
        in.imbue(std::locale::classic());
        double d = 0.0;
        in >> d;
        return d;
    }

    const std::string& t_;
    const std::string& subject_;
    size_t pos_ = 0;
};

} // namespace

JsonValue parseJson(const std::string& text, const std::string& subject)
{
    return Parser(text, subject).parseDocument();
}

JsonValue readJsonFile(const std::string& path)
{
    return parseJson(readWholeFile(path, int64_t{256} << 20), path);
}

} // namespace bg
