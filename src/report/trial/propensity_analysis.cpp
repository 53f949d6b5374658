#include "report/trial/propensity_analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "report/number_output.h"
#include "report/trial/love_plot_svg.h"

namespace sirtkit::report {
namespace {

using nlohmann::json;

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

json model_json(const PropensityModelFit& m) {
  return {{"terms", m.terms},       {"coef", m.coef},   {"se", m.se}, {"deviance", m.deviance}, {"null_deviance", m.null_deviance},
          {"iterations", m.iterations}, {"converged", m.converged}};
}

json balance_json(const BalanceTable& b, bool after, bool pairs) {
  json a = json::array();
  const auto& rows = after ? b.after : b.before;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const auto& r = rows[k];
    json j = {{"term", b.terms[k]},
              {"means_treated", json_or_null(r.mean_treated)},
              {"means_control", json_or_null(r.mean_control)},
              {"smd", json_or_null(r.smd)},
              {"variance_ratio", json_or_null(r.variance_ratio)},
              {"ecdf_mean", json_or_null(r.ecdf_mean)},
              {"ecdf_max", json_or_null(r.ecdf_max)}};
    if (pairs) j["pair_distance"] = json_or_null(r.pair_distance);
    a.push_back(j);
  }
  return a;
}

std::string num(double v, int digits = 4) { return std::isfinite(v) ? fmt::format("{:.{}f}", v, digits) : std::string("."); }

std::string balance_text(const BalanceTable& b, const std::string& after_name, const std::string& denominator) {
  std::size_t w = 8;
  for (const auto& t : b.terms) w = std::max(w, t.size());
  std::string s = fmt::format("Balance (standardised mean difference over {}):\n", denominator);
  s += fmt::format("  {:<{}} {:>10} {:>10} {:>8} {:>8} {:>8} | {:>10} {:>10} {:>8} {:>8} {:>8}\n", "", w, "mean T", "mean C", "SMD",
                   "var rat", "eCDF max", "mean T", "mean C", "SMD", "var rat", "eCDF max");
  s += fmt::format("  {:<{}} {:^48} | {:^48}\n", "", w, "all", after_name);
  for (std::size_t k = 0; k < b.terms.size(); ++k) {
    const auto& x = b.before[k];
    const auto& y = b.after[k];
    s += fmt::format("  {:<{}} {:>10} {:>10} {:>8} {:>8} {:>8} | {:>10} {:>10} {:>8} {:>8} {:>8}\n", b.terms[k], w, num(x.mean_treated),
                     num(x.mean_control), num(x.smd), num(x.variance_ratio), num(x.ecdf_max), num(y.mean_treated),
                     num(y.mean_control), num(y.smd), num(y.variance_ratio), num(y.ecdf_max));
  }
  return s;
}

std::string love_plot(const BalanceTable& b, const std::string& title, const std::string& after_label) {
  std::vector<LovePlotRow> rows;
  for (std::size_t k = 0; k < b.terms.size(); ++k) rows.push_back({b.terms[k], b.before[k].smd, b.after[k].smd});
  LovePlotOptions o;
  o.title = title;
  o.after_label = after_label;
  return love_plot_svg(rows, o);
}

constexpr const char* no_convergence = "the propensity model did not converge in 25 iterations (glm's limit)";

// Each treated row with its controls, by file line and by row number.
json matches_json(const MatchAnalysis& m) {
  json matches = json::array();
  for (std::size_t t = 0; t < m.match.treated.size(); ++t) {
    json lines = json::array(), rows = json::array();
    for (std::size_t c : m.match.matches[t]) {
      lines.push_back(m.lines[c]);
      rows.push_back(c + 1);
    }
    matches.push_back({{"treated_line", m.lines[m.match.treated[t]]},
                       {"treated_row", m.match.treated[t] + 1},
                       {"control_lines", lines},
                       {"control_rows", rows}});
  }
  return matches;
}

// Per row of the file: its line, distance, matching weight and subclass (null when unmatched).
json rows_json(const MatchAnalysis& m) {
  json subclass = json::array();
  for (std::size_t i = 0; i < m.distance.size(); ++i) subclass.push_back(m.match.subclass[i] > 0 ? json(m.match.subclass[i]) : json(nullptr));
  return {{"line", m.lines}, {"distance", m.distance}, {"weights", m.match.weights}, {"subclass", subclass}};
}

json match_method_json(const MatchAnalysis& m) {
  return {{"distance", m.logit_distance ? "logit" : "propensity"},
          {"ratio", m.ratio},
          {"replace", m.replace},
          {"order", m.replace ? "data" : "largest"},
          {"caliper_sd", m.caliper_sd ? json(*m.caliper_sd) : json(nullptr)},
          {"caliper", m.caliper_sd ? json(m.caliper) : json(nullptr)},
          {"distance_sd", m.caliper_sd ? json(m.distance_sd) : json(nullptr)},
          {"rule", m.matchit_451 ? "matchit-4.5.1" : "exact"}};
}

}  // namespace

