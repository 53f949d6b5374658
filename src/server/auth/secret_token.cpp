#include "server/auth/secret_token.h"

#include <sodium.h>

#include "server/auth/password_hash.h"

namespace sirtkit::server {
namespace {

std::string hex(const unsigned char* p, std::size_t n) {
  std::string s(n * 2 + 1, '\0');
  sodium_bin2hex(s.data(), s.size(), p, n);
  s.pop_back();
  return s;
}

}  // namespace

std::string random_token_hex() {
  ensure_sodium();
  unsigned char buf[32];
  randombytes_buf(buf, sizeof buf);
  return hex(buf, sizeof buf);
}

std::string sha256_hex(const std::string& data) {
  ensure_sodium();
  unsigned char out[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(out, reinterpret_cast<const unsigned char*>(data.data()), data.size());
  return hex(out, sizeof out);
}

bool equal_constant_time(const std::string& a, const std::string& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sirtkit::server
