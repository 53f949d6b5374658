#include "stats/survival/kaplan_meier.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>
#include <utility>

#include "core/error.h"
#include "stats/survival/counting_intervals.h"
#include "stats/numerics/distributions.h"
#include "stats/numerics/radix_sort.h"
#include "stats/survival/time_fix.h"

namespace sirtkit::stats {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

}  // namespace

// survfit_confint() in R/survfit.R (survival 3.5-3), se = se(log S).
std::pair<double, double> km_confint(double p, double se, ConfType type, double z) {
  switch (type) {
    case ConfType::plain: {
      const double se2 = se * p * z;  // Klein & Moeschberger eq. 4.3.1
      return {std::max(p - se2, 0.0), std::min(p + se2, 1.0)};
    }
    case ConfType::log: {
      if (p == 0) return {kNaN, kNaN};
      const double se2 = z * se;
      return {std::exp(std::log(p) - se2), std::min(std::exp(std::log(p) + se2), 1.0)};
    }
    case ConfType::log_log: {
      if (p == 0 || p == 1) return {kNaN, kNaN};
      const double se2 = z * se / std::log(p);
      const double ll = std::log(-std::log(p));
      return {std::exp(-std::exp(ll - se2)), std::exp(-std::exp(ll + se2))};
    }
  }
  return {kNaN, kNaN};
}

namespace {

// The product-limit walk shared by the right-censored and the (start, stop]
// estimators, which differ only in how they count the risk set: each distinct
// time updates S and the Greenwood sum, then appends one row of the curve.
struct KmStep {
  ConfType conf_type;
  double z;                // two-sided normal quantile of the CI
  double km = 1.0;
  double greenwood = 0.0;  // sum d / (n (n - d)), survfitkm.c

