#include "pipelines/trial/propensity_analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.h"
#include "io/csv_table.h"
#include "pipelines/descriptive/csv_columns.h"
#include "pipelines/descriptive/number_output.h"
#include "core/csv_text.h"
#include "report/trial/love_plot_svg.h"
#include "stats/covariate_balance.h"
#include "stats/logistic_regression.h"
#include "stats/nearest_neighbour_matching.h"

namespace sirtkit::pipelines {

namespace {

using nlohmann::json;

struct Term {
  std::string name;
  std::vector<double> x;
};

// The columns of one analysis: the treatment, the model's design (R's
// treatment coding) and the balance terms (MatchIt's get.covs.matrix: every
// level of a text factor, the TRUE level of a logical column).
struct Frame {
  std::vector<int> treat;
  std::vector<Term> design, balance;
  std::size_t treated = 0;
};

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? sep : "") + v[i];
  return s;
}

bool listed(const std::vector<std::string>& v, const std::string& s) { return std::find(v.begin(), v.end(), s) != v.end(); }

std::string shown_value(const std::string& column, const std::string& value) {
  return is_identifier_column_name(column) ? std::string("(value withheld: identifier column)") : shown_level(value);
}

std::vector<int> read_treatment(const io::CsvTable& t, const std::string& name) {
  const std::size_t c = t.column_index(name);
  std::vector<int> treat(t.rows());
  std::size_t n1 = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    auto v = parse_finite_number(t.cell(r, c));
    if (!v)
      if (const auto b = parse_r_logical(t.cell(r, c))) v = *b ? 1.0 : 0.0;  // TRUE/FALSE, as MatchIt accepts a logical treatment
    if (!v || (*v != 0 && *v != 1))
      fail_input(where_row(t, r), name, is_missing_number_cell(t.cell(r, c)) ? "(missing)" : shown_value(name, t.cell(r, c)),
                 "the treatment: 0 (control) or 1 (treated) (or FALSE/TRUE), no missing values");
    treat[r] = static_cast<int>(*v);
    n1 += static_cast<std::size_t>(treat[r]);
  }
  if (n1 == 0 || n1 == t.rows())
    fail_input(t.source(), name, n1 == 0 ? "no row is 1" : "no row is 0", "both treated (1) and control (0) rows");
  return treat;
}

void refuse_missing(const io::CsvTable& t, std::size_t r, const std::string& column) {
  fail_input(where_row(t, r), column, "(missing)", "a value in every row (matching and propensity models refuse missing covariates, as MatchIt)");
}

// Adds a covariate's model and balance terms.
void add_covariate(const io::CsvTable& t, const std::string& name, bool force_factor, bool in_model, Frame& f) {
  const std::size_t c = t.column_index(name);
  if (!force_factor && column_is_numeric(t, c)) {
    const auto v = numeric_column(t, name);
    Term term{name, {}};
    for (std::size_t r = 0; r < v.size(); ++r) {
      if (!v[r]) refuse_missing(t, r, name);
      term.x.push_back(*v[r]);
    }
    if (std::all_of(term.x.begin(), term.x.end(), [&](double x) { return x == term.x.front(); }))
      fail_input(t.source(), name, "every row " + shown_value(name, t.cell(0, c)), "a covariate that varies");
    if (in_model) f.design.push_back(term);
    f.balance.push_back(std::move(term));
    return;
  }
  const auto col = categorical_column(t, name);
  for (std::size_t r = 0; r < col.code.size(); ++r)
    if (col.code[r] < 0) refuse_missing(t, r, name);
  if (col.levels.size() < 2)
    fail_input(t.source(), name, "every row " + shown_value(name, col.levels.empty() ? "" : col.levels[0]), "a covariate that varies");
  const bool logical = !col.text && column_is_logical(t, c);
  for (std::size_t l = 0; l < col.levels.size(); ++l) {
    Term term{name + col.levels[l], {}};
    for (int code : col.code) term.x.push_back(code == static_cast<int>(l) ? 1.0 : 0.0);
    if (in_model && l > 0) f.design.push_back(term);
    if (!logical || l > 0) f.balance.push_back(std::move(term));
  }
}

