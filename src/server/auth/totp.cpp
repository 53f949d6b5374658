#include "server/auth/totp.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <sodium.h>

#include <cctype>

#include "core/error.h"
#include "server/auth/password_hash.h"

namespace sirtkit::server {

std::string hotp(const std::string& key, std::uint64_t counter, int digits) {
  unsigned char msg[8];
  for (int i = 7; i >= 0; --i) {
    msg[i] = static_cast<unsigned char>(counter & 0xff);
    counter >>= 8;
  }
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), msg, sizeof msg, mac, &len) || len != 20)
    throw Error(ErrorCategory::internal, "HMAC-SHA1 failed");
  // RFC 4226 section 5.3: dynamic truncation.
  const int offset = mac[19] & 0x0f;
  const std::uint32_t bin = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) | (static_cast<std::uint32_t>(mac[offset + 1]) << 16) |
                            (static_cast<std::uint32_t>(mac[offset + 2]) << 8) | static_cast<std::uint32_t>(mac[offset + 3]);
  std::uint32_t mod = 1;
  for (int i = 0; i < digits; ++i) mod *= 10;
  std::string s = std::to_string(bin % mod);
  return std::string(static_cast<std::size_t>(digits) - s.size(), '0') + s;
}

std::string totp(const std::string& key, std::int64_t unix_s, int digits) {
  if (unix_s < 0) throw Error(ErrorCategory::internal, "TOTP before 1970");
  return hotp(key, static_cast<std::uint64_t>(unix_s / totp_step_s), digits);
}

std::optional<std::int64_t> totp_match(const std::string& key, const std::string& code, std::int64_t unix_s) {
  if (code.size() != static_cast<std::size_t>(totp_digits)) return std::nullopt;
  const std::int64_t step = unix_s / totp_step_s;
  std::optional<std::int64_t> found;
  for (std::int64_t s : {step - 1, step, step + 1}) {
    if (s < 0) continue;
    const std::string expect = hotp(key, static_cast<std::uint64_t>(s));
    // Every candidate is computed and compared, so timing does not reveal which one matched.
    if (sodium_memcmp(expect.data(), code.data(), expect.size()) == 0 && !found) found = s;
  }
  return found;
}

namespace {
const char* const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";  // RFC 4648 section 6
}

std::string base32_encode(const std::string& bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8) | c;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(buffer >> (bits - 5)) & 0x1f];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(buffer << (5 - bits)) & 0x1f];
  return out;
}

std::optional<std::string> base32_decode(const std::string& text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char ch : text) {
    if (ch == '=' || ch == ' ') continue;
    const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    int v = -1;
    if (c >= 'A' && c <= 'Z') v = c - 'A';
    else if (c >= '2' && c <= '7') v = c - '2' + 26;
    if (v < 0) return std::nullopt;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(v);
    bits += 5;
    if (bits >= 8) {
      out += static_cast<char>((buffer >> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return out;
}

std::string new_totp_secret_base32() {
  ensure_sodium();
  std::string key(20, '\0');
  randombytes_buf(key.data(), key.size());
  return base32_encode(key);
}

}  // namespace sirtkit::server
