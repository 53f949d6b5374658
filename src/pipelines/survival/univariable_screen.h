#pragma once
// The model-building path of DOSISPHERE-01 (seed 001, Statistical analysis):
// one univariable Cox model per candidate covariate, a screen at p < 0.15,
// then a multivariable model of the covariates that pass, optionally reduced
// by stepwise AIC ("ascending and descending", MASS::stepAIC direction both).
//
// Each univariable fit uses the complete cases of its own covariate, as
// coxph(Surv(time, status) ~ x) does on the full data; the multivariable model
// uses the complete cases of all the covariates that pass (run_cox).

#include <optional>
#include <string>
#include <vector>

#include "pipelines/survival/survival_analysis.h"

namespace sirtkit::pipelines {

struct UnivariableRequest {
  std::filesystem::path csv;
  io::TextEncoding encoding = io::TextEncoding::utf8;  // of the CSV file (--encoding)
  SurvivalColumns columns;   // time, event, coding; start and strata optional (apply to every fit)
  CovariateSpec candidates;  // covariates = the candidates; factors = forced categorical
  stats::CoxOptions cox;
  double screen_p = 0.15;    // seed 001: "significant variables (threshold < 0.15)"
  bool multivariable = true; // fit the model of the covariates that pass
  std::optional<stats::StepDirection> step;  // then stepwise AIC on it
};

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

UnivariableScreen univariable_screen(const io::CsvTable& table, const UnivariableRequest& request);

// The screen, then (when asked and something passes) run_cox on the selected
// covariates; text and JSON of both.
AnalysisOutput run_univariable(const UnivariableRequest& request);

}  // namespace sirtkit::pipelines