Frame read_frame(const io::CsvTable& t, const PropensityModelSpec& s, const std::vector<std::string>& extra_balance) {
  if (s.treatment.empty()) fail_input("options", "treatment", "(none)", "the 0/1 treatment column (--treatment)");
  if (s.covariates.empty()) fail_input("options", "covariates", "(none)", "at least one covariate (--covariates)");
  for (const auto& fc : s.factors)
    if (!listed(s.covariates, fc)) fail_input("options", "factor", fc, "one of the --covariates");
  Frame f;
  f.treat = read_treatment(t, s.treatment);
  for (int x : f.treat) f.treated += static_cast<std::size_t>(x);
  for (const auto& c : s.covariates) {
    if (c == s.treatment) fail_input("options", "covariates", c, "covariates other than the treatment column");
    add_covariate(t, c, listed(s.factors, c), true, f);
  }
  for (const auto& c : extra_balance)
    if (!listed(s.covariates, c)) add_covariate(t, c, false, false, f);
  return f;
}

struct Model {
  stats::LogisticFit fit;
  std::vector<std::string> terms;
};

Model fit_model(const io::CsvTable& t, const PropensityModelSpec& s, const Frame& f) {
  Eigen::MatrixXd x(static_cast<Eigen::Index>(f.treat.size()), static_cast<Eigen::Index>(f.design.size()));
  Model m;
  m.terms.push_back("(Intercept)");
  for (std::size_t j = 0; j < f.design.size(); ++j) {
    m.terms.push_back(f.design[j].name);
    for (std::size_t i = 0; i < f.treat.size(); ++i) x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = f.design[j].x[i];
  }
  m.fit = stats::logistic_regression(f.treat, x);
  const std::string covs = join(s.covariates, ", ");
  if (m.fit.rank_deficient)
    fail_input(t.source(), "covariates", covs, "covariates that are not collinear (a column or factor level is a combination of others)");
  if (m.fit.separated) {
    // Name a single design column that separates the arms on its own, when there is one.
    std::string culprit;
    for (const auto& term : f.design) {
      double max0 = -INFINITY, min0 = INFINITY, max1 = -INFINITY, min1 = INFINITY;
      for (std::size_t i = 0; i < f.treat.size(); ++i) {
        (f.treat[i] ? max1 : max0) = std::max(f.treat[i] ? max1 : max0, term.x[i]);
        (f.treat[i] ? min1 : min0) = std::min(f.treat[i] ? min1 : min0, term.x[i]);
      }
      if (max0 <= min1 || max1 <= min0) {
        culprit = term.name;
        break;
      }
    }
    fail_input(t.source(), culprit.empty() ? "covariates" : culprit, culprit.empty() ? covs : "separates the arms",
               "no perfect separation of " + s.treatment +
                   " (fitted propensities of 0 or 1: a covariate or combination predicts the treatment exactly; drop or merge it)");
  }
  return m;
}

json model_json(const Model& m) {
  return {{"terms", m.terms},
          {"coef", std::vector<double>(m.fit.coef.data(), m.fit.coef.data() + m.fit.coef.size())},
          {"se", std::vector<double>(m.fit.se.data(), m.fit.se.data() + m.fit.se.size())},
          {"deviance", m.fit.deviance},
          {"null_deviance", m.fit.null_deviance},
          {"iterations", m.fit.iterations},
          {"converged", m.fit.converged}};
}

struct BalanceTable {
  std::vector<std::string> terms;
  std::vector<stats::BalanceRow> before, after;
};

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
  std::vector<report::LovePlotRow> rows;
  for (std::size_t k = 0; k < b.terms.size(); ++k) rows.push_back({b.terms[k], b.before[k].smd, b.after[k].smd});
  report::LovePlotOptions o;
  o.title = title;
  o.after_label = after_label;
  return report::love_plot_svg(rows, o);
}

// The input rows `rows` with extra named numeric columns (NaN written as NA).
std::string cohort_csv(const io::CsvTable& t, const std::vector<std::size_t>& rows,
                       const std::vector<std::pair<std::string, std::vector<double>>>& extra) {
  std::vector<std::string> header = t.header();
  for (const auto& [name, v] : extra) header.push_back(name);
  std::string out = csv_line(header);
  for (std::size_t r : rows) {
    std::vector<std::string> fields;
    for (std::size_t c = 0; c < t.columns(); ++c) fields.push_back(t.cell(r, c));
    for (const auto& [name, v] : extra) fields.push_back(csv_number(v[r]));
    out += csv_line(fields);
  }
  return out;
}

