#pragma once
// What the server answers about studies pushed to it (docs/server.md "Studies
// from PACS"), from the values of io/dicom_network/received_studies.h: the
// STOW-RS response in DICOM JSON and the received studies' listing.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "io/dicom_network/received_studies.h"

namespace sirtkit::report {

// PS3.18 Annex F (DICOM JSON): the Store Instances Response Module (PS3.18
// Table 10.5.3-2) of one STOW-RS request, a refusal's reason in words in a
// private attribute.
nlohmann::json stow_response_json(const io::StowOutcome& outcome);

// A plan of the workspace listed for a received study.
struct PlanLink {
  std::string id;  // 16 hex digits (GET /api/plans/{id})
  std::string plan_file;
};
// One entry of GET /api/dicom/studies: folder, site (null for none),
// last_received, series [{folder, kind, objects, bytes, last_received}], plans [{id, plan_file}].
nlohmann::json received_study_json(const io::ReceivedStudyInfo& study, const std::vector<PlanLink>& plans);

}  // namespace sirtkit::report
