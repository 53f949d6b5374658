#pragma once
// De-identification of DICOM files by whitelist, as RSNA CTP's
// DicomAnonymizer: only the attributes listed in io/dicom/dicom_deid_whitelist.inc
// (geometry, pixel decoding, PET/SPECT quantitation, dose, contours) are
// kept, in the dataset and inside every sequence item; everything else is
// removed, including private attributes (unless named by an option), elements
// stored with VR UN that are not whitelisted, all person names and free text,
// overlays (60xx) and curves (50xx). What is kept follows PS3.15 Annex E with
// the Retain Longitudinal Temporal Information with Modified Dates Option:
// dates move by a per-patient number of days; instance UIDs are replaced by
// keyed HMAC-SHA256 pseudonyms so references between files stay consistent.
//
// Patient pseudonyms and date shifts use the same derivation as the
// registry (registry/import/pseudonym.h), so a de-identified DICOM study and the
// registry rows of the same patient carry the same pseudonym and dates.
// Files that may carry burned-in text are refused (see docs/dicom.md).
// Nothing read from an input (path, name, value) is ever reported: inputs are
// named by their index in the sorted list of files below the input folder.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace sirtkit::io {

// An HMAC key of at least 32 bytes (RFC 2104 section 3); one trailing
// newline is ignored, as written by `echo`.
std::string read_deid_key(const std::filesystem::path& path);

// "2.25." + the first 128 bits of HMAC-SHA256(key, "sirtkit/uid/v1:" + uid)
// as a decimal integer (PS3.5 B.2: a UUID-derived UID under 2.25). When those
// digits happen to contain one of `avoid` (the patient's ID, birth date or
// name digits: a scanner of the output would read them as a leak), the UID is
// derived again from uid + "#1", "#2", ... until none is contained; `avoid`
// is the same for every file of a patient, so references stay consistent.
std::string pseudonymous_uid(const std::string& key, const std::string& uid, const std::vector<std::string>& avoid = {});
// The digit runs of at least 6 digits in the patient's ID, other IDs, name and
// birth date: what a pseudonymous UID must not contain.
std::vector<std::string> patient_digit_runs(const std::vector<std::string>& patient_values);
// "P" + 20 hex digits of HMAC-SHA256(key, "sirtkit/patient/v1:" + id), as the registry.
std::string patient_pseudonym(const std::string& key, const std::string& patient_id);
// Days in [-365, -1] U [1, 365] from HMAC-SHA256(key, "sirtkit/date-shift/v1:" + id), as the registry.
int patient_date_shift_days(const std::string& key, const std::string& patient_id);

// A private attribute the user declares safe: element xxEE of the block that
// `creator` reserves in odd group `group` (PS3.5 7.8.1). Written on the
// command line as "GGGG,xxEE,CREATOR", e.g. "0019,xx0C,SIEMENS MR HEADER".
struct PrivateAttribute {
  std::uint16_t group = 0;
  std::uint8_t element = 0;  // the low byte EE
  std::string creator;
};
PrivateAttribute parse_private_attribute(const std::string& spec);

struct DeidOptions {
  // Private attributes kept; only numeric values are kept even then (text is never).
  std::vector<PrivateAttribute> keep_private;
  // Write the files that pass and report the refused ones, instead of refusing the run.
  bool skip_refused = false;
};

// A refused input file, by its index (0-based) in the sorted input list; the
// reason never holds a value read from the file.
struct DeidRefusal {
  std::size_t input = 0;
  std::string reason;
};

struct DeidReport {
  std::size_t inputs = 0;  // regular files below the input folder
  int files_written = 0;
  int skipped_not_dicom = 0;                // files without a DICOM preamble or SOP class: not copied
  std::vector<DeidRefusal> refused;         // DICOM files not written (burned-in text, duplicates, unreadable)
  std::vector<std::filesystem::path> written;  // output files (named from new UIDs only)
  int attributes_removed = 0;  // not whitelisted (public groups)
  int private_removed = 0;
  int un_removed = 0;          // VR UN, not convertible to a whitelisted attribute
  int uids_replaced = 0;
  int dates_shifted = 0;
  int labels_replaced = 0;     // ROI names / segment labels that failed the identifier screen
  std::uint64_t pixel_samples_cleaned = 0;  // native pixel words whose bits above Bits Stored were rewritten
};

// De-identifies every DICOM file below in_dir into out_dir (which must be
// absent or empty) as out_dir/<patient pseudonym>/<new series UID>/<new instance UID>.dcm.
// All or nothing: files are written into a temporary folder beside out_dir
// that is renamed to out_dir at the end; on any failure (a refused file
// without skip_refused, a write error) nothing is left. Non-DICOM files are
// counted and not copied.
DeidReport deidentify_folder(const std::filesystem::path& in_dir, const std::filesystem::path& out_dir, const std::string& key,
                             const DeidOptions& options = {});

// The reason a dataset is refused for possible burned-in text, or "" when it
// is not: Burned In Annotation YES, a SOP class or modality that carries
// text in its pixels (secondary capture, ultrasound, visible light,
// encapsulated documents, video), a screen save or a converted image.
std::string burned_in_text_reason(const std::string& sop_class, const std::string& modality, const std::string& burned_in,
                                  const std::string& image_type, bool has_conversion_type);

// The kept attributes and how each is kept ("value", "date", "time", "dt",
// "uid", "cls", "seq", "label", "pixels"), for tests and documentation.
struct WhitelistEntry {
  std::uint16_t group = 0, element = 0;
  std::string how;
};
std::vector<WhitelistEntry> deid_whitelist();

// True when `name` is a valid output name component made from a new UID: digits
// and dots, 1..64 characters, no empty component, no leading zero (PS3.5 9.1).
bool is_safe_uid_name(const std::string& name);

}  // namespace sirtkit::io
