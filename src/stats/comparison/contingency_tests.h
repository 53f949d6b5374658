#pragma once
// Tests of independence in an r x c table of counts, as R's stats package:
//  - Fisher's exact test (fisher.test): 2x2 with the conditional maximum
//    likelihood odds ratio and its exact CI; r x c by full enumeration of the
//    tables with the observed margins (R uses the FEXACT network algorithm,
//    Mehta & Patel 1986; enumeration sums the same tables).
//  - Pearson's chi-square (chisq.test), with Yates' continuity correction for
//    2x2 tables by default.

#include <cstddef>
#include <vector>

namespace sirtkit::stats {

// Rows of counts: table[i][j] is the count in row i, column j.
using CountTable = std::vector<std::vector<long>>;

// Bad input unless the table is rectangular, at least 2 x 2, has no negative
// count and no zero row or column total (a zero margin has no expected count).
// `what` names the table in the message (e.g. "fisher table").
void check_count_table(const CountTable& table, const char* what);

struct FisherOptions {
  double conf_level = 0.95;
  // r x c tables are enumerated; beyond this many tables the test is refused
  // (bad input naming the limit) rather than running for hours.
  std::size_t max_tables = 20'000'000;
};

struct FisherResult {
  double p_value = 0;  // two-sided
  bool two_by_two = false;
  // 2x2 only (NaN otherwise): conditional MLE of the odds ratio and its CI,
  // 0 or +Inf at the edges of the support, as R reports them.
  double odds_ratio = 0;
  double or_lower = 0, or_upper = 0;
  double conf_level = 0.95;
  std::size_t tables_enumerated = 0;  // r x c only
};

FisherResult fisher_exact_test(const CountTable& table, const FisherOptions& options = {});

struct ChisqResult {
  double statistic = 0;
  int df = 0;
  double p_value = 0;
  double yates_correction = 0;  // the correction subtracted from |O - E| (0 if none)
  std::vector<std::vector<double>> expected;
  std::vector<std::vector<double>> pearson_residuals;  // (O - E) / sqrt(E)
  bool expected_below_5 = false;  // R: "Chi-squared approximation may be incorrect"
};

// continuity_correction applies only to 2x2 tables, as chisq.test(correct = TRUE).
ChisqResult chisq_test(const CountTable& table, bool continuity_correction = true);

}  // namespace sirtkit::stats
