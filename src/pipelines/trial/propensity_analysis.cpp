#include "pipelines/trial/propensity_analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/error.h"
#include "io/text_formats/csv_table.h"
#include "pipelines/descriptive/csv_columns.h"
#include "core/csv_text.h"
#include "stats/matching/covariate_balance.h"
#include "stats/matching/logistic_regression.h"
#include "stats/matching/nearest_neighbour_matching.h"

namespace sirtkit::pipelines {

namespace {

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

report::PropensityModelFit model_fit(const Model& m) {
  return {m.terms,
          std::vector<double>(m.fit.coef.data(), m.fit.coef.data() + m.fit.coef.size()),
          std::vector<double>(m.fit.se.data(), m.fit.se.data() + m.fit.se.size()),
          m.fit.deviance,
          m.fit.null_deviance,
          m.fit.iterations,
          m.fit.converged};
}

using report::BalanceTable;

// The file line of each row.
std::vector<std::size_t> row_lines(const io::CsvTable& table, std::size_t n) {
  std::vector<std::size_t> lines;
  for (std::size_t i = 0; i < n; ++i) lines.push_back(table.line_of_row(i));
  return lines;
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

using RuleDifference = report::MatchRuleDifference;

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

}  // namespace

namespace {

// std.caliper = TRUE: the SD of the distance over every unit (n - 1 denominator).
double distance_sd(const std::vector<double>& distance) {
  const std::size_t n = distance.size();
  double mean = 0, sd = 0;
  for (double d : distance) mean += d / static_cast<double>(n);
  for (double d : distance) sd += (d - mean) * (d - mean);
  return std::sqrt(sd / static_cast<double>(n - 1));
}

// The matched rows with their distance, weights and (without replacement) subclass.
std::string matched_cohort_csv(const io::CsvTable& table, const report::MatchAnalysis& m) {
  const std::size_t n = m.distance.size();
  std::vector<std::size_t> kept;
  std::vector<double> sub(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (m.match.weights[i] > 0) kept.push_back(i);
    sub[i] = m.match.subclass[i] > 0 ? m.match.subclass[i] : NAN;
  }
  std::vector<std::pair<std::string, std::vector<double>>> extra{{"distance", m.distance}, {"weights", m.match.weights}};
  if (!m.replace) extra.emplace_back("subclass", sub);
  return cohort_csv(table, kept, extra);
}

}  // namespace

MatchOutput run_match(const MatchRequest& rq) {
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

  MatchOutput out;
  report::MatchAnalysis& a = out.analysis;
  a.file = rq.model.csv.string();
  a.treatment = rq.model.treatment;
  a.covariates = rq.model.covariates;
  a.exact = rq.exact;
  a.logit_distance = rq.distance == MatchDistance::logit;
  a.ratio = rq.ratio;
  a.replace = rq.replace;
  a.caliper_sd = rq.caliper_sd;
  a.matchit_451 = rq.rule == MatchRule::matchit_451;
  a.model = model_fit(m);
  a.distance = column_of(a.logit_distance ? m.fit.linear : m.fit.fitted);
  a.lines = row_lines(table, n);

  const std::vector<int> exact = exact_strata(table, rq.exact, n);
  stats::NearestNeighbourOptions o;
  o.ratio = rq.ratio;
  o.replace = rq.replace;
  o.matchit_451 = a.matchit_451;
  if (rq.caliper_sd) {
    a.distance_sd = distance_sd(a.distance);
    o.caliper = *rq.caliper_sd * a.distance_sd;
    a.caliper = *o.caliper;
  }
  a.match = stats::nearest_neighbour_match(f.treat, a.distance, exact, o);
  a.differences = rule_differences(f, a.distance, exact, o, a.match);
  a.balance = matched_balance(f, a.distance, a.match);
  a.treated = f.treated;
  a.control = n - f.treated;
  std::vector<double> w1, w0;
  for (std::size_t i = 0; i < n; ++i) (f.treat[i] ? w1 : w0).push_back(a.match.weights[i]);
  a.ess_treated = effective_sample_size(w1);
  a.ess_control = effective_sample_size(w0);
  out.cohort_csv = matched_cohort_csv(table, a);
  return out;
}

IptwOutput run_iptw(const IptwRequest& rq) {
  const auto table = io::CsvTable::read(rq.model.csv, rq.model.encoding);
  refuse_output_column_clash(table, {"propensity", "weights"});
  const Frame f = read_frame(table, rq.model, {});
  const Model m = fit_model(table, rq.model, f);
  IptwOutput out;
  report::IptwAnalysis& a = out.analysis;
  a.propensity = column_of(m.fit.fitted);
  a.weights = stats::propensity_weights(f.treat, a.propensity, rq.estimand, rq.stabilised);
  const auto& e = a.propensity;
  const auto& w = a.weights;
  const auto den = rq.estimand == stats::Estimand::ate ? stats::SdDenominator::pooled : stats::SdDenominator::treated;
  BalanceTable& b = a.balance;
  b.terms.push_back("distance");
  b.before.push_back(stats::balance_row(e, f.treat, {}, den));
  b.after.push_back(stats::balance_row(e, f.treat, w, den));
  for (const auto& term : f.balance) {
    b.terms.push_back(term.name);
    b.before.push_back(stats::balance_row(term.x, f.treat, {}, den));
    b.after.push_back(stats::balance_row(term.x, f.treat, w, den));
  }
  a.file = rq.model.csv.string();
  a.treatment = rq.model.treatment;
  a.covariates = rq.model.covariates;
  a.att = rq.estimand == stats::Estimand::att;
  a.stabilised = rq.stabilised;
  a.model = model_fit(m);
  a.treated = f.treated;
  a.control = f.treat.size() - f.treated;
  a.ess_treated = stats::effective_sample_size(f.treat, w, 1);
  a.ess_control = stats::effective_sample_size(f.treat, w, 0);
  const auto [wmin, wmax] = std::minmax_element(w.begin(), w.end());
  a.weight_min = *wmin;
  a.weight_max = *wmax;
  a.lines = row_lines(table, f.treat.size());
  std::vector<std::size_t> all(f.treat.size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = i;
  out.cohort_csv = cohort_csv(table, all, {{"propensity", e}, {"weights", w}});
  return out;
}

}  // namespace sirtkit::pipelines