void refuse_output_column_clash(const io::CsvTable& t, const std::vector<std::string>& names) {
  for (const auto& n : names)
    if (t.has_column(n))
      fail_input(t.source(), n, "(an input column)", "no column named " + n + ": sirtkit adds it to the output cohort; rename it");
}

std::vector<double> column_of(const Eigen::VectorXd& v) { return std::vector<double>(v.data(), v.data() + v.size()); }


// Exact strata: the combination of the exact columns' labels, coded 0, 1, ... (empty without exact columns).
std::vector<int> exact_strata(const io::CsvTable& table, const std::vector<std::string>& columns, std::size_t n) {
  std::vector<int> exact;
  if (columns.empty()) return exact;
  std::vector<std::vector<std::optional<std::string>>> labels;
  for (const auto& e : columns) {
    labels.push_back(categorical_labels(table, table.column_index(e)));
    for (std::size_t r = 0; r < n; ++r)
      if (!labels.back()[r]) refuse_missing(table, r, e);
  }
  std::map<std::vector<std::string>, int> codes;
  for (std::size_t r = 0; r < n; ++r) {
    std::vector<std::string> key;
    for (const auto& l : labels) key.push_back(*l[r]);
    exact.push_back(codes.emplace(key, static_cast<int>(codes.size())).first->second);
  }
  return exact;
}

// How the MatchIt 4.5.1 rule departs from true nearest neighbours on these data.
struct RuleDifference {
  std::size_t different_controls = 0;  // treated units whose controls differ from the exact rule's
  std::size_t repeated_controls = 0;   // treated units given the same control more than once
  std::size_t pairs_outside_caliper = 0, exact_unmatched_treated = 0;
};

RuleDifference rule_differences(const Frame& f, const std::vector<double>& distance, const std::vector<int>& exact,
                                const stats::NearestNeighbourOptions& o, const stats::NearestNeighbourMatch& match) {
  RuleDifference diff;
  if (!o.matchit_451) return diff;
  stats::NearestNeighbourOptions e = o;
  e.matchit_451 = false;
  const auto true_nn = stats::nearest_neighbour_match(f.treat, distance, exact, e);
  for (std::size_t t = 0; t < match.treated.size(); ++t) {
    diff.different_controls += match.matches[t] != true_nn.matches[t] ? 1 : 0;
    auto sorted = match.matches[t];
    std::sort(sorted.begin(), sorted.end());
    diff.repeated_controls += std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end() ? 1 : 0;
    if (o.caliper)
      for (std::size_t c : match.matches[t])
        diff.pairs_outside_caliper += std::fabs(distance[match.treated[t]] - distance[c]) > *o.caliper ? 1 : 0;
  }
  diff.exact_unmatched_treated = f.treated - true_nn.matched_treated;
  return diff;
}

// Kish's effective sample size of a set of weights, (sum w)^2 / sum w^2.
double effective_sample_size(const std::vector<double>& w) {
  double s = 0, s2 = 0;
  for (double x : w) {
    s += x;
    s2 += x * x;
  }
  return s2 > 0 ? s * s / s2 : 0.0;
}

// The warnings of a match: no convergence, unmatched or short sets, and where the
// MatchIt 4.5.1 rule departs from true nearest neighbours.
nlohmann::json match_warnings(const MatchRequest& rq, const Frame& f, const Model& m, const stats::NearestNeighbourOptions& o,
                              const stats::NearestNeighbourMatch& match, const RuleDifference& diff) {
  json warnings = json::array();
  if (!m.fit.converged) warnings.push_back("the propensity model did not converge in 25 iterations (glm's limit)");
  if (match.matched_treated < f.treated)
    warnings.push_back(fmt::format("{} of {} treated rows have no match", f.treated - match.matched_treated, f.treated));
  else if (rq.ratio > 1) {
    std::size_t short_sets = 0;
    for (const auto& mm : match.matches) short_sets += mm.size() < static_cast<std::size_t>(rq.ratio) ? 1 : 0;
    if (short_sets) warnings.push_back(fmt::format("{} treated rows have fewer than {} matches", short_sets, rq.ratio));
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
        diff.pairs_outside_caliper, *o.caliper, diff.exact_unmatched_treated, f.treated));
  return warnings;
}

