#include "stats/cox_summary.h"

#include <cmath>
#include <limits>

#include "stats/cholesky2.h"
#include "stats/distributions.h"

namespace sirtkit::stats {

namespace {

// coxph.wtest: b' var^-1 b over the non-aliased terms (generalised Cholesky).
double wald_statistic(const Eigen::MatrixXd& var, const Eigen::VectorXd& coef, const std::vector<bool>& aliased,
                      double toler_chol) {
  const auto p = coef.size();
  Eigen::MatrixXd vchol = var;
  Eigen::VectorXd b(p);
  for (Eigen::Index j = 0; j < p; ++j) b(j) = aliased[j] ? 0 : coef(j);
  cholesky2(vchol, toler_chol);
  Eigen::VectorXd sol = b;
  chsolve2(vchol, sol);
  return b.dot(sol);
}

}  // namespace

void summarise_cox_fit(CoxFit& f, const CoxOptions& options) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const int p = static_cast<int>(f.coef.size());
  const double z = two_sided_z(options.conf_level);
  f.se.resize(p);
  f.z.resize(p);
  f.p_value.resize(p);
  f.hr.resize(p);
  f.hr_lower.resize(p);
  f.hr_upper.resize(p);
  f.df = 0;
  for (int j = 0; j < p; ++j) {
    if (f.aliased[j]) {
      f.coef(j) = f.se(j) = f.z(j) = f.p_value(j) = f.hr(j) = f.hr_lower(j) = f.hr_upper(j) = kNaN;
      continue;
    }
    ++f.df;
    f.se(j) = std::sqrt(f.var(j, j));
    f.z(j) = f.coef(j) / f.se(j);
    f.p_value(j) = normal_two_sided_p(f.z(j));
    f.hr(j) = std::exp(f.coef(j));
    f.hr_lower(j) = std::exp(f.coef(j) - z * f.se(j));
    f.hr_upper(j) = std::exp(f.coef(j) + z * f.se(j));
  }
  f.wald_test = wald_statistic(f.var, f.coef, f.aliased, options.toler_chol);
  f.lr_test = 2 * (f.loglik - f.loglik_init);
  f.lr_p = chisq_upper_p(f.lr_test, f.df);
  f.wald_p = chisq_upper_p(f.wald_test, f.df);
  f.score_p = chisq_upper_p(f.score_test, f.df);
}

void use_robust_variance(CoxFit& f, const CoxOptions& options) {
  const double z = two_sided_z(options.conf_level);
  for (Eigen::Index j = 0; j < f.coef.size(); ++j) {
    if (f.aliased[j]) continue;
    f.z(j) = f.coef(j) / f.robust_se(j);
    f.p_value(j) = normal_two_sided_p(f.z(j));
    f.hr_lower(j) = std::exp(f.coef(j) - z * f.robust_se(j));
    f.hr_upper(j) = std::exp(f.coef(j) + z * f.robust_se(j));
  }
  f.wald_test = wald_statistic(f.robust_var, f.coef, f.aliased, options.toler_chol);
  f.wald_p = chisq_upper_p(f.wald_test, f.df);
}

}  // namespace sirtkit::stats
