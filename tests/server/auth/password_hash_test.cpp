// Argon2id through libsodium: the stored string names argon2id and the
// parameters of each cost; verification accepts the password and nothing else.

#include "server/auth/password_hash.h"

#include <gtest/gtest.h>

#include <set>

#include "server/auth/secret_token.h"

namespace sirtkit::server {
namespace {

TEST(PasswordHash, InteractiveCostIsArgon2idWith64MiBAndTwoPasses) {
  const std::string h = hash_password("a long enough password", PasswordCost::interactive);
  // libsodium crypto_pwhash_MEMLIMIT_INTERACTIVE = 64 MiB = 65536 KiB, OPSLIMIT_INTERACTIVE = 2.
  EXPECT_EQ(h.rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << h;
  EXPECT_TRUE(verify_password(h, "a long enough password"));
  EXPECT_FALSE(verify_password(h, "a long enough passwore"));
  EXPECT_FALSE(verify_password(h, ""));
}

TEST(PasswordHash, TestCostIsTheMinimumAndSaltsDiffer) {
  const std::string a = hash_password("pw", PasswordCost::test_minimum), b = hash_password("pw", PasswordCost::test_minimum);
  EXPECT_EQ(a.rfind("$argon2id$v=19$m=8,t=1,p=1$", 0), 0u) << a;
  EXPECT_NE(a, b);  // random salt
  EXPECT_TRUE(verify_password(a, "pw"));
  EXPECT_TRUE(verify_password(b, "pw"));
  EXPECT_FALSE(verify_password(a, "pW"));
}

TEST(SecretToken, TokensAre256BitHexAndDistinct) {
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    const std::string t = random_token_hex();
    ASSERT_EQ(t.size(), 64u);
    EXPECT_EQ(t.find_first_not_of("0123456789abcdef"), std::string::npos);
    seen.insert(t);
  }
  EXPECT_EQ(seen.size(), 100u);
  // FIPS 180-2 Appendix B.1: SHA-256("abc").
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(equal_constant_time("abc", "abc"));
  EXPECT_FALSE(equal_constant_time("abc", "abd"));
  EXPECT_FALSE(equal_constant_time("abc", "ab"));
}

TEST(RandomPassword, LengthAndAlphabet) {
  const std::string p = random_password(20);
  EXPECT_EQ(p.size(), 20u);
  EXPECT_EQ(p.find_first_of("0O1Il"), std::string::npos);
  EXPECT_NE(random_password(20), p);
}

}  // namespace
}  // namespace sirtkit::server