  void add_time(KmCurve& c, double t, std::int64_t at_risk, std::int64_t d, std::int64_t cens) {
    if (d > 0) {
      const double nr = static_cast<double>(at_risk), dd = static_cast<double>(d);
      if (d == at_risk) {
        km = 0;
        greenwood = std::numeric_limits<double>::infinity();
      } else {
        km *= (nr - dd) / nr;
        greenwood += dd / (nr * (nr - dd));
      }
    }
    const double se = std::sqrt(greenwood);
    const auto [lo, hi] = km_confint(km, se, conf_type, z);
    c.time.push_back(t);
    c.n_risk.push_back(at_risk);
    c.n_event.push_back(d);
    c.n_censor.push_back(cens);
    c.surv.push_back(km);
    c.se_log_surv.push_back(se);
    c.lower.push_back(lo);
    c.upper.push_back(hi);
    c.events += d;
  }
};

struct TimeStatus {
  double time;
  int status;
};

// R's approx(x, y = 1:n, xout = v, method = "constant", f = 1) for sorted,
// distinct x (R_approxfun / approx1 in src/library/stats/src/approx.c):
// returns the 0-based index, or -1 for NA (outside the range, rule = 1).
long approx_constant_f1(const std::vector<double>& x, double v) {
  if (x.empty()) return -1;
  std::size_t i = 0, j = x.size() - 1;
  if (v < x[i] || v > x[j]) return -1;
  while (i + 1 < j) {
    const std::size_t ij = (i + j) / 2;
    if (v < x[ij]) j = ij; else i = ij;
  }
  if (v == x[j]) return static_cast<long>(j);
  if (v == x[i]) return static_cast<long>(i);
  return static_cast<long>(j);
}

// findq() of R/quantile.survfit.R: where a horizontal line at p meets the
// non-decreasing step curve y(x) (= 1 - S), midpoint rule on flats.
std::vector<double> findq(std::vector<double> x, std::vector<double> y,
                          std::span<const double> probs, double tol) {
  std::vector<double> out(probs.size(), kNaN);
  double ymax = -std::numeric_limits<double>::infinity();
  for (double v : y) if (!std::isnan(v)) ymax = std::max(ymax, v);
  const double pmin = probs.empty() ? 0 : *std::min_element(probs.begin(), probs.end());
  if (ymax < pmin) return out;

  const double xmax = x.back();
  // Remove duplicated y values (R duplicated(): first occurrence kept; all NA
  // after the first NA are duplicates).
  {
    std::unordered_set<double> seen;
    bool seen_nan = false;
    std::size_t k = 0;
    for (std::size_t i = 0; i < y.size(); ++i) {
      bool dup;
      if (std::isnan(y[i])) { dup = seen_nan; seen_nan = true; }
      else dup = !seen.insert(y[i]).second;
      if (!dup) { x[k] = x[i]; y[k] = y[i]; ++k; }
    }
    x.resize(k);
    y.resize(k);
  }
  const std::size_t n = y.size();

  // approx() drops NA pairs and orders by its x argument (here y +- tol).
  auto make_index = [&](double shift) {
    std::vector<std::pair<double, std::size_t>> pts;
    for (std::size_t i = 0; i < n; ++i)
      if (!std::isnan(y[i])) pts.emplace_back(y[i] + shift, i);
    std::stable_sort(pts.begin(), pts.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<double> xs;
    std::vector<std::size_t> idx;
    for (const auto& [v, i] : pts) { xs.push_back(v); idx.push_back(i); }
    return std::make_pair(xs, idx);
  };
  const auto [xs1, id1] = make_index(tol);
  const auto [xs2, id2] = make_index(-tol);

  for (std::size_t q = 0; q < probs.size(); ++q) {
    const double p = probs[q];
    const long k1 = approx_constant_f1(xs1, p);
    const long k2 = approx_constant_f1(xs2, p);
    const long i1 = k1 < 0 ? -1 : static_cast<long>(id1[k1]);
    const long i2 = k2 < 0 ? -1 : static_cast<long>(id2[k2]);
    double quant = (i1 < 0 || i2 < 0) ? kNaN : (x[i1] + x[i2]) / 2;
    if (p == 0) quant = x[0];
    if (!std::isnan(y[n - 1]) && std::fabs(p - y[n - 1]) < tol)
      quant = i1 < 0 ? kNaN : (x[i1] + xmax) / 2;  // a flat at the end of the curve
    out[q] = quant;
  }
  return out;
}

}  // namespace

const char* conf_type_name(ConfType type) {
  switch (type) {
    case ConfType::log: return "log";
    case ConfType::log_log: return "log-log";
    case ConfType::plain: return "plain";
  }
  return "?";
}

ConfType parse_conf_type(const std::string& name) {
  if (name == "log") return ConfType::log;
  if (name == "log-log" || name == "loglog") return ConfType::log_log;
  if (name == "plain") return ConfType::plain;
  fail_input("confidence interval type", "conf-type", name, "one of log, log-log, plain");
}

KmCurve kaplan_meier(std::span<const double> time, std::span<const int> status,
                     const KmOptions& options) {
  if (time.size() != status.size())
    throw Error(ErrorCategory::internal, "kaplan_meier: time and status differ in length");
  // In time order (a radix sort: 1e7 rows in about a third of std::sort's time).
  return kaplan_meier_in_order(time, status, radix_order(time), options);
}

KmCurve kaplan_meier_in_order(std::span<const double> time, std::span<const int> status,
                              std::span<const std::uint32_t> order, const KmOptions& options) {
  if (time.size() != status.size() || order.size() != time.size())
    throw Error(ErrorCategory::internal, "kaplan_meier_in_order: time, status and order differ in length");
  std::vector<TimeStatus> obs(time.size());
  for (std::size_t i = 0; i < time.size(); ++i) obs[i] = {time[order[i]], status[order[i]] != 0 ? 1 : 0};
  if (options.timefix) {
    std::vector<double> t(obs.size());
    for (std::size_t i = 0; i < obs.size(); ++i) t[i] = obs[i].time;
    if (aeq_sorted_times(t))
      for (std::size_t i = 0; i < obs.size(); ++i) obs[i].time = t[i];
  }

  KmCurve c;
  c.conf_type = options.conf_type;
  c.conf_level = options.conf_level;
  c.n = static_cast<std::int64_t>(obs.size());
  KmStep step{options.conf_type, two_sided_z(options.conf_level)};
  std::int64_t at_risk = c.n;
  for (std::size_t i = 0; i < obs.size();) {
    const double t = obs[i].time;
    std::int64_t d = 0, cens = 0;
    std::size_t j = i;
    for (; j < obs.size() && obs[j].time == t; ++j) (obs[j].status ? d : cens) += 1;
    step.add_time(c, t, at_risk, d, cens);
    at_risk -= d + cens;
    i = j;
  }
  return c;
}

KmCurve kaplan_meier_counting(std::span<const double> start_in, std::span<const double> stop_in,
                              std::span<const int> status, const KmOptions& options) {
  const std::size_t n = stop_in.size();
  if (start_in.size() != n || status.size() != n)
    throw Error(ErrorCategory::internal, "kaplan_meier_counting: columns differ in length");
  std::vector<double> start(start_in.begin(), start_in.end()), stop(stop_in.begin(), stop_in.end());
  require_nonempty_intervals("Kaplan-Meier", start, stop);
  if (options.timefix && merge_near_tie_intervals(start, stop))
    require_intervals_survive_timefix("Kaplan-Meier", start, stop, start_in, stop_in);
  std::vector<TimeStatus> ends(n);
  for (std::size_t i = 0; i < n; ++i) ends[i] = {stop[i], status[i] != 0 ? 1 : 0};
  std::sort(ends.begin(), ends.end(), [](const TimeStatus& a, const TimeStatus& b) { return a.time < b.time; });
  std::vector<double> entries(start);
  std::sort(entries.begin(), entries.end());

  KmCurve c;
  c.conf_type = options.conf_type;
  c.conf_level = options.conf_level;
  c.n = static_cast<std::int64_t>(n);
  KmStep step{options.conf_type, two_sided_z(options.conf_level)};
  std::size_t entered = 0;  // rows with start < t
  for (std::size_t i = 0; i < n;) {
    const double t = ends[i].time;
    while (entered < n && entries[entered] < t) ++entered;
    // At risk: entered before t and not ended before t (ends[0..i) have stop < t).
    const auto at_risk = static_cast<std::int64_t>(entered) - static_cast<std::int64_t>(i);
    std::int64_t d = 0, cens = 0;
    std::size_t j = i;
    for (; j < n && ends[j].time == t; ++j) (ends[j].status ? d : cens) += 1;
    step.add_time(c, t, at_risk, d, cens);
    i = j;
  }
  return c;
}

std::vector<KmQuantile> km_quantiles(const KmCurve& curve, std::span<const double> probs) {
  std::vector<KmQuantile> out(probs.size());
  for (std::size_t q = 0; q < probs.size(); ++q) {
    if (!(probs[q] >= 0 && probs[q] <= 1))
      fail_input("survival quantile", "probability", std::to_string(probs[q]), "a value in [0, 1]");
    out[q].prob = probs[q];
  }
  if (curve.size() == 0) {
    for (auto& q : out) q.estimate = q.lower = q.upper = kNaN;
    return out;
  }
  // doquant(): x = c(firstx = 0, time), y = c(0, 1 - surv) and the same for the bands.
  const double tol = std::sqrt(std::numeric_limits<double>::epsilon());
  std::vector<double> x{0.0};
  x.insert(x.end(), curve.time.begin(), curve.time.end());
  auto flip = [](const std::vector<double>& s) {
    std::vector<double> y{0.0};
    for (double v : s) y.push_back(1.0 - v);
    return y;
  };
  const auto est = findq(x, flip(curve.surv), probs, tol);
  const auto lo = findq(x, flip(curve.lower), probs, tol);
  const auto hi = findq(x, flip(curve.upper), probs, tol);
  for (std::size_t q = 0; q < probs.size(); ++q) {
    out[q].estimate = est[q];
    out[q].lower = lo[q];
    out[q].upper = hi[q];
  }
  return out;
}

KmQuantile km_median(const KmCurve& curve) {
  const double half = 0.5;
  return km_quantiles(curve, std::span<const double>(&half, 1))[0];
}

std::vector<KmAtTime> km_at_times(const KmCurve& curve, std::span<const double> times, bool extend) {
  std::vector<KmAtTime> out;
  const auto risk = km_number_at_risk(curve, times);
  const auto weighted_risk = km_weighted_number_at_risk(curve, times);
  for (std::size_t k = 0; k < times.size(); ++k) {
    KmAtTime r;
    r.time = times[k];
    r.n_risk = risk[k];
    if (!weighted_risk.empty()) r.weighted_n_risk = weighted_risk[k];
    // last curve row with time <= t
    const auto it = std::upper_bound(curve.time.begin(), curve.time.end(), times[k]);
    if (curve.size() > 0 && times[k] > curve.time.back()) {
      r.beyond_follow_up = true;
      r.surv = r.std_err = r.lower = r.upper = kNaN;
      if (extend) {  // summary.survfit(extend = TRUE): the last step carried on, nobody at risk
        const std::size_t i = curve.size() - 1;
        r.surv = curve.surv[i];
        r.std_err = curve.std_err(i);
        r.lower = curve.lower[i];
        r.upper = curve.upper[i];
      }
    } else if (it != curve.time.begin()) {
      const std::size_t i = static_cast<std::size_t>(it - curve.time.begin()) - 1;
      r.surv = curve.surv[i];
      r.std_err = curve.std_err(i);
      r.lower = curve.lower[i];
      r.upper = curve.upper[i];
    }
    out.push_back(r);
  }
  return out;
}

std::vector<std::int64_t> km_number_at_risk(const KmCurve& curve, std::span<const double> times) {
  std::vector<std::int64_t> out;
  for (double t : times) {
    const auto it = std::lower_bound(curve.time.begin(), curve.time.end(), t);
    out.push_back(it == curve.time.end() ? 0 : curve.n_risk[static_cast<std::size_t>(it - curve.time.begin())]);
  }
  return out;
}

std::vector<double> km_weighted_number_at_risk(const KmCurve& curve, std::span<const double> times) {
  std::vector<double> out;
  if (curve.weighted_n_risk.empty()) return out;
  for (double t : times) {
    const auto it = std::lower_bound(curve.time.begin(), curve.time.end(), t);
    out.push_back(it == curve.time.end() ? 0.0 : curve.weighted_n_risk[static_cast<std::size_t>(it - curve.time.begin())]);
  }
  return out;
}

KmQuantile reverse_km_median_follow_up(std::span<const double> time, std::span<const int> status,
                                       const KmOptions& options) {
  std::vector<int> flipped(status.size());
  for (std::size_t i = 0; i < status.size(); ++i) flipped[i] = status[i] != 0 ? 0 : 1;
  return km_median(kaplan_meier(time, flipped, options));
}

}  // namespace sirtkit::stats
