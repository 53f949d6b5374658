#include "report/survival/univariable_screen.h"

#include <fmt/format.h>

#include "report/number_output.h"

namespace sirtkit::report {

namespace {

using nlohmann::json;

json screen_json(const UnivariableAnalysis& u) {
  json rows = json::array();
  for (const auto& c : u.screen.candidates) {
    json terms = json::array();
    for (const auto& t : c.terms)
      terms.push_back({{"term", t.term}, {"coef", json_or_null(t.coef)}, {"se", json_or_null(t.se)},
                       {"hr", json_or_null(t.hr)}, {"hr_lower", json_or_null(t.hr_lower)},
                       {"hr_upper", json_or_null(t.hr_upper)}, {"wald_p", json_or_null(t.wald_p)}});
    rows.push_back({{"covariate", c.covariate}, {"n", c.n}, {"nevent", c.nevent}, {"rows_dropped", c.rows_dropped},
                    {"terms", terms}, {"lr_test", c.lr_test}, {"df", c.df}, {"lr_p", json_or_null(c.lr_p)},
                    {"passes", c.passes},
                    {"not_fitted", c.not_fitted.empty() ? json(nullptr) : json(c.not_fitted)}});
  }
  return {{"screen_p", u.screen_p}, {"test", "likelihood ratio"}, {"candidates", rows}, {"selected", u.screen.selected}};
}

std::string screen_text(const UnivariableAnalysis& u) {
  std::string t = fmt::format("Univariable Cox models ({} ties); screen: likelihood-ratio p < {:g}\n", stats::ties_name(u.ties),
                              u.screen_p);
  t += fmt::format("  {:<22} {:>5} {:>6} {:>8} {:>22} {:>9} {:>9}  {}\n", "term", "n", "events", "HR",
                   fmt::format("{:g}% CI", u.conf_level * 100), "Wald p", "LR p", "screen");
  for (const auto& c : u.screen.candidates) {
    if (!c.not_fitted.empty()) {
      t += fmt::format("  {:<22} not fitted: {}\n", c.covariate, c.not_fitted);
      continue;
    }
    for (std::size_t k = 0; k < c.terms.size(); ++k) {
      const auto& r = c.terms[k];
      const bool first = k == 0;
      t += fmt::format("  {:<22} {:>5} {:>6} {:>8.4g} {:>22} {:>9} {:>9}  {}\n", r.term, first ? std::to_string(c.n) : "",
                       first ? std::to_string(c.nevent) : "", r.hr, fmt::format("({:.4g}, {:.4g})", r.hr_lower, r.hr_upper),
                       table_p_value(r.wald_p), first ? table_p_value(c.lr_p) : "", first ? (c.passes ? "pass" : "-") : "");
    }
  }
  std::string list;
  for (const auto& v : u.screen.selected) list += (list.empty() ? "" : ", ") + v;
  t += "  selected: " + (list.empty() ? std::string("(none)") : list) + "\n";
  return t;
}

}  // namespace

nlohmann::json univariable_json(const UnivariableAnalysis& u) {
  json j;
  j["command"] = "cox-univariable";
  j["file"] = u.file;
  j["univariable"] = screen_json(u);
  if (u.multivariable_asked) j["multivariable"] = u.multivariable ? cox_json(*u.multivariable) : json(nullptr);
  return j;
}

std::string univariable_text(const UnivariableAnalysis& u) {
  std::string t = screen_text(u);
  if (!u.multivariable_asked) return t;
  if (!u.multivariable) return t + "No candidate passed the screen: no multivariable model.\n";
  return t + "\nMultivariable model of the selected covariates:\n" + cox_text(*u.multivariable);
}

}  // namespace sirtkit::report
