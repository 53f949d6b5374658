#include "server/static_path.h"

#include <algorithm>

namespace sirtkit::server {

bool static_path_inside(const std::filesystem::path& canonical_root, const std::string& request_path) {
  namespace fs = std::filesystem;
  std::string rel = request_path;
  while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
  fs::path p = canonical_root / rel;
  std::error_code ec;
  if (fs::is_directory(p, ec)) p /= "index.html";  // what the mount point serves for a folder
  if (!fs::exists(p, ec)) return true;
  const fs::path real = fs::canonical(p, ec);
  if (ec) return false;
  const auto mismatch = std::mismatch(canonical_root.begin(), canonical_root.end(), real.begin(), real.end());
  return mismatch.first == canonical_root.end();
}

}  // namespace sirtkit::server
