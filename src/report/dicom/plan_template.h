#pragma once
// The plan file the server offers for a study pushed to it
// (GET /api/dicom/studies/{study}/plan-template, docs/server.md "Studies from PACS").

#include <string>

#include "io/dicom_network/received_studies.h"

namespace sirtkit::report {

// A plan file to start from for a received study (TOML text): [images] names
// its CT and NM/PET series folders, [[voi]] its RTSTRUCT or SEG when there is
// one; everything a physicist must decide is left as a commented line to fill.
std::string plan_template(const io::ReceivedStudyInfo& study);

}  // namespace sirtkit::report
