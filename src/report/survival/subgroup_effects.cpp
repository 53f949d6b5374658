#include "report/survival/subgroup_effects.h"

#include <fmt/format.h>

#include <cmath>

#include "report/number_output.h"

namespace sirtkit::report {

namespace {

using nlohmann::json;

std::string fmt_num(double v) {
  if (std::isnan(v)) return "NA";
  return fmt::format("{:.{}g}", v, 4);
}

json effect_json(const stats::SubgroupEffect& e) {
  return json{{"n", e.n},          {"events", e.events},  {"estimable", e.estimable},
              {"coef", e.estimable ? json_or_null(e.coef) : json(nullptr)},
              {"se", e.estimable ? json_or_null(e.se) : json(nullptr)},
              {"hr", e.estimable ? json_or_null(e.hr) : json(nullptr)},
              {"hr_lower", e.estimable ? json_or_null(e.hr_lower) : json(nullptr)},
              {"hr_upper", e.estimable ? json_or_null(e.hr_upper) : json(nullptr)},
              {"p", e.estimable ? json_or_null(e.p_value) : json(nullptr)}};
}

std::string effect_text(const std::string& label, const stats::SubgroupEffect& e) {
  if (!e.estimable) return fmt::format("  {:<28} {:>5} {:>6}   not estimable\n", label, e.n, e.events);
  return fmt::format("  {:<28} {:>5} {:>6} {:>8} {:>20} {:>9}\n", label, e.n, e.events, fmt_num(e.hr),
                     fmt::format("({}, {})", fmt_num(e.hr_lower), fmt_num(e.hr_upper)), table_p_value(e.p_value));
}

}  // namespace

nlohmann::json subgroup_effects_json(const SubgroupEffects& s) {
  json j;
  j["command"] = "subgroups";
  j["file"] = s.file;
  j["ties"] = stats::ties_name(s.ties);
  j["conf_level"] = s.conf_level;
  j["subgroups"] = json::array();
  j["warnings"] = json::array();
  for (const auto& g : s.subgroups) {
    for (const auto& w : g.new_warnings) j["warnings"].push_back(w);
    json sj;
    sj["by"] = g.by;
    sj["effect"] = g.effect;
    sj["rows_dropped"] = g.rows_dropped;
    sj["levels"] = json::array();
    for (std::size_t l = 0; l < g.analysis.levels.size(); ++l) {
      json e = effect_json(g.analysis.levels[l]);
      e["level"] = g.levels[l];
      sj["levels"].push_back(e);
    }
    sj["overall"] = effect_json(g.analysis.overall);
    sj["interaction"] = {{"chisq", g.analysis.interaction_chisq}, {"df", g.analysis.interaction_df}, {"p", g.analysis.interaction_p}};
    j["subgroups"].push_back(sj);
  }
  return j;
}

std::string subgroup_effects_text(const SubgroupEffects& s) {
  std::string out;
  for (const auto& g : s.subgroups) {
    for (const auto& w : g.new_warnings) out += "  warning: " + w + "\n";
    out += fmt::format("Treatment effect {} within {} ({} rows dropped for missing values)\n", g.effect, g.by, g.rows_dropped);
    out += fmt::format("  {:<28} {:>5} {:>6} {:>8} {:>20} {:>9}\n", "subgroup", "n", "events", "HR",
                       fmt::format("{:g}% CI", s.conf_level * 100), "p");
    for (std::size_t l = 0; l < g.analysis.levels.size(); ++l) out += effect_text(g.levels[l], g.analysis.levels[l]);
    out += effect_text("overall", g.analysis.overall);
    out += fmt::format("  interaction (likelihood ratio): chisq {:.4f} on {} df, p = {}\n", g.analysis.interaction_chisq,
                       g.analysis.interaction_df, table_p_value(g.analysis.interaction_p));
  }
  return out;
}

}  // namespace sirtkit::report
