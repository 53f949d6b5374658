#pragma once
// Text and JSON of `sirtkit cox --univariable`: one univariable Cox model per
// candidate covariate with its likelihood-ratio screen, then the
// multivariable model of those that pass (report/survival/cox_analysis.h).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "report/survival/cox_analysis.h"

namespace sirtkit::report {

// One row per model term of a candidate (a factor gives one row per level
// beyond the reference); the screen uses the candidate's likelihood-ratio
// test (all its terms together, df = number of terms), which for a single
// term is asymptotically the Wald test R prints beside the coefficient.
struct UnivariableTerm {
  std::string term;
  double coef = 0, se = 0, hr = 0, hr_lower = 0, hr_upper = 0, wald_p = 1;
};

struct UnivariableCandidate {
  std::string covariate;
  std::vector<UnivariableTerm> terms;
  std::int64_t n = 0, nevent = 0;
  std::size_t rows_dropped = 0;
  double lr_test = 0, lr_p = 1;
  int df = 0;
  bool passes = false;
  std::string not_fitted;  // why no model could be fitted (constant column, no events ...), else empty
};

struct UnivariableScreen {
  std::vector<UnivariableCandidate> candidates;
  std::vector<std::string> selected;  // candidates with lr_p < screen_p, in input order
};

struct UnivariableAnalysis {
  std::string file;
  stats::Ties ties = stats::Ties::efron;
  double conf_level = 0.95;
  double screen_p = 0.15;
  UnivariableScreen screen;
  bool multivariable_asked = true;
  std::optional<CoxAnalysis> multivariable;  // none when asked and no candidate passed
};

std::string univariable_text(const UnivariableAnalysis& u);
nlohmann::json univariable_json(const UnivariableAnalysis& u);

}  // namespace sirtkit::report
