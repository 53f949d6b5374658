#pragma once
// Text and JSON of `sirtkit kappa`: the two readers' cross-table, the
// observed and chance agreement, Cohen's kappa with its CI and the test of
// kappa = 0.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stats/agreement/kappa.h"

namespace sirtkit::report {

struct RaterAgreement {
  std::string file, rater1, rater2;
  stats::KappaWeights weights = stats::KappaWeights::none;
  std::vector<std::string> levels;  // category order of the table
  std::size_t rows_read = 0;
  std::vector<std::size_t> dropped_lines;  // rows with a reading missing, by CSV line
  double conf_level = 0.95;
  stats::Kappa kappa;
  std::vector<std::string> warnings;
};

std::string rater_agreement_text(const RaterAgreement& a);
nlohmann::json rater_agreement_json(const RaterAgreement& a);

}  // namespace sirtkit::report
