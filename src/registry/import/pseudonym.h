#pragma once
// Pseudonymisation: a patient identifier (hospital record number, REDCap
// record_id) becomes a keyed HMAC-SHA256 pseudonym (RFC 2104 / FIPS 198-1,
// computed by OpenSSL), and the patient's dates are moved by a per-patient
// shift derived from the same key. The key lives in a file outside the
// database; without it the pseudonyms cannot be recomputed from identifiers,
// and with it the same patient always gets the same pseudonym and shift, so a
// re-import links to the same records.

#include <filesystem>
#include <string>
#include <string_view>

namespace sirtkit::registry {

// Lower-case hex HMAC-SHA256 of `message` under `key` (any key length).
std::string hmac_sha256_hex(std::string_view key, std::string_view message);

class PseudonymKey {
 public:
  // At least 32 bytes: an HMAC key shorter than the hash output weakens it
  // (RFC 2104 section 3: "less than L bytes is strongly discouraged", L = 32
  // for SHA-256). One trailing newline is ignored (keys written by `echo`).
  static PseudonymKey from_bytes(std::string bytes, const std::string& source = "key");
  static PseudonymKey from_file(const std::filesystem::path& path);
  // The key file named by an option, else by $SIRTKIT_REGISTRY_KEY; bad_input if neither.
  static std::filesystem::path resolve_path(const std::string& option);

  // "P" + the first 20 hex digits (80 bits) of HMAC(key, "sirtkit/patient/v1:" + id);
  // the id is trimmed of surrounding blanks first.
  std::string pseudonym(std::string_view patient_id) const;
  // Days in [-365, -1] U [1, 365] (never 0, so no real date survives), from
  // HMAC(key, "sirtkit/date-shift/v1:" + id). Shifting every date of a patient
  // by the same amount keeps all intervals exact (the per-patient date shift
  // of e.g. the MIMIC de-identification, Johnson et al., Sci Data 2016;3:160035).
  int date_shift_days(std::string_view patient_id) const;
  // Identifies the key without revealing it; stored in the registry so that an
  // import with a different key is refused.
  std::string fingerprint() const;

 private:
  explicit PseudonymKey(std::string bytes) : key_(std::move(bytes)) {}
  std::string key_;
};

}  // namespace sirtkit::registry