// Balance of the distance and each term, before and after matching (SD of the treated arm).
BalanceTable matched_balance(const Frame& f, const std::vector<double>& distance, const stats::NearestNeighbourMatch& match) {
  std::vector<stats::MatchedPair> pairs;
  for (std::size_t t = 0; t < match.treated.size(); ++t)
    for (std::size_t c : match.matches[t]) pairs.push_back({match.treated[t], c});
  BalanceTable b;
  b.terms.push_back("distance");
  b.before.push_back(stats::balance_row(distance, f.treat, {}, stats::SdDenominator::treated));
  b.after.push_back(stats::balance_row(distance, f.treat, match.weights, stats::SdDenominator::treated, pairs));
  for (const auto& term : f.balance) {
    b.terms.push_back(term.name);
    b.before.push_back(stats::balance_row(term.x, f.treat, {}, stats::SdDenominator::treated));
    b.after.push_back(stats::balance_row(term.x, f.treat, match.weights, stats::SdDenominator::treated, pairs));
  }
  return b;
}

// Each treated row with its controls, by file line and by row number.
nlohmann::json matches_json(const io::CsvTable& table, const stats::NearestNeighbourMatch& match) {
  json matches = json::array();
  for (std::size_t t = 0; t < match.treated.size(); ++t) {
    json lines = json::array(), rows = json::array();
    for (std::size_t c : match.matches[t]) {
      lines.push_back(table.line_of_row(c));
      rows.push_back(c + 1);
    }
    matches.push_back({{"treated_line", table.line_of_row(match.treated[t])},
                       {"treated_row", match.treated[t] + 1},
                       {"control_lines", lines},
                       {"control_rows", rows}});
  }
  return matches;
}

// Per row of the file: its line, distance, matching weight and subclass (null when unmatched).
nlohmann::json rows_json(const io::CsvTable& table, const std::vector<double>& distance, const stats::NearestNeighbourMatch& match) {
  json lines = json::array(), subclass = json::array();
  for (std::size_t i = 0; i < distance.size(); ++i) {
    lines.push_back(table.line_of_row(i));
    subclass.push_back(match.subclass[i] > 0 ? json(match.subclass[i]) : json(nullptr));
  }
  return {{"line", lines}, {"distance", distance}, {"weights", match.weights}, {"subclass", subclass}};
}

}  // namespace

