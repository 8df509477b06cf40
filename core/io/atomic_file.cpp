#include "io/atomic_file.h"

#include "io/error.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>

namespace bg {

void writeFileAtomically(const std::string& path, const std::string& bytes)
{
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error(ErrorCode::WriteFailed, path, "folder '" + dir.string() + "' does not exist");
    std::random_device rd;
    const fs::path tmp = dir / ("." + target.filename().string() + ".tmp" + std::to_string(rd()));
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            throw Error(ErrorCode::WriteFailed, path, std::string("cannot create a file there: ") + std::strerror(errno));
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            const std::string why = std::strerror(errno);
            out.close();
            fs::remove(tmp, ec);
            throw Error(ErrorCode::WriteFailed, path, "write failed: " + why);
        }
    }
    fs::rename(tmp, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        throw Error(ErrorCode::WriteFailed, path, "cannot replace the file: " + ec.message());
    }
}

std::string readWholeFile(const std::string& path, int64_t maxBytes)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::exists(path, ec))
        throw Error(ErrorCode::FileNotFound, path, "no such file");
    if (fs::is_directory(path, ec))
        throw Error(ErrorCode::FileUnreadable, path, "is a folder, not a file");
    const auto size = fs::file_size(path, ec);
    if (ec)
        throw Error(ErrorCode::FileUnreadable, path, ec.message());
    if (maxBytes >= 0 && static_cast<int64_t>(size) > maxBytes)
        throw Error(ErrorCode::TensorTooLarge, path,
                    "file is " + std::to_string(size) + " bytes, over the limit of " + std::to_string(maxBytes));
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::FileUnreadable, path, std::string("cannot open: ") + std::strerror(errno));
    std::string bytes(size, '\0');
    in.read(bytes.data(), static_cast<std::streamsize>(size));
    if (in.gcount() != static_cast<std::streamsize>(size))
        throw Error(ErrorCode::FileUnreadable, path, "read failed");
    return bytes;
}

} // namespace bg
