#pragma once
// Text and JSON of `sirtkit cox`: the optional stepwise AIC path, the fitted
// model (hazard ratios with CI, tests, concordance, cox.zph) or the null
// model when the selection keeps no term.

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stats/cox/cox_model.h"
#include "stats/cox/cox_zph.h"

namespace sirtkit::report {

struct CoxStepView {
  std::string direction;  // "both", "backward", "forward"
  struct Step {
    std::string action;  // "start", "- term", "+ term"
    double aic = 0;
    std::vector<std::string> terms;  // the model after the step
  };
  std::vector<Step> path;
  std::vector<std::string> kept;
  double aic = 0;
};

struct CoxAnalysis {
  std::string file;
  std::size_t rows_read = 0, rows_dropped = 0;
  stats::Ties ties = stats::Ties::efron;
  double conf_level = 0.95;
  std::string strata, start_column, weights_column;  // "" when not used
  std::int64_t n = 0, nevent = 0;
  std::optional<CoxStepView> stepwise;
  // The stepwise selection kept no term: R's null model coxph(Surv ~ 1).
  bool null_model = false;
  double null_loglik = 0;
  std::vector<std::string> terms;  // R's term names, one per coefficient
  stats::CoxFit fit;
  double concordance_se = 0;  // NaN when not computed
  // cox.zph per CSV column and GLOBAL (last); none for exact ties on
  // (start, stop] rows (nor in R) and with case weights.
  std::optional<stats::CoxZphResult> zph;
  std::vector<std::string> zph_terms;
  std::vector<std::string> warnings;
};

std::string cox_text(const CoxAnalysis& cox);
nlohmann::json cox_json(const CoxAnalysis& cox);

}  // namespace sirtkit::report
