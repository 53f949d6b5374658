#include "report/survival/cox_analysis.h"

#include <fmt/format.h>

#include <cmath>

#include "report/number_output.h"

namespace sirtkit::report {

namespace {

using nlohmann::json;

std::string fmt_num(double v, int digits = 4) {
  if (std::isnan(v)) return "NA";
  return fmt::format("{:.{}g}", v, digits);
}

json step_json(const CoxStepView& st) {
  json j;
  j["direction"] = st.direction;
  json path = json::array();
  for (const auto& s : st.path) path.push_back({{"step", s.action}, {"aic", s.aic}, {"terms", s.terms}});
  j["path"] = path;
  j["kept"] = st.kept;
  j["aic"] = st.aic;
  return j;
}

std::string step_text(const CoxStepView& st) {
  std::string s = "Stepwise AIC selection (" + st.direction + "):\n";
  for (const auto& p : st.path) {
    std::string list;
    for (const auto& m : p.terms) list += (list.empty() ? "" : " + ") + m;
    s += fmt::format("  {:<20} AIC {:.3f}  {}\n", p.action, p.aic, list.empty() ? "(no terms)" : list);
  }
  return s;
}

// The fields every cox result starts with: the input, the rows used, the options.
json head_json(const CoxAnalysis& c) {
  json j;
  j["command"] = "cox";
  j["file"] = c.file;
  j["rows_read"] = c.rows_read;
  j["rows_dropped"] = c.rows_dropped;
  j["ties"] = stats::ties_name(c.ties);
  j["stratified_by"] = c.strata.empty() ? json(nullptr) : json(c.strata);
  j["start"] = c.start_column.empty() ? json(nullptr) : json(c.start_column);
  j["weights"] = c.weights_column.empty() ? json(nullptr) : json(c.weights_column);
  j["n"] = c.n;
  j["nevent"] = c.nevent;
  j["conf_level"] = c.conf_level;
  j["warnings"] = c.warnings;
  if (c.stepwise) j["stepwise"] = step_json(*c.stepwise);
  return j;
}

json null_model_json(const CoxAnalysis& c) {
  json j = head_json(c);
  j["terms"] = json::array();
  for (const char* key : {"coef", "se", "z", "p", "hr", "hr_lower", "hr_upper"}) j[key] = json::array();
  j["loglik"] = {c.null_loglik, c.null_loglik};
  j["lr_test"] = {nullptr, 0, nullptr};
  j["wald_test"] = {nullptr, 0, nullptr};
  j["score_test"] = {nullptr, 0, nullptr};
  j["concordance"] = nullptr;
  j["concordance_se"] = nullptr;
  j["iterations"] = 0;
  j["converged"] = true;
  j["aic"] = c.stepwise->aic;
  j["cox_zph"] = nullptr;
  return j;
}

}  // namespace

nlohmann::json cox_json(const CoxAnalysis& c) {
  if (c.null_model) return null_model_json(c);
  const stats::CoxFit& fit = c.fit;
  json j = head_json(c);
  j["terms"] = c.terms;
  auto vec = [](const Eigen::VectorXd& v) { return json_array_or_null({v.data(), static_cast<std::size_t>(v.size())}); };
  j["coef"] = vec(fit.coef);
  j["se"] = vec(fit.se);
  j["z"] = vec(fit.z);
  j["p"] = vec(fit.p_value);
  j["hr"] = vec(fit.hr);
  j["hr_lower"] = vec(fit.hr_lower);
  j["hr_upper"] = vec(fit.hr_upper);
  if (fit.robust_se.size() > 0) j["robust_se"] = vec(fit.robust_se);
  j["loglik"] = {fit.loglik_init, fit.loglik};
  j["lr_test"] = {fit.lr_test, fit.df, fit.lr_p};
  j["wald_test"] = {fit.wald_test, fit.df, fit.wald_p};
  j["score_test"] = {fit.score_test, fit.df, fit.score_p};
  if (fit.robust_se.size() > 0) j["robust_score_test"] = {json_or_null(fit.robust_score_test), fit.df, json_or_null(fit.robust_score_p)};
  j["concordance"] = json_or_null(fit.concordance);
  j["concordance_se"] = json_or_null(c.concordance_se);
  j["iterations"] = fit.iterations;
  j["converged"] = fit.converged;
  j["aic"] = fit.aic();
  j["cox_zph"] = c.zph ? json{{"terms", c.zph_terms}, {"chisq", c.zph->chisq}, {"df", c.zph->df}, {"p", c.zph->p_value}} : json(nullptr);
  return j;
}

std::string cox_text(const CoxAnalysis& c) {
  std::string s = c.stepwise ? step_text(*c.stepwise) : "";
  if (c.null_model) {
    s += fmt::format("Null model (no terms kept); n = {}, events = {} ({} rows dropped for missing values)\n", c.n, c.nevent,
                     c.rows_dropped);
    return s + fmt::format("  log-likelihood {:.4f}; AIC {:.3f}\n", c.null_loglik, c.stepwise->aic);
  }
  const stats::CoxFit& fit = c.fit;
  const bool weighted = !c.weights_column.empty();
  s += fmt::format("Cox proportional hazards ({} ties{}); n = {}, events = {} ({} rows dropped for missing values)\n",
                   stats::ties_name(c.ties), c.strata.empty() ? "" : ", stratified by " + c.strata, fit.n, fit.nevent, c.rows_dropped);
  const bool rob = fit.robust_se.size() > 0;
  s += fmt::format("  {:<20} {:>10} {:>8} {:>9}{} {:>8} {:>9} {:>25}\n", "term", "coef", "HR", "se(coef)",
                   rob ? fmt::format(" {:>9}", "robust se") : "", "z", "p", fmt::format("HR {:g}% CI", c.conf_level * 100));
  for (Eigen::Index k = 0; k < fit.coef.size(); ++k)
    s += fmt::format("  {:<20} {:>10} {:>8} {:>9}{} {:>8} {:>9} {:>25}\n", c.terms[k], fmt_num(fit.coef(k)), fmt_num(fit.hr(k)),
                     fmt_num(fit.se(k)), rob ? fmt::format(" {:>9}", fmt_num(fit.robust_se(k))) : "", fmt_num(fit.z(k), 3),
                     table_p_value(fit.p_value(k)), fmt::format("({}, {})", fmt_num(fit.hr_lower(k)), fmt_num(fit.hr_upper(k))));
  if (weighted)
    s += fmt::format("  Case weights from {}{}; concordance not computed with case weights\n", c.weights_column,
                     rob ? " (robust variance: R's default for non-integer weights, or --robust/--cluster)" : "");
  else
    s += std::isfinite(c.concordance_se) ? fmt::format("  Concordance = {:.3f}  (se = {:.3f})\n", fit.concordance, c.concordance_se)
                                         : fmt::format("  Concordance = {:.3f}\n", fit.concordance);
  s += fmt::format("  Likelihood ratio test = {:.2f} on {} df, p = {}\n", fit.lr_test, fit.df, table_p_value(fit.lr_p));
  s += fmt::format("  Wald test             = {:.2f} on {} df, p = {}\n", fit.wald_test, fit.df, table_p_value(fit.wald_p));
  s += fmt::format("  Score (logrank) test  = {:.2f} on {} df, p = {}\n", fit.score_test, fit.df, table_p_value(fit.score_p));
  if (rob)
    s += fmt::format("  Robust score test     = {:.2f} on {} df, p = {}   (Wald test above from the robust variance)\n",
                     fit.robust_score_test, fit.df, table_p_value(fit.robust_score_p));
  s += fmt::format("  log-likelihood {:.4f} -> {:.4f} in {} iterations; AIC {:.3f}\n", fit.loglik_init, fit.loglik, fit.iterations,
                   fit.aic());
  s += "  Proportional hazards (cox.zph, km transform):";
  if (!c.zph)
    s += weighted ? " not computed with case weights\n" : " not available for exact ties with (start, stop] data (nor in R)\n";
  else
    for (std::size_t k = 0; k < c.zph->chisq.size(); ++k)
      s += fmt::format(" {} chisq {:.3f} ({} df) p {}{}", c.zph_terms[k], c.zph->chisq[k], c.zph->df[k],
                       table_p_value(c.zph->p_value[k]), k + 1 < c.zph_terms.size() ? ";" : "\n");
  for (const auto& w : c.warnings) s += "  warning: " + w + "\n";
  return s;
}

}  // namespace sirtkit::report
