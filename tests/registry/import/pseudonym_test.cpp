// Keyed pseudonyms and date shifts: RFC 4231 vectors for the HMAC, and the
// properties the registry relies on.

#include "registry/import/pseudonym.h"

#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "core/error.h"
#include "io/dicom/dicom_deid.h"
#include "../store_fixture.h"

namespace sirtkit::registry {
namespace {

const std::string key32 = "0123456789abcdef0123456789abcdef";

TEST(Hmac, Rfc4231TestCases) {
  // RFC 4231 section 4.2 (test case 1) and 4.3 (test case 2), HMAC-SHA-256.
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Pseudonym, IsKeyedDeterministicAndTrimmed) {
  const auto k = PseudonymKey::from_bytes(key32);
  const std::string p = k.pseudonym("MRN-001");
  EXPECT_EQ(p, "P" + hmac_sha256_hex(key32, "sirtkit/patient/v1:MRN-001").substr(0, 20));
  EXPECT_EQ(p.size(), 21u);
  EXPECT_EQ(k.pseudonym("  MRN-001 "), p);
  EXPECT_NE(k.pseudonym("MRN-002"), p);
  EXPECT_NE(PseudonymKey::from_bytes(key32 + "x").pseudonym("MRN-001"), p);
  EXPECT_EQ(p.find("MRN"), std::string::npos);
}

TEST(Pseudonym, KeyFromFileIgnoresOneNewlineAndRefusesShortKeys) {
  const auto path = testing::scratch_dir() / "k.key";
  std::ofstream(path) << key32 << "\n";
  EXPECT_EQ(PseudonymKey::from_file(path).fingerprint(), PseudonymKey::from_bytes(key32).fingerprint());
  try {
    PseudonymKey::from_bytes("short-key\n", "k.key");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(std::string(e.what()).find("32"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("k.key"), std::string::npos);
  }
  try {
    PseudonymKey::from_file(testing::scratch_dir() / "missing.key");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::io);
  }
}

TEST(Pseudonym, KeyPathFromOptionOrEnvironment) {
  unsetenv("SIRTKIT_REGISTRY_KEY");
  EXPECT_THROW(PseudonymKey::resolve_path(""), Error);
  EXPECT_EQ(PseudonymKey::resolve_path("a.key"), "a.key");
  setenv("SIRTKIT_REGISTRY_KEY", "/keys/b.key", 1);
  EXPECT_EQ(PseudonymKey::resolve_path(""), "/keys/b.key");
  EXPECT_EQ(PseudonymKey::resolve_path("a.key"), "a.key");
  unsetenv("SIRTKIT_REGISTRY_KEY");
}

TEST(DateShift, NeverZeroWithinAYearBothSignsStable) {
  const auto k = PseudonymKey::from_bytes(key32);
  std::set<int> seen;
  int negative = 0;
  for (int i = 0; i < 3000; ++i) {
    const int s = k.date_shift_days("ID" + std::to_string(i));
    ASSERT_NE(s, 0);
    ASSERT_GE(s, -365);
    ASSERT_LE(s, 365);
    negative += s < 0;
    seen.insert(s);
  }
  EXPECT_GT(negative, 1300);
  EXPECT_LT(negative, 1700);
  EXPECT_GT(seen.size(), 650u);  // spread over the 730 possible shifts
  EXPECT_EQ(k.date_shift_days("ID7"), k.date_shift_days("ID7"));
}

// io/dicom_deid promises the registry's pseudonyms and date shifts, so a
// de-identified DICOM study links to the registry rows of the same patient.
TEST(Pseudonym, SameAsDicomDeidentification) {
  const auto k = PseudonymKey::from_bytes(key32);
  for (const std::string id : {"MRN-001", "12345678", "a b", "MRN-99817263"}) {
    EXPECT_EQ(io::patient_pseudonym(key32, id), k.pseudonym(id)) << id;
    EXPECT_EQ(io::patient_date_shift_days(key32, id), k.date_shift_days(id)) << id;
  }
}

}  // namespace
}  // namespace sirtkit::registry
