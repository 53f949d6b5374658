#include "stats/cox/cox_summary.h"

#include <cmath>
#include <limits>

#include "core/error.h"
#include "stats/numerics/cholesky2.h"
#include "stats/numerics/distributions.h"

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
      f.coef(j) = f.z(j) = f.p_value(j) = f.hr(j) = f.hr_lower(j) = f.hr_upper(j) = kNaN;
      // R: coef NA but se(coef) = sqrt(var[j, j]) = 0 (coxph.fit leaves the
      // aliased row of var at 0; summary.coxph and vcov() report 0).
      f.se(j) = 0;
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

void set_robust_score_test(CoxFit& f, const Eigen::MatrixXd& crossprod0, const Eigen::VectorXd& u0,
                           const CoxOptions& options) {
  // coxph.wtest on every column: the generalised Cholesky zeroes what is singular.
  f.robust_score_test = wald_statistic(crossprod0, u0, std::vector<bool>(u0.size(), false), options.toler_chol);
  f.robust_score_p = chisq_upper_p(f.robust_score_test, f.df);
}

void use_robust_variance(CoxFit& f, const CoxOptions& options) {
  const double z = two_sided_z(options.conf_level);
  for (Eigen::Index j = 0; j < f.coef.size(); ++j) {
    if (f.aliased[j]) {
      f.robust_se(j) = 0;  // R: sqrt(diag(fit$var)) of the sandwich, whose aliased row is 0
      continue;
    }
    f.z(j) = f.coef(j) / f.robust_se(j);
    f.p_value(j) = normal_two_sided_p(f.z(j));
    f.hr_lower(j) = std::exp(f.coef(j) - z * f.robust_se(j));
    f.hr_upper(j) = std::exp(f.coef(j) + z * f.robust_se(j));
  }
  f.wald_test = wald_statistic(f.robust_var, f.coef, f.aliased, options.toler_chol);
  f.wald_p = chisq_upper_p(f.wald_test, f.df);
}

std::int64_t count_events_or_fail(std::span<const int> status) {
  std::int64_t nevent = 0;
  for (int s : status) nevent += s != 0;
  if (nevent == 0) fail_input("Cox model", "event", "no events", "at least one event");
  return nevent;
}

Eigen::MatrixXd set_unscaled_estimates(CoxFit& f, const Eigen::VectorXd& beta, const Eigen::MatrixXd& imat,
                                       const Eigen::MatrixXd& chol, const Eigen::VectorXd& scale) {
  const auto p = beta.size();
  f.aliased.assign(static_cast<std::size_t>(p), false);
  for (Eigen::Index j = 0; j < p; ++j) f.aliased[static_cast<std::size_t>(j)] = chol(j, j) == 0;
  Eigen::MatrixXd var_scaled = inverse_nonaliased(imat, f.aliased);
  f.coef = beta.cwiseProduct(scale);
  f.var = scale.asDiagonal() * var_scaled * scale.asDiagonal();
  return var_scaled;
}

Eigen::VectorXd with_aliased_as_zero(const Eigen::VectorXd& coef, const std::vector<bool>& aliased) {
  Eigen::VectorXd out = coef;
  for (Eigen::Index j = 0; j < out.size(); ++j)
    if (aliased[static_cast<std::size_t>(j)]) out(j) = 0;
  return out;
}

void set_concordance(CoxFit& f, const Concordance& c) {
  f.concordant = c.concordant;
  f.discordant = c.discordant;
  f.tied_x = c.tied_x;
  f.tied_y = c.tied_y;
  f.concordance = c.value();
}

}  // namespace sirtkit::stats
