#pragma once
// Text and JSON of `sirtkit analyze`: the endpoint derived from the registry,
// then Kaplan-Meier with the log-rank test by group, or a Cox model, rendered
// as `sirtkit km | logrank | cox` render them (report/survival/).

#include <optional>
#include <string>
#include <vector>

#include "report/command_output.h"
#include "report/registry/derived_data_sets.h"
#include "report/survival/cox_analysis.h"
#include "report/survival/km_analysis.h"
#include "report/survival/log_rank_analysis.h"

namespace sirtkit::report {

struct RegistryAnalysis {
  TteDerivation derived;  // its file is the analysis' own temporary one: not shown
  // Cox: the model's columns and the fit.
  std::vector<std::string> cox_terms;
  std::optional<CoxAnalysis> cox;
  // Kaplan-Meier, and with a group the log-rank test or why there is none (a single group).
  std::optional<KmAnalysis> km;
  bool grouped = false;
  std::optional<LogRankAnalysis> log_rank;
  std::string no_log_rank;
};

CommandOutput registry_analysis_output(const RegistryAnalysis& a);

}  // namespace sirtkit::report
