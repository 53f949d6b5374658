#include "stats/trial/bayesian_monitoring.h"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/binomial.hpp>
#include <boost/math/quadrature/gauss_kronrod.hpp>
#include <cmath>
#include <limits>
#include <random>

#include "core/error.h"
#include "core/format.h"

namespace sirtkit::stats {
namespace {

constexpr const char* where = "Bayesian monitoring";

void check_prior(const char* field, const BetaPrior& p) {
  if (!(std::isfinite(p.a) && p.a > 0 && std::isfinite(p.b) && p.b > 0))
    fail_input(where, field, num(p.a) + "," + num(p.b), "Beta parameters a, b > 0");
}

void check_rule(const char* name, const MonitoringRule& r) {
  const std::string n(name);
  check_prior((n + " experimental prior").c_str(), r.experimental);
  if (r.standard) check_prior((n + " standard prior").c_str(), *r.standard);
  else if (!(r.target > 0 && r.target < 1)) fail_input(where, n + " target", num(r.target), "a rate strictly between 0 and 1");
  if (!(r.delta > -1 && r.delta < 1)) fail_input(where, n + " delta", num(r.delta), "a difference in (-1, 1)");
  if (!(r.threshold > 0 && r.threshold < 1)) fail_input(where, n + " threshold", num(r.threshold), "a probability strictly between 0 and 1");
}

// 1 - F_Beta(a, b)(x), with the ends handled.
double beta_upper(double a, double b, double x) {
  if (x <= 0) return 1;
  if (x >= 1) return 0;
  return boost::math::cdf(boost::math::complement(boost::math::beta_distribution<double>(a, b), x));
}

// The uniform (0, 1) of a 64-bit draw: the top 53 bits, so the stream is the
// same on every platform (std::uniform_real_distribution is not specified exactly).
double uniform01(std::mt19937_64& g) { return static_cast<double>(g() >> 11) * 0x1.0p-53; }

}  // namespace

BetaPrior beta_from_mean(double mean, double ess) {
  if (!(mean > 0 && mean < 1)) fail_input(where, "prior mean", num(mean), "a mean strictly between 0 and 1");
  if (!(std::isfinite(ess) && ess > 0)) fail_input(where, "prior effective sample size", num(ess), "a + b > 0");
  return {mean * ess, (1 - mean) * ess};
}

double posterior_exceed_probability(const MonitoringRule& r, int x, int n) {
  if (n < 0 || x < 0 || x > n) fail_input(where, "events", std::to_string(x), "a count from 0 to n = " + std::to_string(n));
  const double a = r.experimental.a + x, b = r.experimental.b + (n - x);
  if (!r.standard) return beta_upper(a, b, r.target + r.delta);
  // Pr(theta_E > theta_S + delta) = F_S(-delta) [theta_E > s + delta surely when s + delta <= 0]
  //   + integral over s in (max(0, -delta), min(1, 1 - delta)) of f_S(s) (1 - F_E(s + delta)) ds.
  const boost::math::beta_distribution<double> s_dist(r.standard->a, r.standard->b);
  const double lo = std::max(0.0, -r.delta), hi = std::min(1.0, 1 - r.delta);
  double p = lo > 0 ? boost::math::cdf(s_dist, lo) : 0.0;
  auto f = [&](double s) { return boost::math::pdf(s_dist, s) * beta_upper(a, b, s + r.delta); };
  // Split at the mode of f_S so a peaked standard prior (large ESS) is not missed.
  double mode = (r.standard->a > 1 && r.standard->b > 1) ? (r.standard->a - 1) / (r.standard->a + r.standard->b - 2) : (lo + hi) / 2;
  mode = std::min(std::max(mode, lo), hi);
  using gk = boost::math::quadrature::gauss_kronrod<double, 61>;
  if (mode > lo) p += gk::integrate(f, lo, mode, 20, 1e-13);
  if (hi > mode) p += gk::integrate(f, mode, hi, 20, 1e-13);
  return std::min(1.0, std::max(0.0, p));
}

void check_design(const MonitoringDesign& d) {
  if (!d.futility && !d.toxicity) fail_input(where, "rules", "(none)", "a futility rule, a toxicity rule or both");
  if (d.futility) check_rule("futility", *d.futility);
  if (d.toxicity) check_rule("toxicity", *d.toxicity);
  if (d.schedule.empty()) fail_input(where, "schedule", "(empty)", "the numbers of patients at each look");
  for (std::size_t k = 0; k < d.schedule.size(); ++k)
    if (d.schedule[k] < 1 || (k > 0 && d.schedule[k] <= d.schedule[k - 1]) || d.schedule[k] > 1000)
      fail_input(where, "schedule", std::to_string(d.schedule[k]), "strictly increasing numbers of patients from 1 to 1000");
}

std::vector<BoundaryRow> monitoring_boundaries(const MonitoringDesign& d) {
  check_design(d);
  std::vector<BoundaryRow> rows;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (int n : d.schedule) {
    BoundaryRow row;
    row.n = n;
    row.futility_probability = row.toxicity_probability = nan;
    if (d.futility) {
      // The probability rises with the responses: the largest x with Pr < p_L.
      for (int x = n; x >= 0; --x) {
        const double p = posterior_exceed_probability(*d.futility, x, n);
        if (p < d.futility->threshold) {
          row.futility_max = x;
          row.futility_probability = p;
          break;
        }
      }
    }
    row.toxicity_min = n + 1;
    if (d.toxicity) {
      for (int x = 0; x <= n; ++x) {  // the smallest x with Pr > p_U
        const double p = posterior_exceed_probability(*d.toxicity, x, n);
        if (p > d.toxicity->threshold) {
          row.toxicity_min = x;
          row.toxicity_probability = p;
          break;
        }
      }
    }
    rows.push_back(row);
  }
  return rows;
}

const char* monitoring_decision_name(MonitoringDecision d) {
  switch (d) {
    case MonitoringDecision::continue_trial: return "continue";
    case MonitoringDecision::stop_futility: return "stop for futility";
    case MonitoringDecision::stop_toxicity: return "stop for toxicity";
    case MonitoringDecision::stop_both: return "stop for futility and toxicity";
  }
  return "?";
}

LiveDecision monitoring_decision(const MonitoringDesign& d, int n, std::optional<int> responses, std::optional<int> toxicities) {
  check_design(d);
  if (n < 1 || n > 1000) fail_input(where, "n", std::to_string(n), "patients evaluated, 1 to 1000");
  LiveDecision out;
  bool fut = false, tox = false;
  if (d.futility) {
    if (!responses) fail_input(where, "responses", "(none)", "the responses so far (the design has a futility rule)");
    if (*responses < 0 || *responses > n) fail_input(where, "responses", std::to_string(*responses), "a count from 0 to n");
    out.futility_probability = posterior_exceed_probability(*d.futility, *responses, n);
    fut = *out.futility_probability < d.futility->threshold;
  }
  if (d.toxicity) {
    if (!toxicities) fail_input(where, "toxicities", "(none)", "the toxicities so far (the design has a toxicity rule)");
    if (*toxicities < 0 || *toxicities > n) fail_input(where, "toxicities", std::to_string(*toxicities), "a count from 0 to n");
    out.toxicity_probability = posterior_exceed_probability(*d.toxicity, *toxicities, n);
    tox = *out.toxicity_probability > d.toxicity->threshold;
  }
  out.decision = fut && tox ? MonitoringDecision::stop_both
                 : fut      ? MonitoringDecision::stop_futility
                 : tox      ? MonitoringDecision::stop_toxicity
                            : MonitoringDecision::continue_trial;
  for (std::size_t k = 0; k < d.schedule.size(); ++k)
    if (d.schedule[k] == n) {
      MonitoringDesign one = d;
      one.schedule = {n};
      out.boundary = monitoring_boundaries(one).front();
      out.at_look = true;
    }
  return out;
}

OperatingCharacteristics monitoring_operating_characteristics(const MonitoringDesign& d, double p_resp, double p_tox,
                                                              long simulations, std::uint64_t seed) {
  check_design(d);
  if (d.futility && !(p_resp >= 0 && p_resp <= 1)) fail_input(where, "true response rate", num(p_resp), "a rate in [0, 1]");
  if (d.toxicity && !(p_tox >= 0 && p_tox <= 1)) fail_input(where, "true toxicity rate", num(p_tox), "a rate in [0, 1]");
  if (simulations < 1 || simulations > 100000000) fail_input(where, "simulations", std::to_string(simulations), "1 to 1e8 simulated trials");
  const auto bounds = monitoring_boundaries(d);
  const std::size_t looks = bounds.size();
  OperatingCharacteristics oc;
  oc.true_response = p_resp;
  oc.true_toxicity = p_tox;
  oc.simulations = simulations;
  oc.seed = seed;

  // Exact: the response and toxicity counts are independent, so P(no rule has fired by look k)
  // is the product of each count's probability of staying inside its continuation region.
  auto survival = [&](double p, bool futility) {
    std::vector<double> surv(looks + 1, 1.0);  // surv[k] = P(inside after looks 1..k)
    std::vector<double> dist{1.0};              // P(count = x, inside so far)
    int n_prev = 0;
    for (std::size_t k = 0; k < looks; ++k) {
      const int n = bounds[k].n, m = n - n_prev;
      std::vector<double> next(n + 1, 0.0);
      const boost::math::binomial_distribution<double> add(m, p);
      std::vector<double> pm(m + 1);
      for (int j = 0; j <= m; ++j) pm[j] = boost::math::pdf(add, j);
      for (std::size_t x = 0; x < dist.size(); ++x)
        if (dist[x] != 0)
          for (int j = 0; j <= m; ++j) next[x + j] += dist[x] * pm[j];
      double s = 0;
      for (int x = 0; x <= n; ++x) {
        const bool stop = futility ? x <= bounds[k].futility_max : x >= bounds[k].toxicity_min;
        if (stop) next[x] = 0;
        s += next[x];
      }
      surv[k + 1] = s;
      dist = std::move(next);
      n_prev = n;
    }
    return surv;
  };
  const std::vector<double> ones(looks + 1, 1.0);
  const auto sr = d.futility ? survival(p_resp, true) : ones;
  const auto st = d.toxicity ? survival(p_tox, false) : ones;
  const int n_max = bounds.back().n;
  oc.expected_n = 0;
  for (std::size_t k = 0; k < looks; ++k) {
    const double stop_k = sr[k] * st[k] - sr[k + 1] * st[k + 1];
    if (k + 1 < looks) {
      oc.p_stop += stop_k;
      oc.p_stop_futility += (sr[k] - sr[k + 1]) * st[k];
      oc.p_stop_toxicity += (st[k] - st[k + 1]) * sr[k];
      oc.expected_n += stop_k * bounds[k].n;
    }
  }
  oc.expected_n += (1 - oc.p_stop) * n_max;

  // Simulation: patient by patient, rules checked at each look.
  std::mt19937_64 gen(seed);
  long stops = 0, stops_f = 0, stops_t = 0;
  double sum_n = 0, sum_n2 = 0;
  oc.sim_p_stop_at_look.assign(looks, 0.0);
  for (long s = 0; s < simulations; ++s) {
    int resp = 0, tox = 0, n = 0;
    int n_used = n_max;
    for (std::size_t k = 0; k < looks; ++k) {
      for (; n < bounds[k].n; ++n) {
        resp += uniform01(gen) < p_resp;
        tox += uniform01(gen) < p_tox;
      }
      const bool f = d.futility && resp <= bounds[k].futility_max;
      const bool t = d.toxicity && tox >= bounds[k].toxicity_min;
      if (f || t) {
        oc.sim_p_stop_at_look[k] += 1;
        if (k + 1 < looks) {
          ++stops;
          stops_f += f;
          stops_t += t;
          n_used = bounds[k].n;
        }
        break;
      }
    }
    sum_n += n_used;
    sum_n2 += static_cast<double>(n_used) * n_used;
  }
  const double ns = static_cast<double>(simulations);
  auto prop = [&](long c, double& p, double& se) {
    p = c / ns;
    se = std::sqrt(p * (1 - p) / ns);
  };
  prop(stops, oc.sim_p_stop, oc.se_p_stop);
  prop(stops_f, oc.sim_p_stop_futility, oc.se_p_stop_futility);
  prop(stops_t, oc.sim_p_stop_toxicity, oc.se_p_stop_toxicity);
  oc.sim_expected_n = sum_n / ns;
  const double var = simulations > 1 ? (sum_n2 - ns * oc.sim_expected_n * oc.sim_expected_n) / (ns - 1) : 0.0;
  oc.se_expected_n = std::sqrt(std::max(0.0, var) / ns);
  for (auto& v : oc.sim_p_stop_at_look) v /= ns;
  return oc;
}

}  // namespace sirtkit::stats
