#include "stats/trial/sample_size_survival.h"

#include <cmath>

#include "core/error.h"
#include "core/format.h"
#include "stats/numerics/brent_root.h"
#include "stats/numerics/distributions.h"

namespace sirtkit::stats {
namespace {

constexpr const char* where = "log-rank sample size";

// rpact's .getOneMinusQNorm(p) = qnorm(1 - p), computed as -qnorm(p) for p < 0.5.
double z_upper(double p) { return p < 0.5 ? -normal_quantile(p) : normal_quantile(1 - p); }

bool positive_finite(double v) { return std::isfinite(v) && v > 0; }

// Integral of F(u) = l/(l+f) (1 - e^{-(l+f) u}) over [a, b].
double integrated_cdf(double lambda, double phi, double a, double b) {
  const double h = lambda + phi;
  // expm1 keeps the difference of exponentials accurate when h (b - a) is small.
  const double diff = std::exp(-h * a) * -std::expm1(-h * (b - a));
  return lambda / h * ((b - a) - diff / h);
}

}  // namespace

LogRankEventsMethod parse_log_rank_events_method(const std::string& name) {
  if (name == "schoenfeld") return LogRankEventsMethod::schoenfeld;
  if (name == "freedman") return LogRankEventsMethod::freedman;
  if (name == "hsieh-freedman") return LogRankEventsMethod::hsieh_freedman;
  fail_input("options", "method", name, "schoenfeld, freedman or hsieh-freedman");
}

const char* log_rank_events_method_name(LogRankEventsMethod m) {
  switch (m) {
    case LogRankEventsMethod::schoenfeld: return "schoenfeld";
    case LogRankEventsMethod::freedman: return "freedman";
    case LogRankEventsMethod::hsieh_freedman: return "hsieh-freedman";
  }
  return "?";
}

const char* log_rank_events_method_source(LogRankEventsMethod m) {
  switch (m) {
    case LogRankEventsMethod::schoenfeld:
      return "Schoenfeld (1981), Biometrika 68:316-319; as rpact getSampleSizeSurvival(typeOfComputation = \"Schoenfeld\")";
    case LogRankEventsMethod::freedman:
      return "Freedman (1982), Stat Med 1:121-129; as rpact getSampleSizeSurvival(typeOfComputation = \"Freedman\")";
    case LogRankEventsMethod::hsieh_freedman:
      return "Hsieh (1992), Stat Med 11:1091-1098 (Freedman with unequal allocation); as rpact typeOfComputation = \"HsiehFreedman\"";
  }
  return "?";
}

void check_error_rates(const TestErrorRates& r) {
  constexpr const char* where = "sample size";
  if (r.sided != 1 && r.sided != 2) fail_input(where, "sided", std::to_string(r.sided), "1 or 2");
  if (!(r.alpha > 0 && r.alpha < 1)) fail_input(where, "alpha", num(r.alpha), "a significance level strictly between 0 and 1");
  if (r.sided == 1 && !(r.alpha < 0.5)) fail_input(where, "alpha", num(r.alpha), "a one-sided level below 0.5");
  if (!(r.beta > 0 && r.beta < 1 - r.alpha / r.sided))
    fail_input(where, "beta", num(r.beta), "a type II error strictly between 0 and 1 - alpha/sided (power above the level)");
}

double log_rank_events(const LogRankEventsInput& in) {
  check_error_rates(in.rates);
  const double hr = in.hazard_ratio, r = in.allocation_ratio;
  if (!positive_finite(hr)) fail_input(where, "hazard_ratio", num(hr), "a hazard ratio > 0");
  if (!positive_finite(in.hazard_ratio_null)) fail_input(where, "hazard_ratio_null", num(in.hazard_ratio_null), "a hazard ratio > 0");
  if (!positive_finite(r)) fail_input(where, "allocation_ratio", num(r), "n1/n2 > 0");
  if (in.method != LogRankEventsMethod::schoenfeld && in.hazard_ratio_null != 1)
    fail_input(where, "hazard_ratio_null", num(in.hazard_ratio_null), "1 for Freedman's and Hsieh-Freedman's formulas (a non-unit null only with Schoenfeld)");
  if (hr == in.hazard_ratio_null) fail_input(where, "hazard_ratio", num(hr), "a hazard ratio different from the null");
  const double z = z_upper(in.rates.alpha / in.rates.sided) + z_upper(in.rates.beta);
  switch (in.method) {
    case LogRankEventsMethod::schoenfeld: {
      // D = (z_a + z_b)^2 (1 + r)^2 / (r (log HR - log HR0)^2)   (rpact .getEventsFixed)
      const double d = std::log(hr) - std::log(in.hazard_ratio_null);
      return z * z / (d * d) * (1 + r) * (1 + r) / r;
    }
    case LogRankEventsMethod::freedman:
      // D = (z_a + z_b)^2 (1 + r HR)^2 / (r (1 - HR)^2)
      return z * z * (1 + hr * r) * (1 + hr * r) / ((1 - hr) * (1 - hr)) / r;
    case LogRankEventsMethod::hsieh_freedman:
      // D = (z_a + z_b)^2 (1 + HR)^2 / (1 - HR)^2 * (1 + r)^2 / (4 r)
      return z * z * (1 + hr) * (1 + hr) / ((1 - hr) * (1 - hr)) * (1 + r) * (1 + r) / (4 * r);
  }
  return 0;
}

double uniform_accrual_event_probability(double lambda, double phi, double accrual_time, double analysis_time) {
  if (!positive_finite(lambda)) fail_input(where, "hazard", num(lambda), "an event hazard > 0");
  if (!(std::isfinite(phi) && phi >= 0)) fail_input(where, "dropout_hazard", num(phi), "a drop-out hazard >= 0");
  if (!positive_finite(accrual_time)) fail_input(where, "accrual_time", num(accrual_time), "an accrual time > 0");
  if (!(std::isfinite(analysis_time) && analysis_time >= 0)) fail_input(where, "analysis_time", num(analysis_time), "a time >= 0");
  const double lo = analysis_time > accrual_time ? analysis_time - accrual_time : 0.0;
  return integrated_cdf(lambda, phi, lo, analysis_time) / accrual_time;
}

double hazard_from_median(double median) {
  if (!positive_finite(median)) fail_input(where, "median", num(median), "a median survival time > 0");
  return std::log(2.0) / median;
}

double hazard_from_event_probability(double p, double time) {
  if (!(p > 0 && p < 1)) fail_input(where, "event_probability", num(p), "a probability of an event strictly between 0 and 1");
  if (!positive_finite(time)) fail_input(where, "event_time", num(time), "a time > 0");
  return -std::log1p(-p) / time;
}

double dropout_hazard(double rate, double time) {
  if (!(rate >= 0 && rate < 1)) fail_input(where, "dropout_rate", num(rate), "a proportion in [0, 1)");
  if (!positive_finite(time)) fail_input(where, "dropout_time", num(time), "a time > 0");
  return -std::log1p(-rate) / time;
}

LogRankPatients log_rank_patients(double events, double lambda1, double lambda2, double r, const SurvivalAccrual& a) {
  if (!positive_finite(events)) fail_input(where, "events", num(events), "a number of events > 0");
  if (!positive_finite(r)) fail_input(where, "allocation_ratio", num(r), "n1/n2 > 0");
  if (!positive_finite(a.accrual_time)) fail_input(where, "accrual_time", num(a.accrual_time), "an accrual time > 0");
  if (a.follow_up_time.has_value() == a.accrual_rate.has_value())
    fail_input(where, "follow_up_time/accrual_rate", "(both or neither)", "exactly one of the follow-up time and the accrual rate");
  const double phi1 = dropout_hazard(a.dropout_rate1, a.dropout_time), phi2 = dropout_hazard(a.dropout_rate2, a.dropout_time);
  auto omega = [&](double t, double& p1, double& p2) {
    p1 = uniform_accrual_event_probability(lambda1, phi1, a.accrual_time, t);
    p2 = uniform_accrual_event_probability(lambda2, phi2, a.accrual_time, t);
    return (r * p1 + p2) / (1 + r);
  };
  LogRankPatients out;
  out.events = events;
  out.lambda1 = lambda1;
  out.lambda2 = lambda2;
  if (a.follow_up_time) {
    const double tf = *a.follow_up_time;
    if (!(std::isfinite(tf) && tf >= 0)) fail_input(where, "follow_up_time", num(tf), "a follow-up time >= 0");
    out.analysis_time = a.accrual_time + tf;
    out.follow_up_time = tf;
    out.event_probability = omega(out.analysis_time, out.event_probability1, out.event_probability2);
    out.patients = events / out.event_probability;
  } else {
    const double rate = *a.accrual_rate;
    if (!positive_finite(rate)) fail_input(where, "accrual_rate", num(rate), "patients per time unit > 0");
    const double n = rate * a.accrual_time;
    if (events > n)
      fail_input(where, "accrual_rate", num(rate),
                 "an accrual of at least the " + num(events) + " events (" + num(n) + " patients over the accrual time)");
    double p1, p2;
    auto f = [&](double t) { return events / omega(t, p1, p2) - n; };
    // rpact .getSampleSizeFixedSurvival: double `up` from 2 until enough events, then uniroot(tol = 1e-6).
    double up = 2;
    for (int i = 1; f(up) > 0; ++i) {
      if (i >= 50) fail_input(where, "accrual_rate", num(rate), "enough patients to reach the events (drop-out too high?)");
      up *= 2;
    }
    const RootResult root = brent_root(f, 0.0, up, f(0.0), f(up), 1e-6);
    out.analysis_time = root.root;
    out.follow_up_time = root.root - a.accrual_time;
    out.event_probability = omega(out.analysis_time, out.event_probability1, out.event_probability2);
    out.patients = n;
  }
  out.patients2 = out.patients / (1 + r);
  out.patients1 = out.patients2 * r;
  return out;
}

}  // namespace sirtkit::stats
