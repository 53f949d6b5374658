#include "report/descriptive/count_tests.h"

#include <fmt/format.h>

#include <cmath>
#include <vector>

#include "report/number_output.h"

namespace sirtkit::report {

namespace {

using nlohmann::json;

std::string pct(double fraction) { return fmt::format("{:.1f} %", 100 * fraction); }

std::string fmt_g(double v, int digits = 6) {
  if (std::isnan(v)) return "NA";
  if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
  return fmt::format("{:.{}g}", v, digits);
}

json table_json(const stats::CountTable& t) {
  json rows = json::array();
  for (const auto& r : t) rows.push_back(r);
  return rows;
}

// The table with row and column totals, right-aligned.
std::string table_text(const stats::CountTable& t) {
  std::vector<long> col_total(t[0].size(), 0);
  long total = 0;
  std::string s;
  for (std::size_t i = 0; i < t.size(); ++i) {
    long row_total = 0;
    s += fmt::format("  row {:<3}", i + 1);
    for (std::size_t j = 0; j < t[i].size(); ++j) {
      s += fmt::format(" {:>8}", t[i][j]);
      row_total += t[i][j];
      col_total[j] += t[i][j];
    }
    total += row_total;
    s += fmt::format(" | {:>8}\n", row_total);
  }
  s += "  total  ";
  for (long c : col_total) s += fmt::format(" {:>8}", c);
  s += fmt::format(" | {:>8}\n", total);
  return s;
}

}  // namespace

nlohmann::json proportion_json(const ProportionResult& r) {
  auto interval = [](const stats::ProportionInterval& i) { return json{{"lower", i.lower}, {"upper", i.upper}}; };
  return {
      {"x", r.x},
      {"n", r.n},
      {"estimate", r.chosen.estimate},
      {"conf_level", r.conf_level},
      {"method", stats::proportion_ci_method_name(r.method)},
      {"conf_int", interval(r.chosen)},
      {"intervals",
       {{"clopper_pearson", interval(r.clopper_pearson)}, {"wilson", interval(r.wilson)}, {"wilson_cc", interval(r.wilson_cc)}}},
      {"binomial_test", {{"p0", r.p0}, {"p_value", r.binomial_p}}},
      {"prop_test",
       {{"p0", r.p0},
        {"statistic", r.prop_test.statistic},
        {"p_value", r.prop_test.p_value},
        {"statistic_cc", r.prop_test_cc.statistic},
        {"p_value_cc", r.prop_test_cc.p_value}}},
  };
}

std::string proportion_text(const ProportionResult& r) {
  const char* method_text = r.method == stats::ProportionCiMethod::clopper_pearson ? "Clopper-Pearson exact, as R binom.test"
                            : r.method == stats::ProportionCiMethod::wilson      ? "Wilson score, as R prop.test(correct = FALSE)"
                                                                                 : "Wilson score with continuity correction, as R prop.test";
  const auto& c = r.chosen;
  std::string s = fmt::format("Proportion {}/{} = {:.4f} ({})\n", r.x, r.n, c.estimate, pct(c.estimate));
  s += fmt::format("{:g} % CI {:.4f} to {:.4f} ({}; {} to {})\n", 100 * r.conf_level, c.lower, c.upper, method_text, pct(c.lower),
                   pct(c.upper));
  s += fmt::format("Exact binomial test of p = {:g}: two-sided p = {}\n", r.p0, table_p_value(r.binomial_p));
  return s;
}

nlohmann::json fisher_json(const FisherResult& f) {
  const auto& r = f.result;
  json j = {{"table", table_json(f.table)},
            {"method", r.two_by_two ? "Fisher's exact test, 2x2 (R fisher.test)"
                                    : "Fisher's exact test, r x c by full enumeration (R fisher.test)"},
            {"p_value", r.p_value},
            {"alternative", "two.sided"}};
  if (r.two_by_two) {
    j["odds_ratio"] = json_number(r.odds_ratio);
    j["conf_int"] = {{"lower", json_number(r.or_lower)}, {"upper", json_number(r.or_upper)}};
    j["conf_level"] = r.conf_level;
  } else {
    j["tables_enumerated"] = r.tables_enumerated;
  }
  return j;
}

std::string fisher_text(const FisherResult& f) {
  const auto& r = f.result;
  std::string s = fmt::format("Fisher's exact test ({} x {} table)\n", f.table.size(), f.table[0].size());
  s += table_text(f.table);
  s += fmt::format("two-sided p = {}\n", table_p_value(r.p_value));
  if (r.two_by_two)
    s += fmt::format("odds ratio (conditional MLE) {}, {:g} % CI {} to {}\n", fmt_g(r.odds_ratio), 100 * r.conf_level, fmt_g(r.or_lower),
                     fmt_g(r.or_upper));
  else
    s += fmt::format("{} tables with these margins enumerated\n", r.tables_enumerated);
  return s;
}

nlohmann::json chisq_json(const ChisqResult& c) {
  const auto& r = c.result;
  json expected = json::array(), residuals = json::array();
  for (std::size_t i = 0; i < r.expected.size(); ++i) {
    expected.push_back(r.expected[i]);
    residuals.push_back(r.pearson_residuals[i]);
  }
  const bool corrected = r.yates_correction > 0;
  return {{"table", table_json(c.table)},
          {"method", corrected ? "Pearson's chi-squared test with Yates' continuity correction" : "Pearson's chi-squared test"},
          {"statistic", r.statistic},
          {"df", r.df},
          {"p_value", r.p_value},
          {"yates_correction", r.yates_correction},
          {"expected", expected},
          {"pearson_residuals", residuals},
          {"expected_below_5", r.expected_below_5}};
}

std::string chisq_text(const ChisqResult& c) {
  const auto& r = c.result;
  std::string s = fmt::format("Pearson's chi-squared test{} ({} x {} table)\n",
                              r.yates_correction > 0 ? " with Yates' continuity correction" : "", c.table.size(), c.table[0].size());
  s += table_text(c.table);
  s += fmt::format("X-squared = {}, df = {}, p = {}\n", fmt_g(r.statistic), r.df, table_p_value(r.p_value));
  s += "expected counts:\n";
  for (const auto& row : r.expected) {
    s += "  ";
    for (double e : row) s += fmt::format(" {:>8.3f}", e);
    s += "\n";
  }
  if (r.expected_below_5)
    s += "warning: an expected count is below 5; the chi-squared approximation may be incorrect (consider sirtkit fisher)\n";
  return s;
}

}  // namespace sirtkit::report
