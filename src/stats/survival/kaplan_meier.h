#pragma once
// Kaplan-Meier estimator with Greenwood variance and pointwise confidence
// intervals, computed exactly as R's survival::survfit (survival 3.5-3):
//   - surv(t) = prod (n - d) / n over event times <= t      (survfitkm.c)
//   - std.err stored as se(log S) = sqrt(sum d / (n (n - d))) (Greenwood,
//     survfitkm.c); se(S) = S * se(log S) as summary.survfit prints it
//   - CI transforms as survfit_confint() in R/survfit.R (log default,
//     log-log, plain), z = qnorm(1 - (1 - conf.int) / 2)
// Quantiles (median) follow R/quantile.survfit.R (midpoint rule on flats, CI
// where the horizontal line meets the confidence bands).

#include <cstdint>
#include <limits>
#include <utility>
#include <span>
#include <string>
#include <vector>

namespace sirtkit::stats {

enum class ConfType { log, log_log, plain };

const char* conf_type_name(ConfType type);  // "log", "log-log", "plain" (R's names)
ConfType parse_conf_type(const std::string& name);  // throws bad_input

struct KmOptions {
  ConfType conf_type = ConfType::log;  // R survfit default conf.type = "log"
  double conf_level = 0.95;            // R survfit default conf.int = 0.95
  bool timefix = true;                 // merge float near-ties (aeqSurv), R survfit default
};

// One row per distinct observed time (events and censorings), ascending, as
// summary(survfit(...), censored = TRUE) lists them.
struct KmCurve {
  std::vector<double> time;
  std::vector<std::int64_t> n_risk;
  std::vector<std::int64_t> n_event;
  std::vector<std::int64_t> n_censor;
  std::vector<double> surv;
  std::vector<double> se_log_surv;  // Greenwood se of log S (R survfit$std.err); +inf once S = 0
  std::vector<double> lower;        // NaN where R gives NA
  std::vector<double> upper;
  ConfType conf_type = ConfType::log;
  double conf_level = 0.95;
  std::int64_t n = 0;       // observations
  std::int64_t events = 0;  // total events
  // With case weights (kaplan_meier_weighted): the weighted counts R's
  // survfit reports as n.risk, n.event and n.censor (the integer vectors above
  // then count rows); empty otherwise.
  std::vector<double> weighted_n_risk, weighted_n_event, weighted_n_censor;
  // se_log_surv is the infinitesimal-jackknife (robust) se, not Greenwood's
  // (survfit with non-integer weights, R's robust = TRUE).
  bool robust_variance = false;

  std::size_t size() const { return time.size(); }
  // se of S as summary.survfit prints it: S * se(log S) (NaN where S = 0).
  double std_err(std::size_t i) const { return surv[i] * se_log_surv[i]; }
};

// status: 1 = event, 0 = censored. Times must be finite; the caller validates.
KmCurve kaplan_meier(std::span<const double> time, std::span<const int> status,
                     const KmOptions& options = {});
// The same, given the rows' stable ascending order by time (e.g. from
// stats/survival/time_fix.h aeq_times_in_order) instead of sorting them again.
KmCurve kaplan_meier_in_order(std::span<const double> time, std::span<const int> status,
                              std::span<const std::uint32_t> order, const KmOptions& options = {});

// The same for counting-process rows (start, stop], as survfit(Surv(start,
// stop, event) ~ 1) (survfitKM, src/survfitkm.c): one row per distinct stop
// time t, with n.risk = #{start < t <= stop} (late entry joins the risk set
// after its start), n.event and n.censor the rows ending at t. start < stop
// on every row (bad_input otherwise). n counts rows.
KmCurve kaplan_meier_counting(std::span<const double> start, std::span<const double> stop,
                              std::span<const int> status, const KmOptions& options = {});

// Case-weighted Kaplan-Meier, as survfit(Surv(time, status) ~ 1, weights = w)
// (survfitKM, src/survfitkm.c): n.risk, n.event, n.censor are sums of weights,
// surv = prod (1 - d_w / n_w). The standard error is Greenwood's on the
// weighted counts when every weight is an integer (frequency weights), else
// the infinitesimal jackknife over the rows, which survfit uses by default
// for non-integer weights (robust = TRUE): se(S(t))^2 = sum_i (dS(t)/dw_i w_i)^2.
// Weights must be finite and > 0 (bad_input otherwise).
KmCurve kaplan_meier_weighted(std::span<const double> time, std::span<const int> status,
                              std::span<const double> weights, const KmOptions& options = {});

// The pointwise interval of survfit_confint (R/survfit.R) for S with se(log S).
std::pair<double, double> km_confint(double surv, double se_log_surv, ConfType type, double z);

// A survival quantile with its confidence interval; NaN = not reached (R: NA).
struct KmQuantile {
  double prob = 0.5;  // the quantile p: S(t) = 1 - p, so 0.5 is the median
  double estimate = 0;
  double lower = 0;
  double upper = 0;
};

// R quantile.survfit(fit, probs, conf.int = TRUE), tolerance sqrt(DBL_EPSILON).
std::vector<KmQuantile> km_quantiles(const KmCurve& curve, std::span<const double> probs);
KmQuantile km_median(const KmCurve& curve);

// Survival at chosen times with CI, as summary(fit, times = t): the values of
// the step function at t (left of the first time: S = 1, se = 0). Times after
// the last observed time are reported with `beyond_follow_up` = true and NaN
// values (R drops them unless extend = TRUE); with `extend` they carry the
// curve's last values and n_risk 0, as summary(fit, times, extend = TRUE).
struct KmAtTime {
  double time = 0;
  std::int64_t n_risk = 0;  // number with time >= t (the risk-table count)
  double weighted_n_risk = std::numeric_limits<double>::quiet_NaN();  // their summed weight (weighted curves)
  double surv = 1;
  double std_err = 0;       // se(S)
  double lower = 1;
  double upper = 1;
  bool beyond_follow_up = false;
};
std::vector<KmAtTime> km_at_times(const KmCurve& curve, std::span<const double> times, bool extend = false);

// Number at risk (time >= t) at each requested time, for risk tables.
std::vector<std::int64_t> km_number_at_risk(const KmCurve& curve, std::span<const double> times);
// Their summed weight at each requested time, for a weighted curve's risk table
// (R: summary(survfit(..., weights = w), times)$n.risk); empty for an unweighted curve.
std::vector<double> km_weighted_number_at_risk(const KmCurve& curve, std::span<const double> times);

// Reverse Kaplan-Meier median follow-up: KM of the censoring times with the
// status flipped (Schemper & Smith 1996; the CDISC ADTTE convention; R:
// survfit(Surv(time, 1 - status) ~ 1)).
KmQuantile reverse_km_median_follow_up(std::span<const double> time, std::span<const int> status,
                                       const KmOptions& options = {});

}  // namespace sirtkit::stats