PropensityOutput run_match(const MatchRequest& rq) {
  if (rq.ratio < 1) fail_input("options", "ratio", std::to_string(rq.ratio), "an integer >= 1");
  if (rq.caliper_sd && !(*rq.caliper_sd > 0 && std::isfinite(*rq.caliper_sd)))
    fail_input("options", "caliper", fmt::format("{}", *rq.caliper_sd), "a positive number of standard deviations");
  const auto table = io::CsvTable::read(rq.model.csv, rq.model.encoding);
  refuse_output_column_clash(table, {"distance", "weights", "subclass"});
  for (const auto& e : rq.exact)
    if (e == rq.model.treatment) fail_input("options", "exact", e, "columns other than the treatment");
  const Frame f = read_frame(table, rq.model, rq.exact);
  const Model m = fit_model(table, rq.model, f);
  const std::size_t n = f.treat.size();
  const std::vector<double> distance = column_of(rq.distance == MatchDistance::logit ? m.fit.linear : m.fit.fitted);

  // Exact strata: the combination of the exact columns' labels.
  const std::vector<int> exact = exact_strata(table, rq.exact, n);
  stats::NearestNeighbourOptions o;
  o.ratio = rq.ratio;
  o.replace = rq.replace;
  o.matchit_451 = rq.rule == MatchRule::matchit_451;
  double sd = 0;
  if (rq.caliper_sd) {
    // std.caliper = TRUE: the caliper times sd(distance) over every unit (n - 1 denominator).
    double mean = 0;
    for (double d : distance) mean += d / static_cast<double>(n);
    for (double d : distance) sd += (d - mean) * (d - mean);
    sd = std::sqrt(sd / static_cast<double>(n - 1));
    o.caliper = *rq.caliper_sd * sd;
  }
  const auto match = stats::nearest_neighbour_match(f.treat, distance, exact, o);

  const RuleDifference diff = rule_differences(f, distance, exact, o, match);

  const BalanceTable b = matched_balance(f, distance, match);

  PropensityOutput po;
  json& j = po.analysis.json;
  const std::string dist_name = rq.distance == MatchDistance::logit ? "logit of the propensity score" : "propensity score";
  j["command"] = "match";
  j["file"] = rq.model.csv.string();
  j["treatment"] = rq.model.treatment;
  j["covariates"] = rq.model.covariates;
  j["exact"] = rq.exact;
  j["method"] = {{"distance", rq.distance == MatchDistance::logit ? "logit" : "propensity"},
                 {"ratio", rq.ratio},
                 {"replace", rq.replace},
                 {"order", rq.replace ? "data" : "largest"},
                 {"caliper_sd", rq.caliper_sd ? json(*rq.caliper_sd) : json(nullptr)},
                 {"caliper", rq.caliper_sd ? json(*o.caliper) : json(nullptr)},
                 {"distance_sd", rq.caliper_sd ? json(sd) : json(nullptr)},
                 {"rule", o.matchit_451 ? "matchit-4.5.1" : "exact"}};
  if (o.matchit_451)
    j["rule_differences"] = {{"treated_with_different_controls", diff.different_controls},
                             {"treated_with_repeated_control", diff.repeated_controls},
                             {"pairs_outside_caliper", o.caliper ? json(diff.pairs_outside_caliper) : json(nullptr)},
                             {"unmatched_treated_with_rule_exact", diff.exact_unmatched_treated}};
  j["model"] = model_json(m);
  std::size_t n0 = n - f.treated;
  std::vector<double> w1, w0;
  for (std::size_t i = 0; i < n; ++i) (f.treat[i] ? w1 : w0).push_back(match.weights[i]);
  const auto ess = effective_sample_size;
  j["n"] = {{"all_treated", f.treated},
            {"all_control", n0},
            {"matched_treated", match.matched_treated},
            {"matched_control", match.matched_control},
            {"unmatched_treated", f.treated - match.matched_treated},
            {"unmatched_control", n0 - match.matched_control},
            {"ess_treated", ess(w1)},
            {"ess_control", ess(w0)}};
  j["matches"] = matches_json(table, match);
  j["rows"] = rows_json(table, distance, match);
  j["balance_all"] = balance_json(b, false, false);
  j["balance_matched"] = balance_json(b, true, true);
  j["warnings"] = match_warnings(rq, f, m, o, match, diff);

  std::string& s = po.analysis.text;
  s = fmt::format("Nearest-neighbour matching ({}) on the {} (logistic regression of {} on {}), 1:{} {} replacement{}{}\n",
                  o.matchit_451 ? "rule matchit-4.5.1, as the installed MatchIt 4.5.1" : "rule exact, true nearest neighbours", dist_name,
                  rq.model.treatment, join(rq.model.covariates, ", "), rq.ratio, rq.replace ? "with" : "without",
                  rq.exact.empty() ? "" : ", exact on " + join(rq.exact, ", "),
                  rq.caliper_sd ? fmt::format(", caliper {} SD = {:.6g}", *rq.caliper_sd, *o.caliper) : std::string());
  s += fmt::format("  {:<12} {:>9} {:>9}\n", "", "control", "treated");
  s += fmt::format("  {:<12} {:>9} {:>9}\n", "all", n0, f.treated);
  s += fmt::format("  {:<12} {:>9} {:>9}\n", "matched", match.matched_control, match.matched_treated);
  s += fmt::format("  {:<12} {:>9.1f} {:>9.1f}\n", "matched ESS", ess(w0), ess(w1));
  s += fmt::format("  {:<12} {:>9} {:>9}\n", "unmatched", n0 - match.matched_control, f.treated - match.matched_treated);
  s += balance_text(b, "matched", "the treated arm's SD");
  for (const auto& w : j["warnings"]) s += "  warning: " + w.get<std::string>() + "\n";

  std::vector<std::size_t> kept;
  std::vector<double> sub(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (match.weights[i] > 0) kept.push_back(i);
    sub[i] = match.subclass[i] > 0 ? match.subclass[i] : NAN;
  }
  std::vector<std::pair<std::string, std::vector<double>>> extra{{"distance", distance}, {"weights", match.weights}};
  if (!rq.replace) extra.emplace_back("subclass", sub);
  po.cohort_csv = cohort_csv(table, kept, extra);
  po.love_plot_svg = love_plot(b, "Covariate balance: " + rq.model.treatment + ", all and matched", "Matched");
  return po;
}

