#pragma once
// Text and JSON of a liver score or stage (`sirtkit score`): one patient's
// result with the inputs it used, or one row per patient of a CSV.

#include <string>
#include <vector>

#include "clinical/rule_result.h"

namespace sirtkit::report {

// One patient of `sirtkit score RULE --csv FILE`.
struct ScoreRow {
  std::string patient_id;
  clinical::RuleResult result;
};

// Readable multi-line summary and the JSON form of a result.
std::string rule_text(const clinical::RuleResult& r);
std::string rule_json(const clinical::RuleResult& r);
std::string score_rows_text(const std::vector<ScoreRow>& rows);
std::string score_rows_json(const std::vector<ScoreRow>& rows);

}  // namespace sirtkit::report