std::vector<std::string> match_warnings(const MatchAnalysis& m) {
  std::vector<std::string> warnings;
  const auto& match = m.match;
  const auto& diff = m.differences;
  if (!m.model.converged) warnings.push_back(no_convergence);
  if (match.matched_treated < m.treated)
    warnings.push_back(fmt::format("{} of {} treated rows have no match", m.treated - match.matched_treated, m.treated));
  else if (m.ratio > 1) {
    std::size_t short_sets = 0;
    for (const auto& mm : match.matches) short_sets += mm.size() < static_cast<std::size_t>(m.ratio) ? 1 : 0;
    if (short_sets) warnings.push_back(fmt::format("{} treated rows have fewer than {} matches", short_sets, m.ratio));
  }
  if (diff.different_controls > 0)
    warnings.push_back(fmt::format(
        "{} of {} matched treated units got a different control than true nearest-neighbour matching gives: the default "
        "rule reproduces the installed MatchIt 4.5.1, which truncates distance differences to integers (MatchIt issue "
        "#163, fixed in 4.5.4){}; --rule exact gives true nearest neighbours",
        diff.different_controls, match.matched_treated,
        diff.repeated_controls ? fmt::format(", and {} of them got the same control more than once", diff.repeated_controls)
                               : std::string()));
  if (diff.pairs_outside_caliper > 0)
    warnings.push_back(fmt::format(
        "{} matched pairs are farther apart than the caliper ({:.6g}) and would be excluded by true caliper matching "
        "(the MatchIt 4.5.1 rule applies the caliper to whole distance units only); with --rule exact {} of {} treated "
        "units are unmatched",
        diff.pairs_outside_caliper, m.caliper, diff.exact_unmatched_treated, m.treated));
  return warnings;
}

nlohmann::json match_json(const MatchAnalysis& m) {
  json j;
  j["command"] = "match";
  j["file"] = m.file;
  j["treatment"] = m.treatment;
  j["covariates"] = m.covariates;
  j["exact"] = m.exact;
  j["method"] = match_method_json(m);
  if (m.matchit_451)
    j["rule_differences"] = {{"treated_with_different_controls", m.differences.different_controls},
                             {"treated_with_repeated_control", m.differences.repeated_controls},
                             {"pairs_outside_caliper", m.caliper_sd ? json(m.differences.pairs_outside_caliper) : json(nullptr)},
                             {"unmatched_treated_with_rule_exact", m.differences.exact_unmatched_treated}};
  j["model"] = model_json(m.model);
  j["n"] = {{"all_treated", m.treated},
            {"all_control", m.control},
            {"matched_treated", m.match.matched_treated},
            {"matched_control", m.match.matched_control},
            {"unmatched_treated", m.treated - m.match.matched_treated},
            {"unmatched_control", m.control - m.match.matched_control},
            {"ess_treated", m.ess_treated},
            {"ess_control", m.ess_control}};
  j["matches"] = matches_json(m);
  j["rows"] = rows_json(m);
  j["balance_all"] = balance_json(m.balance, false, false);
  j["balance_matched"] = balance_json(m.balance, true, true);
  j["warnings"] = match_warnings(m);
  return j;
}

