#pragma once
// Whether a request path names a file inside the web assets folder once every
// symbolic link is resolved. cpp-httplib's mount point refuses ".." and "\"
// in the (URL-decoded) path, but follows a symbolic link placed in the folder
// wherever it points; the server refuses such a file before httplib opens it
// (OWASP Path Traversal: canonicalise, then check the prefix).

#include <filesystem>
#include <string>

namespace sirtkit::server {

// `canonical_root` is std::filesystem::canonical of the folder. False when the
// file exists and its canonical path is not inside the folder; true otherwise
// (a file that does not exist is left to the mount point's 404).
bool static_path_inside(const std::filesystem::path& canonical_root, const std::string& request_path);

}  // namespace sirtkit::server
