#pragma once
// Comparisons of a continuous value between groups, as R's stats package:
//  - Wilcoxon rank-sum / Mann-Whitney (wilcox.test(x, y)): W, exact p when
//    both groups have < 50 values and there are no ties, otherwise the normal
//    approximation with tie and continuity corrections (R's defaults);
//  - Student and Welch t-tests (t.test(x, y, var.equal = TRUE / FALSE));
//  - for k groups: Kruskal-Wallis (kruskal.test) and one-way ANOVA
//    (oneway.test(var.equal = TRUE)).
// Values must be finite (bad input otherwise); drop missing values first.

#include <span>
#include <vector>

namespace sirtkit::stats {

enum class WilcoxonExact {
  automatic,  // R's exact = NULL: exact when n_x < 50, n_y < 50 and no ties
  always,     // exact = TRUE (still the normal approximation with ties, as R)
  never,      // exact = FALSE
};

struct WilcoxonOptions {
  WilcoxonExact exact = WilcoxonExact::automatic;
  bool continuity_correction = true;  // correct = TRUE, for the normal approximation
};

struct WilcoxonResult {
  int n_x = 0, n_y = 0;
  double w = 0;  // R's W: rank sum of x minus n_x (n_x + 1) / 2 (Mann-Whitney U of x)
  double p_value = 0;  // two-sided
  bool exact = false;
  bool ties = false;
  double z = 0;  // normal approximation only (NaN when exact)
  double continuity_correction = 0;  // the 0.5 subtracted towards 0 (0 if none)
};

// Needs at least one value per group (R: "not enough (non-missing) 'x' observations").
WilcoxonResult wilcoxon_rank_sum(std::span<const double> x, std::span<const double> y,
                                 const WilcoxonOptions& options = {});

struct TTestResult {
  int n_x = 0, n_y = 0;
  double mean_x = 0, mean_y = 0;
  double sd_x = 0, sd_y = 0;
  double difference = 0;  // mean_x − mean_y
  double std_error = 0;
  double statistic = 0;  // t
  double df = 0;         // Welch–Satterthwaite when unequal variances
  double p_value = 0;    // two-sided
  double conf_level = 0.95;
  double ci_low = 0, ci_high = 0;  // of mean_x − mean_y
  bool equal_variance = false;
};

// Needs >= 2 values per group and data that are not essentially constant.
TTestResult t_test(std::span<const double> x, std::span<const double> y, bool equal_variance = false,
                   double conf_level = 0.95);

struct KGroupTestResult {
  double statistic = 0;  // H (Kruskal-Wallis, chi-square df) or F (ANOVA)
  double df1 = 0, df2 = 0;  // df2 only for ANOVA
  double p_value = 0;
};

// kruskal.test: H with the tie correction, chi-square on k − 1 df. Needs >= 2
// non-empty groups.
KGroupTestResult kruskal_wallis(const std::vector<std::vector<double>>& groups);

// oneway.test(var.equal = TRUE): F on (k − 1, n − k) df. Needs >= 2 groups,
// each with >= 2 values.
KGroupTestResult one_way_anova(const std::vector<std::vector<double>>& groups);

// Average ranks (R rank(ties.method = "average")).
std::vector<double> average_ranks(std::span<const double> values);

}  // namespace sirtkit::stats
