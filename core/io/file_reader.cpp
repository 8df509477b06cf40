#include "io/file_reader.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace bg {

namespace {

namespace fs = std::filesystem;

// The size of a readable regular file, after the checks that give the clearest message.
uintmax_t checkedFileSize(const std::string& path, const FileReadOptions& options)
{
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    if (ec || !fs::exists(st))
        throw Error(ErrorCode::FileNotFound, path, "no such file");
    if (fs::is_directory(st))
        throw Error(ErrorCode::FileUnreadable, path, "is a folder, not " + options.kind);
    const uintmax_t size = fs::file_size(path, ec);
    if (ec)
        throw Error(ErrorCode::FileUnreadable, path, "cannot read the file size: " + ec.message());
    if (options.maxBytes >= 0 && size > static_cast<uintmax_t>(options.maxBytes))
        throw Error(options.overLimitCode, path,
                    !options.overLimitReason.empty()
                        ? options.overLimitReason
                        : "file is " + std::to_string(size) + " bytes, over the limit of "
                              + std::to_string(options.maxBytes));
    return size;
}

} // namespace

std::string readWholeFile(const std::string& path, const FileReadOptions& options)
{
    const uintmax_t size = checkedFileSize(path, options);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::FileUnreadable, path, std::string("cannot open the file: ") + std::strerror(errno));
    std::string bytes(static_cast<size_t>(size), '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    if (in.gcount() != static_cast<std::streamsize>(size))
        throw Error(ErrorCode::FileUnreadable, path, "reading the file failed");
    return bytes;
}

std::string readWholeFile(const std::string& path, int64_t maxBytes)
{
    FileReadOptions options;
    options.maxBytes = maxBytes;
    return readWholeFile(path, options);
}

} // namespace bg
