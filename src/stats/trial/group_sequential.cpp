#include "stats/trial/group_sequential.h"

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>

#include "core/error.h"
#include "core/format.h"
#include "stats/numerics/brent_root.h"
#include "stats/numerics/distributions.h"

namespace sirtkit::stats {
namespace {

constexpr const char* where = "group-sequential design";
constexpr int grid_r = 32;  // Jennison & Turnbull (2000) §19.2.1: r = 16 gives ~1e-6; 32 keeps boundaries to ~1e-9

double pnorm(double x) { return boost::math::cdf(boost::math::normal(), x); }
double pnorm_upper(double x) { return boost::math::cdf(boost::math::complement(boost::math::normal(), x)); }
double dnorm(double x) { return 0.3989422804014327 * std::exp(-0.5 * x * x); }  // 1/sqrt(2 pi)
double z_upper(double p) { return p < 0.5 ? -normal_quantile(p) : normal_quantile(1 - p); }

struct Grid {
  std::vector<double> z, w;
};

// J&T §19.2.1: 6r - 1 points concentrated around the mean `mu`, trimmed to
// (lo, hi) with the end points added, then midpoints inserted for Simpson's rule.
Grid make_grid(double mu, double lo, double hi) {
  std::vector<double> x;
  const double r = grid_r;
  std::vector<double> raw;
  for (int i = 1; i <= 6 * grid_r - 1; ++i) {
    double v;
    if (i < grid_r) v = -3 - 4 * std::log(r / i);
    else if (i <= 5 * grid_r) v = -3 + 3 * (i - r) / (2 * r);
    else v = 3 + 4 * std::log(r / (6 * r - i));
    raw.push_back(mu + v);
  }
  if (lo > raw.front()) x.push_back(lo);
  for (double v : raw)
    if (v > lo && v < hi) x.push_back(v);
  if (hi < raw.back()) x.push_back(hi);
  Grid g;
  const std::size_t m = 2 * x.size() - 1;
  g.z.resize(m);
  g.w.assign(m, 0.0);
  for (std::size_t i = 0; i < x.size(); ++i) {
    g.z[2 * i] = x[i];
    if (i + 1 < x.size()) g.z[2 * i + 1] = (x[i] + x[i + 1]) / 2;
  }
  for (std::size_t i = 0; i + 2 < m; i += 2) {  // Simpson on each [z_i, z_{i+2}]
    const double d = (g.z[i + 2] - g.z[i]) / 6;
    g.w[i] += d;
    g.w[i + 1] += 4 * d;
    g.w[i + 2] += d;
  }
  return g;
}

// The recursion of Armitage, McPherson & Rowe: the sub-density of Z_k on the
// continuation region of each look, and the crossing probabilities.
struct Recursion {
  const std::vector<double>& info;  // information at each look (any scale)
  double theta;
  bool two_sided;
  Grid grid;                         // continuation grid of the previous look
  std::vector<double> density;       // sub-density on it
  std::size_t k = 0;                 // looks done

  // Crossing probabilities at the next look for boundary c, given the state.
  std::pair<double, double> cross(double c) const {
    const double ik = info[k];
    if (k == 0) {
      const double mu = theta * std::sqrt(ik);
      return {pnorm_upper(c - mu), two_sided ? pnorm(-c - mu) : 0.0};
    }
    const double ip = info[k - 1], dk = ik - ip, sd = std::sqrt(dk);
    double up = 0, low = 0;
    for (std::size_t i = 0; i < grid.z.size(); ++i) {
      const double wf = grid.w[i] * density[i];
      if (wf == 0) continue;
      const double shift = grid.z[i] * std::sqrt(ip) + theta * dk;
      up += wf * pnorm_upper((c * std::sqrt(ik) - shift) / sd);
      if (two_sided) low += wf * pnorm((-c * std::sqrt(ik) - shift) / sd);
    }
    return {up, low};
  }

