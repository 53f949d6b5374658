#include "pipelines/descriptive/count_tests.h"

#include <charconv>
#include <cmath>
#include <limits>

#include "core/error.h"

namespace sirtkit::pipelines {

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

report::ProportionResult proportion_result(const ProportionRequest& rq) {
  if (rq.n < 1 || rq.n > std::numeric_limits<int>::max()) fail_input("options", "n", std::to_string(rq.n), "a number of trials >= 1");
  if (rq.x < 0 || rq.x > rq.n) fail_input("options", "x", std::to_string(rq.x), "a count of successes between 0 and n = " + std::to_string(rq.n));
  report::ProportionResult r;
  r.x = static_cast<int>(rq.x);
  r.n = static_cast<int>(rq.n);
  r.method = rq.method;
  r.conf_level = rq.conf_level;
  r.p0 = rq.p0;
  r.chosen = stats::proportion_interval(r.x, r.n, rq.method, rq.conf_level);
  r.clopper_pearson = stats::clopper_pearson_interval(r.x, r.n, rq.conf_level);
  r.wilson = stats::wilson_interval(r.x, r.n, rq.conf_level, false, rq.p0);
  r.wilson_cc = stats::wilson_interval(r.x, r.n, rq.conf_level, true, rq.p0);
  r.binomial_p = stats::binomial_test_p(r.x, r.n, rq.p0);
  r.prop_test = stats::proportion_chisq_test(r.x, r.n, rq.p0, false);
  r.prop_test_cc = stats::proportion_chisq_test(r.x, r.n, rq.p0, true);
  return r;
}

report::FisherResult fisher_result(const stats::CountTable& table, const stats::FisherOptions& options) {
  return {table, stats::fisher_exact_test(table, options)};
}

report::ChisqResult chisq_result(const stats::CountTable& table, bool continuity_correction) {
  return {table, stats::chisq_test(table, continuity_correction)};
}

}  // namespace sirtkit::pipelines
