#pragma once
// The JSON of the server's survival pages (GET /api/analysis/km and
// /api/analysis/cox): the derived endpoint's counts, then the same km,
// logrank and cox documents as `sirtkit km | logrank | cox --json`, without
// the file name (a temporary name means nothing to a browser).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "report/survival/cox_analysis.h"
#include "report/survival/km_analysis.h"
#include "report/survival/log_rank_analysis.h"

namespace sirtkit::report {

// The endpoint derived for the caller's patients (counts only, no subject row).
struct DerivedEndpoint {
  std::string paramcd, origin;
  bool censor_at_surgery = false;
  std::string time_unit = "months";
  std::size_t subjects = 0, events = 0, excluded = 0;
};

struct SurvivalKmView {
  DerivedEndpoint derived;
  std::string group, group_column;
  std::vector<double> risk_times;
  KmAnalysis km;
  std::optional<LogRankAnalysis> logrank;
  std::string logrank_refused;  // why there is no test (one group, no event); "" when tested or no group
};

struct SurvivalCoxView {
  DerivedEndpoint derived;
  CoxAnalysis cox;
};

// {derived: {paramcd, origin, censor_at_surgery, time_unit, subjects, events, censored, excluded},
//  group, group_column, risk_times, km, logrank | null, logrank_refused | null}
nlohmann::json survival_km_view_json(const SurvivalKmView& view);
// {derived: ..., cox}
nlohmann::json survival_cox_view_json(const SurvivalCoxView& view);

}  // namespace sirtkit::report
