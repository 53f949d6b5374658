#include "pipelines/trial/trial_design.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/format.h"

namespace sirtkit::pipelines {
namespace {

report::SequentialSize sequential_design(const SequentialPlan& plan, double alpha, double beta, int sided) {
  stats::GroupSequentialInput in;
  in.information_rates = plan.information_rates;
  in.alpha = alpha;
  in.beta = beta;
  in.sided = sided;
  in.spending = plan.spending;
  return {stats::group_sequential_design(in), plan.spending};
}

int count_given(std::initializer_list<bool> v) {
  int n = 0;
  for (bool b : v) n += b;
  return n;
}

void check_one_survival_each(const LogRankSizeRequest& rq) {
  if (count_given({rq.median_control.has_value(), rq.hazard_control.has_value(), rq.event_probability_control.has_value()}) > 1)
    fail_input("options", "median-control/hazard-control/event-prob-control", "(more than one)", "one way to give the control arm's survival");
  if (count_given({rq.median_experimental.has_value(), rq.hazard_experimental.has_value(), rq.event_probability_experimental.has_value()}) > 1)
    fail_input("options", "median-experimental/hazard-experimental/event-prob-experimental", "(more than one)",
               "one way to give the experimental arm's survival");
}

// A hazard per time unit from a median, a hazard or an event probability by `event_time`.
double hazard_of(const std::optional<double>& median, const std::optional<double>& h, const std::optional<double>& p, double event_time) {
  if (median) return stats::hazard_from_median(*median);
  if (h) {
    if (!(std::isfinite(*h) && *h > 0)) fail_input("options", "hazard", num(*h), "a hazard > 0 per time unit");
    return *h;
  }
  return stats::hazard_from_event_probability(*p, event_time);
}

}  // namespace

std::vector<double> equally_spaced_information(int looks) {
  if (looks < 1 || looks > 20) fail_input("options", "looks", std::to_string(looks), "1 to 20 looks");
  std::vector<double> t;
  for (int k = 1; k <= looks; ++k) t.push_back(k == looks ? 1.0 : static_cast<double>(k) / looks);
  return t;
}

report::LogRankSizeResult run_logrank_size(const LogRankSizeRequest& rq) {
  check_one_survival_each(rq);
  const bool has_ctrl_hazard = rq.median_control || rq.hazard_control || rq.event_probability_control;
  const bool has_exp_hazard = rq.median_experimental || rq.hazard_experimental || rq.event_probability_experimental;
  report::LogRankSizeResult r;
  r.events = rq.events;
  auto& ev = r.events;
  double lambda2 = 0, lambda1 = 0;
  if (has_ctrl_hazard) lambda2 = hazard_of(rq.median_control, rq.hazard_control, rq.event_probability_control, rq.event_time);
  if (has_exp_hazard) {
    if (!has_ctrl_hazard) fail_input("options", "median-control", "(none)", "the control arm's survival with the experimental arm's");
    if (ev.hazard_ratio != 0) fail_input("options", "hazard-ratio", num(ev.hazard_ratio), "no hazard ratio when the experimental arm's survival is given");
    lambda1 = hazard_of(rq.median_experimental, rq.hazard_experimental, rq.event_probability_experimental, rq.event_time);
    ev.hazard_ratio = lambda1 / lambda2;
  } else {
    lambda1 = ev.hazard_ratio * lambda2;
  }
  r.events_fixed = stats::log_rank_events(ev);
  double inflation = 1;
  if (rq.sequential) {
    r.sequential = sequential_design(*rq.sequential, ev.rates.alpha, ev.rates.beta, ev.rates.sided);
    inflation = r.sequential->design.inflation_factor;
  }
  if (rq.accrual) {
    if (!has_ctrl_hazard) fail_input("options", "median-control", "(none)", "the control arm's survival (median, hazard or event probability) to count patients");
    r.accrual = rq.accrual;
    r.patients = stats::log_rank_patients(r.events_fixed * inflation, lambda1, lambda2, ev.allocation_ratio, *rq.accrual);
  }
  return r;
}

ProportionsMethod parse_proportions_method(const std::string& s) {
  if (s == "rpact" || s == "farrington-manning") return ProportionsMethod::rpact;
  if (s == "power.prop.test" || s == "pooled") return ProportionsMethod::power_prop_test;
  fail_input("options", "method", s, "rpact or power.prop.test");
}

namespace {

report::ProportionsSizeResult power_prop_test_size(const ProportionsSizeRequest& rq) {
  const auto& r = rq.rates;
  if (rq.sequential) fail_input("options", "looks", "(given)", "a group-sequential plan only with --method rpact");
  if (r.allocation_ratio != 1 || r.risk_ratio || r.theta0 != 0)
    fail_input("options", "method", "power.prop.test", "equal allocation and a zero difference under H0 (use --method rpact)");
  report::ProportionsSizeResult out;
  out.power_prop_test = true;
  out.rates = r;
  out.strict = rq.strict;
  const stats::PowerPropInput in{r.pi1, r.pi2, r.alpha, r.sided == 1, rq.strict};
  if (rq.n_per_group) {
    out.n_given = rq.n_per_group;
    out.power = stats::power_prop_test_power(in, *rq.n_per_group);
    return out;
  }
  out.n_per_group = stats::power_prop_test_n(in, 1 - r.beta);
  if (rq.continuity_correction) out.n_continuity_corrected = stats::continuity_corrected_n(out.n_per_group, r.pi1 - r.pi2, 1);
  return out;
}

report::ProportionsSizeResult rpact_rates_size(const ProportionsSizeRequest& rq) {
  const auto& r = rq.rates;
  if (rq.n_per_group) fail_input("options", "n", num(*rq.n_per_group), "a power calculation only with --method power.prop.test");
  if (rq.strict) fail_input("options", "strict", "(given)", "--strict only with --method power.prop.test");
  report::ProportionsSizeResult out;
  out.rates = r;
  out.size = stats::rates_sample_size(r);
  if (rq.continuity_correction) {
    const double ratio = r.allocation_ratio >= 1 ? r.allocation_ratio : 1 / r.allocation_ratio;
    const double nc = stats::continuity_corrected_n(std::min(out.size.n1, out.size.n2), r.pi1 - r.pi2, ratio);
    out.n_continuity_corrected = nc;
    out.n_total_continuity_corrected = nc * (1 + ratio);
  }
  if (rq.sequential) out.sequential = sequential_design(*rq.sequential, r.alpha, r.beta, r.sided);
  return out;
}

}  // namespace

report::ProportionsSizeResult run_proportions_size(const ProportionsSizeRequest& rq) {
  return rq.method == ProportionsMethod::power_prop_test ? power_prop_test_size(rq) : rpact_rates_size(rq);
}

report::BinomialSizeResult run_binomial_size(const BinomialSizeRequest& rq) {
  return {rq.p0, rq.p1, rq.alpha, rq.beta, stats::exact_binomial_design(rq.p0, rq.p1, rq.alpha, rq.beta, rq.max_n)};
}

report::SimonSizeResult run_simon_size(const SimonSizeRequest& rq) {
  report::SimonSizeResult r{rq.p0, rq.p1, rq.alpha, rq.beta, rq.max_n, {}};
  for (auto c : rq.criteria) r.designs.emplace_back(c, stats::simon_design(rq.p0, rq.p1, rq.alpha, rq.beta, c, rq.max_n));
  return r;
}

report::GroupSequentialResult run_group_sequential(const GroupSequentialRequest& rq) {
  report::GroupSequentialResult r{rq.design, stats::group_sequential_design(rq.design), rq.fixed_size};
  if (rq.fixed_size && !(std::isfinite(*rq.fixed_size) && *rq.fixed_size > 0))
    fail_input("options", "fixed-n", num(*rq.fixed_size), "a fixed sample size > 0");
  return r;
}

}  // namespace sirtkit::pipelines
