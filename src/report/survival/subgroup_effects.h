#pragma once
// Text and JSON of `sirtkit subgroups`: the treatment hazard ratio within
// the levels of each --by column, overall, and the interaction test (the
// data of a forest plot).

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "stats/cox/cox_model.h"
#include "stats/survival/subgroup_analysis.h"

namespace sirtkit::report {

struct SubgroupsBy {
  std::string by;      // the --by column
  std::string effect;  // "arm=B vs A"
  std::size_t rows_dropped = 0;
  std::vector<std::string> levels;  // "by=level", one per analysis.levels entry
  stats::SubgroupAnalysis analysis;
  std::vector<std::string> new_warnings;  // warnings of its rows not already given by an earlier column
};

struct SubgroupEffects {
  std::string file;
  stats::Ties ties = stats::Ties::efron;
  double conf_level = 0.95;
  std::vector<SubgroupsBy> subgroups;
};

std::string subgroup_effects_text(const SubgroupEffects& s);
nlohmann::json subgroup_effects_json(const SubgroupEffects& s);

}  // namespace sirtkit::report
