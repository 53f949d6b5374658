#include "server/static_scripts.h"

#include <zlib.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <utility>
#include <vector>

#include "core/error.h"
#include "server/auth/secret_token.h"
#include "server/static_path.h"

namespace sirtkit::server {

namespace fs = std::filesystem;

std::string gzip_bytes(std::string_view bytes) {
  z_stream z{};
  // windowBits 15 + 16: a gzip header and trailer instead of zlib's (zlib manual, deflateInit2).
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw Error(ErrorCategory::internal, "zlib: deflateInit2 failed");
  std::string out(deflateBound(&z, bytes.size()), '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  z.avail_in = static_cast<uInt>(bytes.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  if (rc != Z_STREAM_END) throw Error(ErrorCategory::internal, "zlib: deflate did not finish");
  return out;
}

bool accepts_gzip(std::string_view header) {
  std::size_t pos = 0;
  while (pos <= header.size()) {
    const std::size_t end = std::min(header.find(',', pos), header.size());
    std::string item(header.substr(pos, end - pos));
    pos = end + 1;
    std::string coding, rest;
    const std::size_t semi = item.find(';');
    coding = item.substr(0, semi);
    if (semi != std::string::npos) rest = item.substr(semi + 1);
    auto trim = [](std::string& s) {
      s.erase(0, s.find_first_not_of(" \t"));
      s.erase(s.find_last_not_of(" \t") + 1);
    };
    trim(coding);
    trim(rest);
    if (coding != "gzip" && coding != "x-gzip") continue;
    // "q=0", "q=0.0", "q=0.00", "q=0.000": refused.
    if (rest.rfind("q=", 0) == 0 && rest.find_first_not_of("0.", 2) == std::string::npos) return false;
    return true;
  }
  return false;
}

bool none_match_hits(std::string_view header, std::string_view etag) {
  const auto trim = [](std::string_view v) {
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
    return v;
  };
  const auto opaque = [](std::string_view tag) { return tag.substr(0, 2) == "W/" ? tag.substr(2) : tag; };
  std::size_t pos = 0;
  while (pos <= header.size()) {
    const std::size_t end = std::min(header.find(',', pos), header.size());
    const std::string_view item = trim(header.substr(pos, end - pos));
    pos = end + 1;
    if (item == "*") return true;
    if (!item.empty() && opaque(item) == opaque(etag)) return true;
  }
  return false;
}

std::shared_ptr<const CachedScript> ScriptCache::get(const fs::path& canonical_root, const std::string& request_path) {
  if (request_path.size() < 4 || request_path.compare(request_path.size() - 3, 3, ".js") != 0) return nullptr;
  if (request_path.find("..") != std::string::npos || request_path.find('\\') != std::string::npos) return nullptr;
  if (!static_path_inside(canonical_root, request_path)) return nullptr;
  std::string rel = request_path;
  while (!rel.empty() && rel.front() == '/') rel.erase(0, 1);
  std::error_code ec;
  const fs::path file = fs::canonical(canonical_root / rel, ec);
  if (ec || !fs::is_regular_file(file, ec)) return nullptr;
  const auto mtime = fs::last_write_time(file, ec);
  const auto size = fs::file_size(file, ec);
  if (ec) return nullptr;
  if (auto held = current(file, mtime, size)) return held;
  std::ifstream in(file, std::ios::binary);
  if (!in) return nullptr;
  std::ostringstream text;
  text << in.rdbuf();
  auto script = std::make_shared<CachedScript>();
  script->raw = std::move(text).str();
  script->gzip = gzip_bytes(script->raw);
  script->mtime = mtime;
  const std::string hash = sha256_hex(script->raw).substr(0, 32);
  script->etag_raw = "\"" + hash + "\"";
  script->etag_gzip = "\"" + hash + "-gzip\"";
  std::lock_guard lock(mutex_);
  scripts_[file] = script;
  return script;
}

std::shared_ptr<const CachedScript> ScriptCache::current(const fs::path& file, fs::file_time_type mtime, std::uintmax_t size) const {
  std::lock_guard lock(mutex_);
  const auto it = scripts_.find(file);
  return it != scripts_.end() && it->second->mtime == mtime && it->second->raw.size() == size ? it->second : nullptr;
}

std::size_t ScriptCache::size() const {
  std::lock_guard lock(mutex_);
  return scripts_.size();
}

std::size_t ScriptCache::warm(const fs::path& canonical_root, std::stop_token stop) {
  // (size, request path) of every .js file under the root; get() applies its
  // checks (inside the root once links are resolved, a regular file).
  std::vector<std::pair<std::uintmax_t, std::string>> found;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(canonical_root, fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (it->path().extension() != ".js" || !it->is_regular_file(ec)) continue;
    found.emplace_back(it->file_size(ec), "/" + it->path().lexically_relative(canonical_root).generic_string());
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::size_t compressed = 0;
  for (const auto& [bytes, request_path] : found) {
    if (stop.stop_requested()) break;
    const fs::path file = fs::canonical(canonical_root / request_path.substr(1), ec);
    if (ec) continue;
    const bool held = current(file, fs::last_write_time(file, ec), fs::file_size(file, ec)) != nullptr;
    if (!held && get(canonical_root, request_path)) ++compressed;
  }
  return compressed;
}

}  // namespace sirtkit::server
