#pragma once
// Time-based one-time passwords, RFC 6238 (TOTP) over RFC 4226 (HOTP):
// HMAC-SHA1 (OpenSSL), time step 30 s from the Unix epoch (T0 = 0), 6 digits
// (RFC 4226 section 5.3 dynamic truncation). Secrets travel as RFC 4648 base32,
// the form authenticator apps read from an otpauth:// URI.

#include <cstdint>
#include <optional>
#include <string>

namespace sirtkit::server {

constexpr std::int64_t totp_step_s = 30;  // RFC 6238 section 4.1, recommended X = 30 s
constexpr int totp_digits = 6;            // RFC 4226 section 5.3, at least 6

// HOTP value of `counter` with `digits` digits (zero-padded), for any key.
std::string hotp(const std::string& key, std::uint64_t counter, int digits = totp_digits);
// TOTP value at Unix time `unix_s` (SHA-1, 30 s).
std::string totp(const std::string& key, std::int64_t unix_s, int digits = totp_digits);

// The time step that `code` matches at `unix_s`, accepting the previous and
// next step for clock drift (RFC 6238 section 5.2: at most one step back is
// recommended; one forward for a server clock behind). nullopt when none matches.
std::optional<std::int64_t> totp_match(const std::string& key, const std::string& code, std::int64_t unix_s);

std::string base32_encode(const std::string& bytes);                 // RFC 4648, no padding
std::optional<std::string> base32_decode(const std::string& text);   // upper/lower case, padding and spaces ignored
// A new random 160-bit secret (RFC 4226 section 4: 160 bits recommended), base32.
std::string new_totp_secret_base32();

}  // namespace sirtkit::server
