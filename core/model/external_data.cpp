#include "model/external_data.h"

#include "io/error.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace bg {

namespace fs = std::filesystem;

namespace {

int64_t parseNonNegative(const std::string& key, const std::string& text, const std::string& subject)
{
    int64_t v = -1;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < 0)
        throw Error(ErrorCode::ExternalData, subject,
                    "external data '" + key + "' is '" + text + "', not a non-negative integer");
    return v;
}

// True when `p` is `dir` or lies below it (both already canonical).
bool isInside(const fs::path& p, const fs::path& dir)
{
    auto d = dir.begin();
    auto q = p.begin();
    for (; d != dir.end(); ++d, ++q) {
        if (d->empty() && std::next(d) == dir.end())
            break;  // trailing separator
        if (q == p.end() || *q != *d)
            return false;
    }
    return true;
}

} // namespace

std::string readExternalData(const onnx::TensorProto& proto, const std::string& baseDir, int64_t expectedBytes,
                             const std::string& subject)
{
    std::string location;
    bool haveLocation = false;
    int64_t offset = 0;
    int64_t length = -1;
    for (const auto& entry : proto.external_data()) {
        if (entry.key() == "location") {
            location = entry.value();
            haveLocation = true;
        } else if (entry.key() == "offset") {
            offset = parseNonNegative("offset", entry.value(), subject);
        } else if (entry.key() == "length") {
            length = parseNonNegative("length", entry.value(), subject);
        }
    }
    if (!haveLocation || location.empty())
        throw Error(ErrorCode::ExternalData, subject, "the tensor is stored externally but names no location");

    // The OS stops at a NUL byte, so "w.bin\0../../x" would open w.bin while every check here
    // saw another path: refused outright.
    if (location.find('\0') != std::string::npos)
        throw Error(ErrorCode::ExternalData, subject, "external data location contains a NUL byte");
    const fs::path rel(location);
    if (rel.is_absolute() || rel.has_root_name() || rel.has_root_directory())
        throw Error(ErrorCode::ExternalData, subject,
                    "external data location '" + location
                        + "' is an absolute path; it must be relative to the model's folder");
    for (const auto& part : rel)
        if (part == "..")
            throw Error(ErrorCode::ExternalData, subject,
                        "external data location '" + location + "' uses '..' to leave the model's folder");

    std::error_code ec;
    const fs::path base = fs::weakly_canonical(fs::path(baseDir.empty() ? "." : baseDir), ec);
    if (ec)
        throw Error(ErrorCode::ExternalData, subject, "cannot resolve the model's folder: " + ec.message());
    const fs::path file = base / rel;
    if (!fs::exists(file, ec))
        throw Error(ErrorCode::ExternalData, subject,
                    "external data file '" + location + "' does not exist (looked in " + base.string() + ")");
    // Symlinks are followed here, so a link pointing out of the folder is caught by the prefix test.
    const fs::path resolved = fs::canonical(file, ec);
    if (ec)
        throw Error(ErrorCode::ExternalData, subject,
                    "cannot resolve external data file '" + location + "': " + ec.message());
    if (!isInside(resolved, base))
        throw Error(ErrorCode::ExternalData, subject,
                    "external data file '" + location + "' resolves to " + resolved.string()
                        + ", outside the model's folder");
    if (!fs::is_regular_file(resolved, ec))
        throw Error(ErrorCode::ExternalData, subject, "external data '" + location + "' is not a regular file");
    const auto fileSize = static_cast<int64_t>(fs::file_size(resolved, ec));
    if (ec)
        throw Error(ErrorCode::ExternalData, subject,
                    "cannot read the size of external data file '" + location + "': " + ec.message());
    if (offset > fileSize)
        throw Error(ErrorCode::ExternalData, subject,
                    "external data offset " + std::to_string(offset) + " is beyond the end of '" + location + "' ("
                        + std::to_string(fileSize) + " bytes)");
    if (length < 0)
        length = fileSize - offset;
    if (length > fileSize - offset)
        throw Error(ErrorCode::ExternalData, subject,
                    "external data file '" + location + "' is too short: " + std::to_string(offset) + " + "
                        + std::to_string(length) + " bytes requested, the file has " + std::to_string(fileSize));
    if (length != expectedBytes)
        throw Error(ErrorCode::ExternalData, subject,
                    "external data holds " + std::to_string(length) + " bytes, the tensor's shape and type need "
                        + std::to_string(expectedBytes));

    std::ifstream in(resolved, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::ExternalData, subject,
                    "cannot open external data file '" + location + "': " + std::strerror(errno));
    in.seekg(offset);
    std::string bytes(static_cast<size_t>(length), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(length));
    if (in.gcount() != static_cast<std::streamsize>(length))
        throw Error(ErrorCode::ExternalData, subject, "reading external data file '" + location + "' failed");
    return bytes;
}

} // namespace bg