std::string match_text(const MatchAnalysis& m) {
  const auto& match = m.match;
  std::string s = fmt::format("Nearest-neighbour matching ({}) on the {} (logistic regression of {} on {}), 1:{} {} replacement{}{}\n",
                              m.matchit_451 ? "rule matchit-4.5.1, as the installed MatchIt 4.5.1" : "rule exact, true nearest neighbours",
                              m.logit_distance ? "logit of the propensity score" : "propensity score", m.treatment, join(m.covariates, ", "),
                              m.ratio, m.replace ? "with" : "without", m.exact.empty() ? "" : ", exact on " + join(m.exact, ", "),
                              m.caliper_sd ? fmt::format(", caliper {} SD = {:.6g}", *m.caliper_sd, m.caliper) : std::string());
  s += fmt::format("  {:<12} {:>9} {:>9}\n", "", "control", "treated");
  s += fmt::format("  {:<12} {:>9} {:>9}\n", "all", m.control, m.treated);
  s += fmt::format("  {:<12} {:>9} {:>9}\n", "matched", match.matched_control, match.matched_treated);
  s += fmt::format("  {:<12} {:>9.1f} {:>9.1f}\n", "matched ESS", m.ess_control, m.ess_treated);
  s += fmt::format("  {:<12} {:>9} {:>9}\n", "unmatched", m.control - match.matched_control, m.treated - match.matched_treated);
  s += balance_text(m.balance, "matched", "the treated arm's SD");
  for (const auto& w : match_warnings(m)) s += "  warning: " + w + "\n";
  return s;
}

std::string match_love_plot_svg(const MatchAnalysis& m) {
  return love_plot(m.balance, "Covariate balance: " + m.treatment + ", all and matched", "Matched");
}

nlohmann::json iptw_json(const IptwAnalysis& w) {
  json j;
  j["command"] = "iptw";
  j["file"] = w.file;
  j["treatment"] = w.treatment;
  j["covariates"] = w.covariates;
  j["estimand"] = w.att ? "att" : "ate";
  j["stabilised"] = w.stabilised;
  j["model"] = model_json(w.model);
  j["n"] = {{"treated", w.treated}, {"control", w.control}, {"ess_treated", w.ess_treated}, {"ess_control", w.ess_control}};
  j["weights_range"] = {w.weight_min, w.weight_max};
  j["rows"] = {{"line", w.lines}, {"propensity", w.propensity}, {"weights", w.weights}};
  j["balance_all"] = balance_json(w.balance, false, false);
  j["balance_weighted"] = balance_json(w.balance, true, false);
  j["warnings"] = json::array();
  if (!w.model.converged) j["warnings"].push_back(no_convergence);
  return j;
}

std::string iptw_text(const IptwAnalysis& w) {
  std::string s = fmt::format("Inverse probability of treatment weights ({}{}) from the propensity score (logistic regression of {} on {})\n",
                              w.att ? "ATT" : "ATE", w.stabilised ? ", stabilised" : "", w.treatment, join(w.covariates, ", "));
  s += fmt::format("  rows: {} treated, {} control; weights from {:.4g} to {:.4g}; effective sample size: treated {:.1f}, control {:.1f}\n",
                   w.treated, w.control, w.weight_min, w.weight_max, w.ess_treated, w.ess_control);
  s += balance_text(w.balance, "weighted", w.att ? "the treated arm's SD" : "the pooled SD of the two arms");
  if (!w.model.converged) s += std::string("  warning: ") + no_convergence + "\n";
  return s;
}

std::string iptw_love_plot_svg(const IptwAnalysis& w) {
  return love_plot(w.balance, "Covariate balance: " + w.treatment + ", all and weighted", "Weighted");
}

}  // namespace sirtkit::report
