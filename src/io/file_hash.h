#pragma once
// SHA-256 of the inputs a result was computed from, so a report names exactly
// the bytes it used (FIPS 180-4, through OpenSSL).

#include <filesystem>
#include <string>

namespace sirtkit::io {

// Lower-case hex SHA-256 of a file's bytes. A folder (a DICOM series): the
// SHA-256 of the lines "<relative path>\t<file SHA-256>\n" of every regular
// file below it, sorted by relative path. Throws an I/O error naming the path.
std::string sha256_of_path(const std::filesystem::path& path);

// Lower-case hex SHA-256 of bytes in memory (a document about to be stored).
std::string sha256_of_bytes(const std::string& bytes);

}  // namespace sirtkit::io
