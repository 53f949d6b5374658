#pragma once
// Session and CSRF tokens: 256 random bits from libsodium's randombytes_buf
// (OWASP Session Management Cheat Sheet: at least 64 bits of entropy; we use
// 256), as 64 hex digits. Only the SHA-256 of a session token is stored, so a
// copy of the database does not give a working session.

#include <string>

namespace sirtkit::server {

std::string random_token_hex();                      // 32 random bytes, lower-case hex
std::string sha256_hex(const std::string& data);     // lower-case hex
// Compares in time independent of where the strings differ (sodium_memcmp).
bool equal_constant_time(const std::string& a, const std::string& b);

}  // namespace sirtkit::server
