#pragma once
// The patient flow of a study as a CONSORT diagram counts it (CONSORT 2010
// statement, Schulz et al., BMJ 2010;340:c332, flow diagram): patients
// registered, allocated to each arm, and of those who received SIRT, another
// treatment or none. Analysis counts come from the derived data sets
// (time_to_event.h, tumour_response.h), which list whom they leave out and why.

#include <string>
#include <vector>

#include "registry/store/store.h"

namespace sirtkit::registry {

struct ArmFlow {
  std::string arm;   // arm code; "" for patients without an arm
  int allocated = 0;
  int received_sirt = 0;        // at least one SIRT session recorded
  int received_other_only = 0;  // TACE or systemic treatment but no SIRT
  int untreated = 0;            // no treatment recorded
};

struct StudyFlow {
  int registered = 0;
  std::vector<ArmFlow> arms;  // in arm-code order; patients without an arm last, as arm ""
};

// study: a study code, or "" for every study.
StudyFlow study_flow(Store& store, const std::string& study);

}  // namespace sirtkit::registry
