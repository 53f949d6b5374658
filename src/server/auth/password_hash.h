#pragma once
// Password storage: Argon2id through libsodium's crypto_pwhash_str, which
// writes the algorithm, its parameters and a random salt into the stored
// string (OWASP Password Storage Cheat Sheet: Argon2id first choice). The
// stored string never leaves the server and never enters the audit trail.

#include <string>

namespace sirtkit::server {

enum class PasswordCost {
  // Production: crypto_pwhash_OPSLIMIT_INTERACTIVE (2 passes) and
  // crypto_pwhash_MEMLIMIT_INTERACTIVE (64 MiB), libsodium's interactive limits.
  interactive,
  // TESTS ONLY: crypto_pwhash_OPSLIMIT_MIN / MEMLIMIT_MIN (1 pass, 8 KiB) so the
  // test binary logs in hundreds of times in seconds. `sirtkit serve` has no
  // option to select it.
  test_minimum,
};

// Throws sirtkit::Error (internal) when libsodium cannot run (out of memory).
std::string hash_password(const std::string& password, PasswordCost cost);
bool verify_password(const std::string& stored_hash, const std::string& password);
// Runs one verification against a fixed hash of this cost, so a login with an
// unknown user name takes as long as one with a wrong password (no user enumeration by timing).
void burn_password_check(const std::string& password, PasswordCost cost);

// A random password of `length` characters from an unambiguous alphabet
// (no 0/O/1/I/l; 57 symbols), from randombytes_uniform: log2(57) = 5.8 bits per character.
std::string random_password(std::size_t length);

// libsodium's one-time initialisation (thread-safe; throws if it fails).
void ensure_sodium();

}  // namespace sirtkit::server
