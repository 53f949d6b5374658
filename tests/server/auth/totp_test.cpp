// TOTP against the published test vectors: RFC 6238 Appendix B (SHA-1 rows,
// 8 digits), RFC 4226 Appendix D (HOTP, 6 digits), RFC 4648 section 10 (base32).

#include "server/auth/totp.h"

#include <gtest/gtest.h>

namespace sirtkit::server {
namespace {

const std::string rfc_key = "12345678901234567890";  // RFC 6238 Appendix B, SHA-1 seed (20 bytes)

TEST(Totp, Rfc6238AppendixBSha1Vectors) {
  const struct {
    std::int64_t t;
    const char* code;
  } rows[] = {{59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
              {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"}};
  for (const auto& r : rows) EXPECT_EQ(totp(rfc_key, r.t, 8), r.code) << r.t;
}

TEST(Totp, Rfc4226AppendixDHotpVectors) {
  const char* codes[] = {"755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"};
  for (int c = 0; c < 10; ++c) EXPECT_EQ(hotp(rfc_key, static_cast<std::uint64_t>(c)), codes[c]) << c;
}

TEST(Totp, SixDigitCodeIsTheLastSixOfTheEightDigitOne) {
  // Same truncated value modulo 10^6 (RFC 4226 section 5.3).
  EXPECT_EQ(totp(rfc_key, 1111111109), "081804");
  EXPECT_EQ(totp(rfc_key, 59), "287082");
}

TEST(Totp, MatchAcceptsOneStepEitherSideAndNothingFurther) {
  const std::int64_t t = 1111111111;
  const std::int64_t step = t / 30;
  EXPECT_EQ(totp_match(rfc_key, totp(rfc_key, t), t), step);
  EXPECT_EQ(totp_match(rfc_key, totp(rfc_key, t - 30), t), step - 1);
  EXPECT_EQ(totp_match(rfc_key, totp(rfc_key, t + 30), t), step + 1);
  EXPECT_FALSE(totp_match(rfc_key, totp(rfc_key, t - 60), t));
  EXPECT_FALSE(totp_match(rfc_key, totp(rfc_key, t + 60), t));
  EXPECT_FALSE(totp_match(rfc_key, "", t));
  EXPECT_FALSE(totp_match(rfc_key, "12345", t));
}

TEST(Totp, Base32Rfc4648Vectors) {
  const std::pair<const char*, const char*> v[] = {{"", ""},          {"f", "MY"},           {"fo", "MZXQ"},     {"foo", "MZXW6"},
                                                   {"foob", "MZXW6YQ"}, {"fooba", "MZXW6YTB"}, {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, enc] : v) {
    EXPECT_EQ(base32_encode(plain), enc);
    EXPECT_EQ(base32_decode(enc), std::string(plain));
  }
  EXPECT_EQ(base32_decode("mzxw6ytboi======"), std::string("foobar"));  // lower case and padding
  EXPECT_FALSE(base32_decode("MZXW1"));                                  // 1 is not base32
  const auto secret = new_totp_secret_base32();
  EXPECT_EQ(secret.size(), 32u);  // 160 bits
  EXPECT_EQ(base32_decode(secret)->size(), 20u);
}

}  // namespace
}  // namespace sirtkit::server
