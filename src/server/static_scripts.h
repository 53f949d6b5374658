#pragma once
// The JavaScript files of the web assets (web/*.js, web/vendor/niivue/niivue.js),
// gzip-compressed once per file version and kept in memory. Left to
// cpp-httplib's mount point, every request for a script was compressed anew,
// with brotli at its default quality 11 whenever the browser offers "br"
// (Chromium does on loopback): 9.4 s for the 3.1 MB niivue.js on the 2-core
// VM, more than half of the plan page's time to its first dose overlay
// (docs/server.md, Measured). The server compresses them all at start-up,
// on a thread of its own (ScriptCache::warm): compressed on its first
// request instead, niivue.js cost the first visit after a start 0.5 s of the
// server's CPU and its module arrived that much later. Other files (index.html, app.css, a few KB)
// are still served by the mount point. Scripts carry an ETag and
// "Cache-Control: no-cache": a returning browser keeps its copy (and Chromium
// its compiled code for it) and asks whether it is current, answered 304.

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <stop_token>
#include <string>
#include <string_view>

namespace sirtkit::server {

// gzip (RFC 1952) of `bytes`, zlib level 9.
std::string gzip_bytes(std::string_view bytes);

struct CachedScript {
  std::string raw;
  std::string gzip;  // gzip_bytes(raw)
  std::filesystem::file_time_type mtime;
  // Strong entity tags (RFC 9110 8.8.3) of the two representations: the first
  // 32 hex digits of SHA-256 of the file, "-gzip" appended for the gzip one.
  std::string etag_raw, etag_gzip;
};

class ScriptCache {
 public:
  // The script a GET path names (ending in ".js", a regular file inside
  // `canonical_root` once links are resolved), compressed on first use and
  // again when the file's modification time or size changed; nullptr
  // otherwise (the mount point answers, e.g. its 404).
  std::shared_ptr<const CachedScript> get(const std::filesystem::path& canonical_root, const std::string& request_path);
  // Compresses every script under `canonical_root` that get() would serve and
  // does not hold yet (or holds an older version of), the largest first (the
  // page's niivue.js), stopping between files when `stop` is requested.
  // Returns how many it compressed.
  std::size_t warm(const std::filesystem::path& canonical_root, std::stop_token stop = {});
  // How many scripts are held (compressed).
  std::size_t size() const;

 private:
  // The held copy of `file` when it is current (same modification time and size).
  std::shared_ptr<const CachedScript> current(const std::filesystem::path& file, std::filesystem::file_time_type mtime, std::uintmax_t size) const;
  mutable std::mutex mutex_;
  std::map<std::filesystem::path, std::shared_ptr<const CachedScript>> scripts_;
};

// Whether an Accept-Encoding header value accepts gzip (RFC 9110 §12.5.3:
// a coding listed without "q=0").
bool accepts_gzip(std::string_view accept_encoding);

// Whether an If-None-Match header value matches `etag` (RFC 9110 13.1.2: "*",
// or a listed entity tag equal by the weak comparison, W/ ignored): the
// browser's copy is current and the answer is 304 Not Modified.
bool none_match_hits(std::string_view if_none_match, std::string_view etag);

}  // namespace sirtkit::server
