#pragma once
// A small streaming JSON writer (no third-party JSON library is available): correct string
// escaping, doubles at full precision ("%.17g"), and ±inf/NaN written as the strings "inf", "-inf",
// "nan" (QUANT_SPEC §9) because JSON has no such numbers. Output is indented two spaces per level.
#include <cstdint>
#include <string>
#include <vector>

namespace bg {

class JsonWriter {
public:
    JsonWriter& beginObject();
    JsonWriter& endObject();
    JsonWriter& beginArray();
    JsonWriter& endArray();
    JsonWriter& key(const std::string& name);  // inside an object, before each value
    JsonWriter& value(const std::string& s);
    JsonWriter& value(const char* s);
    JsonWriter& value(double v);
    JsonWriter& value(int64_t v);
    JsonWriter& value(int v) { return value(static_cast<int64_t>(v)); }
    JsonWriter& value(bool b);
    JsonWriter& null();

    const std::string& str() const { return out_; }

    static std::string escape(const std::string& s);       // with the quotes
    // "%.17g" (locale-independent), or the strings "inf", "-inf", "nan" (with quotes).
    static std::string formatDouble(double v);

private:
    void beforeValue();
    void newline();
    struct Level {
        bool array = false;
        bool empty = true;
    };
    std::vector<Level> stack_;
    bool afterKey_ = false;
    std::string out_;
};

} // namespace bg
