#pragma once
// Text and JSON of the adverse-event table by worst grade (`sirtkit ae-table`)
// and the post-radioembolization syndrome flag per session.

#include <string>
#include <vector>

#include "clinical/toxicity/adverse_events.h"

namespace sirtkit::report {

struct AeReport {
  int population = 0;  // denominator of the percentages
  std::vector<clinical::AeTermRow> rows;
  std::vector<clinical::PresFlag> pres;  // one per treatment row (when treatments are given)
  int pres_days = 0;
};

std::string ae_text(const AeReport& r);
std::string ae_json(const AeReport& r);

}  // namespace sirtkit::report
