#pragma once
// The model-building path of DOSISPHERE-01 (seed 001, Statistical analysis):
// one univariable Cox model per candidate covariate, a screen at p < 0.15,
// then a multivariable model of the covariates that pass, optionally reduced
// by stepwise AIC ("ascending and descending", MASS::stepAIC direction both).
//
// Each univariable fit uses the complete cases of its own covariate, as
// coxph(Surv(time, status) ~ x) does on the full data; the multivariable model
// uses the complete cases of all the covariates that pass (cox_analysis).

#include <optional>
#include <string>
#include <vector>

#include "pipelines/survival/survival_analysis.h"
#include "report/survival/univariable_screen.h"

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

// The screen's rows (report/survival/univariable_screen.h renders them).
using report::UnivariableCandidate;
using report::UnivariableScreen;
using report::UnivariableTerm;

UnivariableScreen univariable_screen(const io::CsvTable& table, const UnivariableRequest& request);

// The screen, then (when asked and something passes) cox_analysis on the
// selected covariates (report/survival/univariable_screen.h renders it).
report::UnivariableAnalysis univariable_analysis(const UnivariableRequest& request);

}  // namespace sirtkit::pipelines
