#include "io/file_hash.h"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <memory>
#include <vector>

#include "core/error.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;

struct DigestContext {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx{EVP_MD_CTX_new(), EVP_MD_CTX_free};
  DigestContext() {
    if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) throw Error(ErrorCategory::internal, "SHA-256: OpenSSL refused to start");
  }
  void add(const char* data, std::size_t n) { EVP_DigestUpdate(ctx.get(), data, n); }
  std::string hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int n = 0;
    EVP_DigestFinal_ex(ctx.get(), md.data(), &n);
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < n; ++i) {
      out += digits[md[i] >> 4];
      out += digits[md[i] & 15];
    }
    return out;
  }
};

std::string sha256_of_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail_io(path.string(), "cannot open to compute its SHA-256");
  DigestContext d;
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    d.add(buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) fail_io(path.string(), "read error while computing its SHA-256");
  return d.hex();
}

}  // namespace

std::string sha256_of_path(const fs::path& path) {
  std::error_code ec;
  if (!fs::is_directory(path, ec)) return sha256_of_file(path);
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(path, ec), end; !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec)) files.push_back(fs::relative(it->path(), path));
  if (ec) fail_io(path.string(), "cannot list the folder to compute its SHA-256");
  std::sort(files.begin(), files.end());
  DigestContext d;
  for (const auto& f : files) {
    const std::string line = f.generic_string() + "\t" + sha256_of_file(path / f) + "\n";
    d.add(line.data(), line.size());
  }
  return d.hex();
}

std::string sha256_of_bytes(const std::string& bytes) {
  DigestContext d;
  d.add(bytes.data(), bytes.size());
  return d.hex();
}

}  // namespace sirtkit::io
