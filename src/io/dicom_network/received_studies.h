#pragma once
// What arrived at `sirtkit serve` (issue 14 item 5; docs/server.md "Studies
// from PACS"), as values: each STOW-RS part's outcome, and the received
// studies of the data root (DATA/study-<hash>/<kind>-<hash>/, stored by
// io/dicom_network/dicom_instance_store.h). Produced by
// pipelines/dicom/dicom_arrivals.h, rendered by report/dicom/received_studies_json.h and plan_template.h.

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

namespace sirtkit::io {

struct StowInstanceResult {
  bool stored = false;
  std::string sop_class_uid, sop_instance_uid;  // "" when the part could not be read
  std::uint16_t failure = 0;                    // DICOM status of a refusal (FailureReason)
  std::string reason;                           // why refused (no patient data)
  std::string study_folder, series_folder;      // where it was stored
};

struct StowOutcome {
  std::vector<StowInstanceResult> instances;  // in part order
  int stored() const { return static_cast<int>(std::count_if(instances.begin(), instances.end(), [](const auto& i) { return i.stored; })); }
  int failed() const { return static_cast<int>(instances.size()) - stored(); }
};

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

}  // namespace sirtkit::io
