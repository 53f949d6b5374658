// Case-weighted Kaplan-Meier (declared in stats/survival/kaplan_meier.h), as survfitKM
// and src/survfitkm.c of R's survival (3.5-3) compute it.
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "core/error.h"
#include "stats/numerics/distributions.h"
#include "stats/survival/kaplan_meier.h"
#include "stats/numerics/radix_sort.h"
#include "stats/survival/time_fix.h"

namespace sirtkit::stats {

// The infinitesimal-jackknife variance of survfitkm.c (type 1, one cluster
// per row) updates every row's influence at each event time, O(n) per time.
// In closed form: with h = d_w / n_w at an event time, the influence of row
// i on S(t) is S(t) w_i B_i(t), B_i(t) = sum over event times s <= t of
// (Y_i(s) h(s) - dN_i(s)) / (n_w(s) (1 - h(s))). A row still at risk after t
// has B_i = C(t) = sum h / (n_w (1 - h)); a row that left at T_i <= t keeps
// B_i(T_i). So var S(t) = S(t)^2 (sum over rows gone of w_i^2 B_i(T_i)^2 +
// C(t)^2 sum over rows at risk of w_i^2): one pass. Once S = 0 (everyone
// at risk died) every influence is 0, as in survfitkm.c.
KmCurve kaplan_meier_weighted(std::span<const double> time, std::span<const int> status,
                              std::span<const double> weights, const KmOptions& options) {
  const std::size_t n = time.size();
  if (status.size() != n || weights.size() != n)
    throw Error(ErrorCategory::internal, "kaplan_meier_weighted: columns differ in length");
  bool integer_weights = true;
  for (double w : weights) {
    if (!(std::isfinite(w) && w > 0)) fail_input("Kaplan-Meier", "weights", std::to_string(w), "case weights > 0 and finite");
    integer_weights = integer_weights && w == std::floor(w);
  }
  const auto order = radix_order(time);
  std::vector<double> t(n), w(n);
  std::vector<int> s(n);
  for (std::size_t i = 0; i < n; ++i) {
    t[i] = time[order[i]];
    s[i] = status[order[i]] != 0 ? 1 : 0;
    w[i] = weights[order[i]];
  }
  if (options.timefix) aeq_sorted_times(t);

  KmCurve c;
  c.conf_type = options.conf_type;
  c.conf_level = options.conf_level;
  c.n = static_cast<std::int64_t>(n);
  c.robust_variance = !integer_weights;
  const double z = two_sided_z(options.conf_level);
  // Weighted counts per distinct time summed backwards over the rows, in the
  // order survfitkm.c adds them (so a last time where all die has n_w = d_w exactly).
  std::vector<double> risk_at(n), dead_at(n), cens_at(n);  // indexed by a time's first row
  {
    double wt1 = 0;
    for (std::size_t e = n; e > 0;) {
      std::size_t b = e - 1;
      while (b > 0 && t[b - 1] == t[e - 1]) --b;
      double wt2 = 0, wt3 = 0;
      for (std::size_t k = e; k > b; --k) {
        wt1 += w[k - 1];
        (s[k - 1] ? wt2 : wt3) += w[k - 1];
      }
      risk_at[b] = wt1;
      dead_at[b] = wt2;
      cens_at[b] = wt3;
      e = b;
    }
  }
  double w2_at_risk = 0;
  for (std::size_t i = 0; i < n; ++i) w2_at_risk += w[i] * w[i];
  auto at_risk = static_cast<std::int64_t>(n);
  double km = 1, greenwood = 0;
  double cum = 0, gone = 0, var = 0;  // C(t), sum of w^2 B^2 over rows gone, var S
  bool dead = false;                  // S reached 0
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    std::int64_t d = 0, cens = 0;
    for (; j < n && t[j] == t[i]; ++j) (s[j] ? d : cens) += 1;
    const double risk_w = risk_at[i], dw = dead_at[i], cw = cens_at[i];
    double se_log = 0;
    if (d > 0) {
      const double h = dw / risk_w;
      if (dw >= risk_w) {  // every weight at risk died
        km = 0;
        greenwood = std::numeric_limits<double>::infinity();
        dead = true;
      } else {
        km *= (risk_w - dw) / risk_w;
        greenwood += dw / (risk_w * (risk_w - dw));
        if (!dead) {
          const double step = h / (risk_w * (1 - h));
          cum += step;
          const double death_step = 1.0 / (risk_w * (1 - h));
          for (std::size_t k = i; k < j; ++k) {
            const double b = cum - (s[k] ? death_step : 0.0);
            gone += w[k] * w[k] * b * b;
            w2_at_risk -= w[k] * w[k];
          }
          var = km * km * (gone + cum * cum * w2_at_risk);
        }
      }
      if (dead) var = 0;
    } else if (!dead) {
      for (std::size_t k = i; k < j; ++k) {
        gone += w[k] * w[k] * cum * cum;
        w2_at_risk -= w[k] * w[k];
      }
    }
    if (integer_weights) {
      se_log = std::sqrt(greenwood);
    } else {
      // survfit_confint(logse = FALSE): se(log S) = se(S) / S, 0 where se(S) = 0.
      const double se_s = std::sqrt(std::max(var, 0.0));
      se_log = se_s == 0 ? 0.0 : se_s / km;
    }
    const auto [lo, hi] = km_confint(km, se_log, options.conf_type, z);
    c.time.push_back(t[i]);
    c.n_risk.push_back(at_risk);
    c.n_event.push_back(d);
    c.n_censor.push_back(cens);
    c.weighted_n_risk.push_back(risk_w);
    c.weighted_n_event.push_back(dw);
    c.weighted_n_censor.push_back(cw);
    c.surv.push_back(km);
    c.se_log_surv.push_back(se_log);
    c.lower.push_back(lo);
    c.upper.push_back(hi);
    c.events += d;
    at_risk -= d + cens;
    i = j;
  }
  return c;
}

}  // namespace sirtkit::stats
