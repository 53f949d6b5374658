#include "pipelines/descriptive/number_output.h"
#include "pipelines/descriptive/count_tests.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace sirtkit::pipelines {
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

json json_number(double v) {
  if (std::isnan(v)) return nullptr;
  if (std::isinf(v)) return v > 0 ? "Inf" : "-Inf";
  return v;
}

stats::CountTable parse_count_table(const std::string& text, const std::string& option) {
  stats::CountTable t;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = text.find('/', start);
    const std::string row = text.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    std::vector<long> counts;
    std::size_t a = 0;
    while (true) {
      const std::size_t comma = row.find(',', a);
      std::string cell = row.substr(a, comma == std::string::npos ? std::string::npos : comma - a);
      while (!cell.empty() && cell.front() == ' ') cell.erase(cell.begin());
      while (!cell.empty() && cell.back() == ' ') cell.pop_back();
      long v = 0;
      const auto [p, ec] = std::from_chars(cell.data(), cell.data() + cell.size(), v);
      if (cell.empty() || ec != std::errc() || p != cell.data() + cell.size())
        fail_input("options", option, text,
                   "whole counts, ',' between the counts of a row and '/' between rows, e.g. 12,4/6,10 (cell '" + cell + "')");
      counts.push_back(v);
      if (comma == std::string::npos) break;
      a = comma + 1;
    }
    t.push_back(std::move(counts));
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return t;
}

DescriptiveOutput run_proportion(const ProportionRequest& rq) {
  if (rq.n < 1 || rq.n > std::numeric_limits<int>::max()) fail_input("options", "n", std::to_string(rq.n), "a number of trials >= 1");
  if (rq.x < 0 || rq.x > rq.n) fail_input("options", "x", std::to_string(rq.x), "a count of successes between 0 and n = " + std::to_string(rq.n));
  const int x = static_cast<int>(rq.x), n = static_cast<int>(rq.n);
  const auto chosen = stats::proportion_interval(x, n, rq.method, rq.conf_level);
  const auto cp = stats::clopper_pearson_interval(x, n, rq.conf_level);
  const auto w = stats::wilson_interval(x, n, rq.conf_level, false, rq.p0);
  const auto wc = stats::wilson_interval(x, n, rq.conf_level, true, rq.p0);
  const double p = stats::binomial_test_p(x, n, rq.p0);
  const auto chi = stats::proportion_chisq_test(x, n, rq.p0, false);
  const auto chi_cc = stats::proportion_chisq_test(x, n, rq.p0, true);

  DescriptiveOutput out;
  auto interval = [](const stats::ProportionInterval& i) { return json{{"lower", i.lower}, {"upper", i.upper}}; };
  out.json = {
      {"x", x},
      {"n", n},
      {"estimate", chosen.estimate},
      {"conf_level", rq.conf_level},
      {"method", stats::proportion_ci_method_name(rq.method)},
      {"conf_int", interval(chosen)},
      {"intervals",
       {{"clopper_pearson", interval(cp)}, {"wilson", interval(w)}, {"wilson_cc", interval(wc)}}},
      {"binomial_test", {{"p0", rq.p0}, {"p_value", p}}},
      {"prop_test",
       {{"p0", rq.p0},
        {"statistic", chi.statistic},
        {"p_value", chi.p_value},
        {"statistic_cc", chi_cc.statistic},
        {"p_value_cc", chi_cc.p_value}}},
  };
  const char* method_text = rq.method == stats::ProportionCiMethod::clopper_pearson ? "Clopper-Pearson exact, as R binom.test"
                            : rq.method == stats::ProportionCiMethod::wilson      ? "Wilson score, as R prop.test(correct = FALSE)"
                                                                                  : "Wilson score with continuity correction, as R prop.test";
  out.text = fmt::format("Proportion {}/{} = {:.4f} ({})\n", x, n, chosen.estimate, pct(chosen.estimate));
  out.text += fmt::format("{:g} % CI {:.4f} to {:.4f} ({}; {} to {})\n", 100 * rq.conf_level, chosen.lower, chosen.upper,
                          method_text, pct(chosen.lower), pct(chosen.upper));
  out.text += fmt::format("Exact binomial test of p = {:g}: two-sided p = {}\n", rq.p0, table_p_value(p));
  return out;
}

DescriptiveOutput run_fisher(const stats::CountTable& table, const stats::FisherOptions& options) {
  const auto r = stats::fisher_exact_test(table, options);
  DescriptiveOutput out;
  out.json = {{"table", table_json(table)},
              {"method", r.two_by_two ? "Fisher's exact test, 2x2 (R fisher.test)"
                                      : "Fisher's exact test, r x c by full enumeration (R fisher.test)"},
              {"p_value", r.p_value},
              {"alternative", "two.sided"}};
  if (r.two_by_two) {
    out.json["odds_ratio"] = json_number(r.odds_ratio);
    out.json["conf_int"] = {{"lower", json_number(r.or_lower)}, {"upper", json_number(r.or_upper)}};
    out.json["conf_level"] = r.conf_level;
  } else {
    out.json["tables_enumerated"] = r.tables_enumerated;
  }
  out.text = fmt::format("Fisher's exact test ({} x {} table)\n", table.size(), table[0].size());
  out.text += table_text(table);
  out.text += fmt::format("two-sided p = {}\n", table_p_value(r.p_value));
  if (r.two_by_two)
    out.text += fmt::format("odds ratio (conditional MLE) {}, {:g} % CI {} to {}\n", fmt_g(r.odds_ratio), 100 * r.conf_level,
                            fmt_g(r.or_lower), fmt_g(r.or_upper));
  else
    out.text += fmt::format("{} tables with these margins enumerated\n", r.tables_enumerated);
  return out;
}

DescriptiveOutput run_chisq(const stats::CountTable& table, bool continuity_correction) {
  const auto r = stats::chisq_test(table, continuity_correction);
  DescriptiveOutput out;
  json expected = json::array(), residuals = json::array();
  for (std::size_t i = 0; i < r.expected.size(); ++i) {
    expected.push_back(r.expected[i]);
    residuals.push_back(r.pearson_residuals[i]);
  }
  const bool corrected = r.yates_correction > 0;
  out.json = {{"table", table_json(table)},
              {"method", corrected ? "Pearson's chi-squared test with Yates' continuity correction" : "Pearson's chi-squared test"},
              {"statistic", r.statistic},
              {"df", r.df},
              {"p_value", r.p_value},
              {"yates_correction", r.yates_correction},
              {"expected", expected},
              {"pearson_residuals", residuals},
              {"expected_below_5", r.expected_below_5}};
  out.text = fmt::format("Pearson's chi-squared test{} ({} x {} table)\n", corrected ? " with Yates' continuity correction" : "",
                         table.size(), table[0].size());
  out.text += table_text(table);
  out.text += fmt::format("X-squared = {}, df = {}, p = {}\n", fmt_g(r.statistic), r.df, table_p_value(r.p_value));
  out.text += "expected counts:\n";
  for (const auto& row : r.expected) {
    out.text += "  ";
    for (double e : row) out.text += fmt::format(" {:>8.3f}", e);
    out.text += "\n";
  }
  if (r.expected_below_5)
    out.text += "warning: an expected count is below 5; the chi-squared approximation may be incorrect (consider sirtkit fisher)\n";
  return out;
}

}  // namespace sirtkit::pipelines
