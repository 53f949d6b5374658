#pragma once
// Studies pushed to `sirtkit serve` (issue 14 item 5; docs/server.md "Studies
// from PACS"): the audit rows of what arrived, and the received studies of the
// data root as the workspace lists them. The objects themselves are stored by
// io/dicom_network/dicom_instance_store.h under DATA/study-<hash>/<kind>-<hash>/.

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "io/dicom_network/dicom_store_receiver.h"
#include "io/dicom_network/multipart_related.h"
#include "registry/store/store.h"

namespace sirtkit::pipelines {

// Writes the receipts of one C-STORE association (one row per stored series,
// one for its refused objects, or one for a refused association) in one
// transaction whose actor is "dicom:<calling AE title>".
void record_dicom_association(registry::Store& store, const io::AssociationReport& report);

// STOW-RS (PS3.18 10.5): the parts of one request, each stored as C-STORE
// stores an object (io/dicom_network/dicom_instance_store.h), filed under `site` ("" for none).
struct StowInstanceResult {
  bool stored = false;
  std::string sop_class_uid, sop_instance_uid;  // "" when the part could not be read
  std::uint16_t failure = 0;                    // DICOM status of a refusal (FailureReason)
  std::string reason;                           // why refused (no patient data)
  std::string study_folder, series_folder;      // where it was stored
};
struct StowOutcome {
  std::vector<StowInstanceResult> instances;  // in part order
  int stored() const;
  int failed() const;
};
// Stores every part (a part must be application/dicom: a PS3.10 file) and
// writes the receipts (channel stow-rs, sender and actor `user`) in one
// transaction. `study_uid` ("" for POST /studies) must be every object's
// study. Every part file is gone afterwards (moved into place or removed).
StowOutcome store_stow_parts(registry::Store& store, const std::filesystem::path& data_root, const std::vector<io::MultipartPart>& parts,
                             const std::string& study_uid, const std::string& user, const std::string& address, const std::string& site);

struct ReceivedSeriesInfo {
  std::string folder;    // "<kind>-<16 hex>"
  std::string kind;      // ct, nm, pt, seg, rtstruct, rtdose
  int objects = 0;       // *.dcm files
  std::uint64_t bytes = 0;
  std::string last_received;  // ISO 8601 UTC of the newest file
  std::string first_file;     // a file name, for plan keys that name a file (rtstruct, an NM multi-frame)
};

struct ReceivedStudyInfo {
  std::string folder;  // "study-<16 hex>"
  std::string site;    // registry site code it is filed under (its .site file), "" for none: every site sees it
  std::vector<ReceivedSeriesInfo> series;  // sorted by folder
  std::vector<std::string> plan_files;     // *.toml in the study folder: the workspace lists these as plans
  std::string last_received;
};

// Every study-<16 hex> folder directly under the root, newest first (a study
// whose .site file cannot be read is left out and said on stderr).
std::vector<ReceivedStudyInfo> list_received_studies(const std::filesystem::path& data_root);

// A plan file to start from for a received study (TOML text): [images] names
// its CT and NM/PET series folders, [[voi]] its RTSTRUCT or SEG when there is
// one; everything a physicist must decide is left as a commented line to fill.
std::string plan_template(const ReceivedStudyInfo& study);

}  // namespace sirtkit::pipelines
