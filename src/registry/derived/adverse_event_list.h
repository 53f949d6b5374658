#pragma once
// The adverse events of a study's patients with their arm, for the
// adverse-event table by arm of an analysis report (clinical/toxicity/adverse_events.h
// counts worst grades per patient and term).

#include <string>
#include <vector>

#include "registry/store/store.h"

namespace sirtkit::registry {

struct ArmAdverseEvent {
  std::string pseudonym;
  std::string arm;  // "" without an arm
  std::string term;
  int grade = 1;
  int onset_day = 0;  // days after the index date
};

// Ordered by arm, pseudonym, onset day and term. study: a code or "" for every study.
std::vector<ArmAdverseEvent> adverse_event_list(Store& store, const std::string& study);

}  // namespace sirtkit::registry
