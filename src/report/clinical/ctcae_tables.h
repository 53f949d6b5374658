#pragma once
// Text and JSON of CTCAE v5.0 laboratory grading (`sirtkit ctcae`): every
// graded result, the worst post-baseline grade per patient and term, and the
// adverse-event table by worst grade.

#include <string>
#include <vector>

#include "clinical/toxicity/ctcae_summary.h"

namespace sirtkit::report {

struct CtcaeReport {
  std::vector<clinical::GradedRecord> graded;
  std::vector<clinical::WorstGrade> worst;
  std::vector<clinical::AeTableRow> table;
};

// per_record: also list every graded result before the summaries.
std::string ctcae_text(const CtcaeReport& r, bool per_record);
std::string ctcae_json(const CtcaeReport& r);

}  // namespace sirtkit::report
