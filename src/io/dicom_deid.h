#pragma once
// De-identification of DICOM files by the PS3.15 Annex E Basic Application
// Level Confidentiality Profile with the Retain Longitudinal Temporal
// Information with Modified Dates Option (Table E.1-1, 2020 edition, embedded
// from data/deid/). Identifiers are removed, emptied or replaced with dummies;
// dates are shifted by a per-patient number of days; UIDs are replaced by
// keyed HMAC-SHA256 pseudonyms so references between files stay consistent;
// private attributes are removed; pixel data is kept as it is.
//
// Patient pseudonyms and date shifts use the same derivation as the
// registry (registry/pseudonym.h), so a de-identified DICOM study and the
// registry rows of the same patient carry the same pseudonym and dates.
// Burned-in annotation in the pixels is not detected (see docs/dicom.md).

#include <filesystem>
#include <string>
#include <vector>

namespace sirtkit::io {

// An HMAC key of at least 32 bytes (RFC 2104 section 3); one trailing
// newline is ignored, as written by `echo`.
std::string read_deid_key(const std::filesystem::path& path);

// "2.25." + the first 128 bits of HMAC-SHA256(key, "sirtkit/uid/v1:" + uid)
// as a decimal integer (PS3.5 B.2: a UUID-derived UID under 2.25).
std::string pseudonymous_uid(const std::string& key, const std::string& uid);
// "P" + 20 hex digits of HMAC-SHA256(key, "sirtkit/patient/v1:" + id), as the registry.
std::string patient_pseudonym(const std::string& key, const std::string& patient_id);
// Days in [-365, -1] U [1, 365] from HMAC-SHA256(key, "sirtkit/date-shift/v1:" + id), as the registry.
int patient_date_shift_days(const std::string& key, const std::string& patient_id);

// The embedded copy of PS3.15 Table E.1-1 (data/deid/dicom_ps3.15_tableE1-1_2020.csv).
const char* deid_table_csv();

struct DeidReport {
  int files_written = 0;
  std::vector<std::filesystem::path> skipped;  // not DICOM: not copied
  std::vector<std::filesystem::path> written;
  int attributes_removed = 0;
  int attributes_replaced = 0;
  int uids_replaced = 0;
  int dates_shifted = 0;
  int private_removed = 0;
};

// De-identifies every DICOM file below in_dir into out_dir (which must be
// absent or empty) as out_dir/<patient pseudonym>/<series UID>/<instance UID>.dcm,
// so no original name or path survives. Non-DICOM files are skipped and listed.
// Each file is written atomically.
DeidReport deidentify_folder(const std::filesystem::path& in_dir, const std::filesystem::path& out_dir, const std::string& key);

}  // namespace sirtkit::io
