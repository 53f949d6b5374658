#include "server/auth/password_hash.h"

#include <sodium.h>

#include "core/error.h"

namespace sirtkit::server {

void ensure_sodium() {
  static const int rc = sodium_init();  // 0 first time, 1 already done, -1 failure
  if (rc < 0) throw Error(ErrorCategory::internal, "libsodium could not be initialised");
}

namespace {

void limits(PasswordCost cost, unsigned long long& ops, std::size_t& mem) {
  if (cost == PasswordCost::interactive) {
    ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
    mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  } else {
    ops = crypto_pwhash_OPSLIMIT_MIN;
    mem = crypto_pwhash_MEMLIMIT_MIN;
  }
}

}  // namespace

std::string hash_password(const std::string& password, PasswordCost cost) {
  ensure_sodium();
  unsigned long long ops = 0;
  std::size_t mem = 0;
  limits(cost, ops, mem);
  char out[crypto_pwhash_STRBYTES];
  // crypto_pwhash_str uses Argon2id (libsodium >= 1.0.15, crypto_pwhash_ALG_DEFAULT).
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), ops, mem, crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw Error(ErrorCategory::internal, "Argon2id password hashing failed (out of memory?)");
  return out;
}

bool verify_password(const std::string& stored_hash, const std::string& password) {
  ensure_sodium();
  return crypto_pwhash_str_verify(stored_hash.c_str(), password.data(), password.size()) == 0;
}

void burn_password_check(const std::string& password, PasswordCost cost) {
  static const std::string interactive = hash_password("sirtkit-timing-equaliser", PasswordCost::interactive);
  static const std::string minimum = hash_password("sirtkit-timing-equaliser", PasswordCost::test_minimum);
  (void)verify_password(cost == PasswordCost::interactive ? interactive : minimum, password);
}

std::string random_password(std::size_t length) {
  ensure_sodium();
  static const std::string alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
  std::string s;
  for (std::size_t i = 0; i < length; ++i) s += alphabet[randombytes_uniform(static_cast<uint32_t>(alphabet.size()))];
  return s;
}

}  // namespace sirtkit::server