PropensityOutput run_iptw(const IptwRequest& rq) {
  const auto table = io::CsvTable::read(rq.model.csv, rq.model.encoding);
  refuse_output_column_clash(table, {"propensity", "weights"});
  const Frame f = read_frame(table, rq.model, {});
  const Model m = fit_model(table, rq.model, f);
  const std::vector<double> e = column_of(m.fit.fitted);
  const auto w = stats::propensity_weights(f.treat, e, rq.estimand, rq.stabilised);
  const auto den = rq.estimand == stats::Estimand::ate ? stats::SdDenominator::pooled : stats::SdDenominator::treated;
  BalanceTable b;
  b.terms.push_back("distance");
  b.before.push_back(stats::balance_row(e, f.treat, {}, den));
  b.after.push_back(stats::balance_row(e, f.treat, w, den));
  for (const auto& term : f.balance) {
    b.terms.push_back(term.name);
    b.before.push_back(stats::balance_row(term.x, f.treat, {}, den));
    b.after.push_back(stats::balance_row(term.x, f.treat, w, den));
  }
  PropensityOutput po;
  json& j = po.analysis.json;
  const std::string est = rq.estimand == stats::Estimand::ate ? "ate" : "att";
  j["command"] = "iptw";
  j["file"] = rq.model.csv.string();
  j["treatment"] = rq.model.treatment;
  j["covariates"] = rq.model.covariates;
  j["estimand"] = est;
  j["stabilised"] = rq.stabilised;
  j["model"] = model_json(m);
  const double ess1 = stats::effective_sample_size(f.treat, w, 1), ess0 = stats::effective_sample_size(f.treat, w, 0);
  const auto [wmin, wmax] = std::minmax_element(w.begin(), w.end());
  j["n"] = {{"treated", f.treated}, {"control", f.treat.size() - f.treated}, {"ess_treated", ess1}, {"ess_control", ess0}};
  j["weights_range"] = {*wmin, *wmax};
  json lines = json::array();
  for (std::size_t i = 0; i < f.treat.size(); ++i) lines.push_back(table.line_of_row(i));
  j["rows"] = {{"line", lines}, {"propensity", e}, {"weights", w}};
  j["balance_all"] = balance_json(b, false, false);
  j["balance_weighted"] = balance_json(b, true, false);
  j["warnings"] = json::array();
  if (!m.fit.converged) j["warnings"].push_back("the propensity model did not converge in 25 iterations (glm's limit)");

  std::string& s = po.analysis.text;
  s = fmt::format("Inverse probability of treatment weights ({}{}) from the propensity score (logistic regression of {} on {})\n",
                  rq.estimand == stats::Estimand::ate ? "ATE" : "ATT", rq.stabilised ? ", stabilised" : "", rq.model.treatment,
                  join(rq.model.covariates, ", "));
  s += fmt::format("  rows: {} treated, {} control; weights from {:.4g} to {:.4g}; effective sample size: treated {:.1f}, control {:.1f}\n",
                   f.treated, f.treat.size() - f.treated, *wmin, *wmax, ess1, ess0);
  s += balance_text(b, "weighted",
                    rq.estimand == stats::Estimand::ate ? "the pooled SD of the two arms" : "the treated arm's SD");
  for (const auto& x : j["warnings"]) s += "  warning: " + x.get<std::string>() + "\n";
  std::vector<std::size_t> all(f.treat.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  po.cohort_csv = cohort_csv(table, all, {{"propensity", e}, {"weights", w}});
  po.love_plot_svg = love_plot(b, "Covariate balance: " + rq.model.treatment + ", all and weighted", "Weighted");
  return po;
}

}  // namespace sirtkit::pipelines
