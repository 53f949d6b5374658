#include "stats/survival/subgroup_analysis.h"

#include <cmath>

#include "core/error.h"
#include "stats/numerics/distributions.h"

namespace sirtkit::stats {

namespace {

SubgroupEffect effect(std::span<const double> time, std::span<const int> status, std::span<const double> trt,
                      const CoxOptions& options) {
  SubgroupEffect e;
  e.n = static_cast<std::int64_t>(time.size());
  for (int s : status) e.events += s != 0;
  bool varies = false;
  for (double t : trt) varies = varies || t != trt[0];
  if (e.events == 0 || !varies || e.n < 2) return e;
  Eigen::MatrixXd x(static_cast<Eigen::Index>(trt.size()), 1);
  for (std::size_t i = 0; i < trt.size(); ++i) x(static_cast<Eigen::Index>(i), 0) = trt[i];
  CoxOptions o = options;
  o.concordance = false;
  const CoxFit f = cox_fit(time, status, x, o);
  if (f.aliased[0]) return e;
  e.estimable = true;
  e.coef = f.coef(0);
  e.se = f.se(0);
  e.hr = f.hr(0);
  e.hr_lower = f.hr_lower(0);
  e.hr_upper = f.hr_upper(0);
  e.p_value = f.p_value(0);
  return e;
}

}  // namespace

SubgroupAnalysis subgroup_analysis(std::span<const double> time, std::span<const int> status,
                                   std::span<const double> treatment, std::span<const int> subgroup, int n_levels,
                                   const CoxOptions& options) {
  const std::size_t n = time.size();
  if (status.size() != n || treatment.size() != n || subgroup.size() != n || n_levels < 1)
    throw Error(ErrorCategory::internal, "subgroup_analysis: inputs differ in length");
  SubgroupAnalysis a;
  for (int l = 0; l < n_levels; ++l) {
    std::vector<double> t, trt;
    std::vector<int> s;
    for (std::size_t i = 0; i < n; ++i)
      if (subgroup[i] == l) {
        t.push_back(time[i]);
        s.push_back(status[i]);
        trt.push_back(treatment[i]);
      }
    a.levels.push_back(effect(t, s, trt, options));
  }
  a.overall = effect(time, status, treatment, options);

  // Interaction LRT: trt + subgroup dummies vs. + trt x dummies.
  if (n_levels >= 2) {
    const auto rows = static_cast<Eigen::Index>(n);
    Eigen::MatrixXd base(rows, n_levels), full(rows, 2 * n_levels - 1);
    for (Eigen::Index i = 0; i < rows; ++i) {
      base(i, 0) = full(i, 0) = treatment[static_cast<std::size_t>(i)];
      for (int l = 1; l < n_levels; ++l) {
        const double dummy = subgroup[static_cast<std::size_t>(i)] == l ? 1.0 : 0.0;
        base(i, l) = full(i, l) = dummy;
        full(i, n_levels - 1 + l) = dummy * treatment[static_cast<std::size_t>(i)];
      }
    }
    CoxOptions o = options;
    o.concordance = false;
    const CoxFit f0 = cox_fit(time, status, base, o);
    const CoxFit f1 = cox_fit(time, status, full, o);
    a.interaction_chisq = 2.0 * (f1.loglik - f0.loglik);
    a.interaction_df = f1.df - f0.df;
    a.interaction_p = a.interaction_df > 0 ? chisq_upper_p(a.interaction_chisq, a.interaction_df) : 1.0;
  }
  return a;
}

}  // namespace sirtkit::stats