  // Move to the next look with boundary c: the sub-density on (-c or -inf, c).
  void advance(double c) {
    const double ik = info[k];
    const double mu = theta * std::sqrt(ik);
    Grid next = make_grid(mu, two_sided ? -c : -std::numeric_limits<double>::infinity(), c);
    std::vector<double> dens(next.z.size(), 0.0);
    if (k == 0) {
      for (std::size_t j = 0; j < next.z.size(); ++j) dens[j] = dnorm(next.z[j] - mu);
    } else {
      const double ip = info[k - 1], dk = ik - ip, sd = std::sqrt(dk), scale = std::sqrt(ik / dk);
      for (std::size_t j = 0; j < next.z.size(); ++j) {
        double s = 0;
        const double zj = next.z[j] * std::sqrt(ik) - theta * dk;
        for (std::size_t i = 0; i < grid.z.size(); ++i)
          s += grid.w[i] * density[i] * dnorm((zj - grid.z[i] * std::sqrt(ip)) / sd);
        dens[j] = s * scale;
      }
    }
    grid = std::move(next);
    density = std::move(dens);
    ++k;
  }
};

}  // namespace

SpendingFunction parse_spending_function(const std::string& s) {
  if (s == "obrien-fleming" || s == "of" || s == "asOF") return SpendingFunction::obrien_fleming;
  if (s == "pocock" || s == "p" || s == "asP") return SpendingFunction::pocock;
  fail_input("options", "spending", s, "obrien-fleming (asOF) or pocock (asP)");
}

const char* spending_function_name(SpendingFunction f) {
  return f == SpendingFunction::obrien_fleming ? "obrien-fleming" : "pocock";
}

double alpha_spent(SpendingFunction f, double alpha, double t, int sided) {
  if (t <= 0) return 0;
  // Two-sided: the one-sided function at alpha/2 on each side (rpact asOF with sided = 2).
  if (f == SpendingFunction::obrien_fleming) return sided * 2 * pnorm_upper(z_upper(alpha / (2 * sided)) / std::sqrt(t));
  return alpha * std::log(1 + (std::exp(1.0) - 1) * t);
}

CrossingProbabilities boundary_crossing(const std::vector<double>& info, const std::vector<double>& crit, double theta,
                                        bool two_sided) {
  Recursion rec{info, theta, two_sided, {}, {}, 0};
  CrossingProbabilities out;
  for (std::size_t k = 0; k < crit.size(); ++k) {
    const auto [up, low] = rec.cross(crit[k]);
    out.upper.push_back(up);
    out.lower.push_back(low);
    if (k + 1 < crit.size()) rec.advance(crit[k]);
  }
  return out;
}

GroupSequentialDesign group_sequential_design(const GroupSequentialInput& in) {
  const auto& t = in.information_rates;
  if (t.empty() || t.size() > 20) fail_input(where, "information_rates", std::to_string(t.size()) + " looks", "1 to 20 looks");
  for (std::size_t k = 0; k < t.size(); ++k) {
    if (!(t[k] > 0 && t[k] <= 1) || (k > 0 && !(t[k] > t[k - 1])))
      fail_input(where, "information_rates", num(t[k]), "strictly increasing information fractions in (0, 1]");
  }
  if (t.back() != 1) fail_input(where, "information_rates", num(t.back()), "a last look at information fraction 1");
  if (in.sided != 1 && in.sided != 2) fail_input(where, "sided", std::to_string(in.sided), "1 or 2");
  if (!(in.alpha > 0 && in.alpha < (in.sided == 1 ? 0.5 : 1)))
    fail_input(where, "alpha", num(in.alpha), in.sided == 1 ? "a one-sided level in (0, 0.5)" : "a two-sided level in (0, 1)");
  if (!(in.beta > 0 && in.beta < 1 - in.alpha / in.sided))
    fail_input(where, "beta", num(in.beta), "a type II error strictly between 0 and 1 - alpha/sided");
  const bool two = in.sided == 2;
  GroupSequentialDesign d;
  d.information_rates = t;

  // Boundaries under H0, look by look.
  Recursion rec{t, 0.0, two, {}, {}, 0};
  double spent_before = 0;
  for (std::size_t k = 0; k < t.size(); ++k) {
    const double spent = alpha_spent(in.spending, in.alpha, t[k], in.sided);
    const double inc = spent - spent_before;
    double c;
    if (k == 0) {
      c = z_upper(inc / in.sided);
    } else {
      auto f = [&](double x) {
        const auto [up, low] = rec.cross(x);
        return up + low - inc;
      };
      double lo = 0, hi = 40;
      const double flo = f(lo), fhi = f(hi);
      if (!(flo > 0 && fhi < 0)) throw Error(ErrorCategory::internal, std::string(where) + ": boundary not bracketed at look " + std::to_string(k + 1));
      c = brent_root(f, lo, hi, flo, fhi, 1e-13).root;
    }
    d.critical_values.push_back(c);
    d.alpha_spent.push_back(spent);
    d.stage_levels.push_back(pnorm_upper(c));
    spent_before = spent;
    if (k + 1 < t.size()) rec.advance(c);
  }

  // Drift for power 1 - beta (upper crossings; rpact's twoSidedPower = FALSE), then IF and ASN.
  const double zf = z_upper(in.alpha / in.sided) + z_upper(in.beta);
  d.fixed_drift_squared = zf * zf;
  auto power_at = [&](double drift) {
    const auto p = boundary_crossing(t, d.critical_values, drift, two);
    double s = 0;
    for (double v : p.upper) s += v;
    return s;
  };
  auto g = [&](double drift) { return power_at(drift) - (1 - in.beta); };
  double lo = zf * 0.5, hi = zf * 2;
  while (g(hi) < 0) hi *= 2;
  const double drift = brent_root(g, lo, hi, g(lo), g(hi), 1e-12).root;
  d.drift_squared = drift * drift;
  d.inflation_factor = d.drift_squared / d.fixed_drift_squared;
  const auto h1 = boundary_crossing(t, d.critical_values, drift, two);
  d.rejection_probabilities = h1.upper;
  d.power = 0;
  for (double v : h1.upper) d.power += v;
  auto expected_fraction = [&](double theta) {
    const auto p = boundary_crossing(t, d.critical_values, theta, two);
    double e = 0, go_on = 1;
    for (std::size_t k = 0; k + 1 < t.size(); ++k) {
      const double stop = p.upper[k] + p.lower[k];
      e += t[k] * stop;
      go_on -= stop;
    }
    return e + t.back() * go_on;
  };
  d.expected_relative_size_h1 = expected_fraction(drift) * d.inflation_factor;
  d.expected_relative_size_h01 = expected_fraction(drift / 2) * d.inflation_factor;
  d.expected_relative_size_h0 = expected_fraction(0) * d.inflation_factor;
  return d;
}

}  // namespace sirtkit::stats
