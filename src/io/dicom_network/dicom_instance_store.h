#pragma once
// Where DICOM objects pushed to `sirtkit serve` land (C-STORE: io/dicom_network/dicom_store_receiver.h;
// STOW-RS: server/routes/dicomweb_routes.cpp; docs/server.md "Studies from PACS").
//
// An object is first written to a temporary file in DATA/.incoming (hidden, so
// the workspace never lists it; on the data root's file system, so the move is
// a rename), checked with the guarded reader (io/dicom/dicom_guard.h: nesting,
// item counts, lengths, truncation), then moved atomically to
//
//   DATA/study-<h(StudyInstanceUID)>/<kind>-<h(SeriesInstanceUID)>/<h(SOPInstanceUID)>.dcm
//
// where h is the first 16 hex digits of SHA-256 of the UID and <kind> comes
// from the SOP class (ct, nm, pt, seg, rtstruct, rtdose). No folder or file
// name carries a name, an ID, a date or free text. A refused object is
// removed: nothing of it is kept.
//
// Site scoping: an object sent on behalf of a registry site (the sender's
// --dicom-allow entry, or the STOW-RS user's site) lands in the study folder
// of h(site code + StudyInstanceUID), whose hidden file `.site` holds the code;
// the server shows that study to that site's users only. The same study sent
// by two sites is two folders, never one mixed folder. Without a site the
// folder is h(StudyInstanceUID) and has no `.site`: every site sees it.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"

namespace sirtkit::io {

// One accepted storage SOP class and the folder kind of its series.
struct StorageSopClass {
  const char* uid;
  const char* kind;  // folder prefix: ct, nm, pt, seg, rtstruct, rtdose
  const char* name;  // for listings and messages
};
// CT, enhanced CT, NM, PET, enhanced PET, SEG, RTSTRUCT, RTDOSE (PS3.4 B.5).
const std::vector<StorageSopClass>& accepted_storage_sop_classes();
// Transfer syntaxes the receiver negotiates: the uncompressed ones, deflate,
// and the compressed ones io/dicom/dicom_pixels.h decodes (JPEG, JPEG-LS, JPEG 2000, RLE).
const std::vector<std::string>& accepted_transfer_syntaxes();

// DICOM status codes of a refusal (PS3.4 Table B.2-1; PS3.7 C.4.2.1.4; the
// same numbers are STOW-RS FailureReason values, PS3.18 Table 10.5.3-3).
namespace store_status {
constexpr std::uint16_t out_of_resources = 0xA700;
constexpr std::uint16_t does_not_match_sop_class = 0xA900;
constexpr std::uint16_t cannot_understand = 0xC000;
constexpr std::uint16_t sop_class_not_supported = 0x0122;
}  // namespace store_status

// Why an object was not stored; the message names no patient data.
class InstanceRefused : public Error {
 public:
  InstanceRefused(std::uint16_t status, const std::string& message, std::string sop_class_uid = {}, std::string sop_instance_uid = {})
      : Error(ErrorCategory::bad_input, message), status_(status), sop_class_uid_(std::move(sop_class_uid)), sop_instance_uid_(std::move(sop_instance_uid)) {}
  std::uint16_t status() const { return status_; }
  // The object's SOP class and instance when they could be read (UIDs only), else "".
  const std::string& sop_class_uid() const { return sop_class_uid_; }
  const std::string& sop_instance_uid() const { return sop_instance_uid_; }

 private:
  std::uint16_t status_;
  std::string sop_class_uid_, sop_instance_uid_;
};

struct StoredInstance {
  std::string study_folder;   // "study-<16 hex>"
  std::string site;           // the site code it was filed under, "" for none
  std::string series_folder;  // "<kind>-<16 hex>"
  std::string file_name;      // "<16 hex>.dcm"
  std::string modality;       // Modality (0008,0060) when a defined term, else ""
  std::string sop_class_uid, sop_instance_uid, study_uid;
  bool replaced = false;      // an object with this SOP Instance UID was there already (now replaced)
};

// DATA/.incoming, created when missing.
std::filesystem::path incoming_folder(const std::filesystem::path& data_root);
// A fresh temporary path in DATA/.incoming (random name, nothing created).
std::filesystem::path new_incoming_path(const std::filesystem::path& data_root);

// Removes the temporary files of DATA/.incoming older than `min_age` (left by a
// server that stopped mid-transfer); younger ones may belong to a transfer in
// progress. Returns how many were removed.
std::size_t remove_stale_incoming(const std::filesystem::path& data_root, std::filesystem::file_time_type::duration min_age);

// "study-" + h(uid), or h(site + uid) for a site, and "<kind>-" + h(uid) as above.
std::string study_folder_name(const std::string& study_uid, const std::string& site = "");

// Checks a site code used to file studies (1-64 letters, digits, '.', '_',
// '-'; not starting with '.'): Error(bad_input) naming `source`, `field` and the value.
void check_site_code(const std::string& code, const std::string& source, const std::string& field);

// The site code of a study folder (its `.site` file), "" when it has none.
// Error(io) naming the folder when the file cannot be read or holds no valid code.
std::string study_site(const std::filesystem::path& study_dir);

// Checks the Part 10 file `temp` (inside DATA/.incoming) and moves it into
// its study and series folder. `expected_sop_instance_uid` (the C-STORE
// request's Affected SOP Instance UID, or "") must match the object's;
// `expected_study_uid` (STOW-RS /studies/{study}, or "") its study. On
// refusal `temp` is removed and InstanceRefused is thrown. `site` ("" for
// none; a checked code) files the object under that site's study folder.
StoredInstance store_received_instance(const std::filesystem::path& data_root, const std::filesystem::path& temp,
                                       const std::string& expected_sop_instance_uid = "", const std::string& expected_study_uid = "",
                                       const std::string& site = "");

}  // namespace sirtkit::io
