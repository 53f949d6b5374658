// sirtkit monitor boundaries | oc | decide: argument parsing only; the work is
// in pipelines/trial/trial_monitoring.
#include <memory>
#include <optional>
#include <sstream>

#include "cli/commands.h"
#include "cli/result_command.h"
#include "core/error.h"
#include "core/format.h"
#include "pipelines/trial/trial_monitoring.h"

namespace sirtkit::cli {
namespace {

// The options that define a design, shared by the three commands.
struct DesignArgs : JsonTextOutput {
  std::vector<int> schedule;
  int every = 0, max_n = 0, first = 0;
  // futility (responses)
  std::vector<double> resp_prior, resp_standard_prior;
  std::optional<double> resp_standard, resp_prior_ess;
  double resp_delta = 0, resp_stop = 0.05;
  // toxicity
  std::vector<double> tox_prior, tox_standard_prior;
  std::optional<double> tox_target, tox_prior_ess;
  double tox_delta = 0, tox_stop = 0.9;

  static stats::BetaPrior pair(const std::vector<double>& v, const std::string& option) {
    if (v.size() != 2) fail_input("options", option, std::to_string(v.size()) + " numbers", "two Beta parameters a,b");
    return {v[0], v[1]};
  }

  // Thall & Simon (1994): the experimental prior has the standard's mean plus delta/2
  // and a small effective sample size (ESS, default 2) when not given.
  static std::optional<stats::MonitoringRule> rule(const std::vector<double>& prior, const std::vector<double>& standard_prior,
                                                   const std::optional<double>& fixed, const std::optional<double>& ess, double delta,
                                                   double threshold, const std::string& name, const std::string& standard_option) {
    if (standard_prior.empty() && !fixed) {
      if (!prior.empty()) fail_input("options", name + "-prior", "(given)", "--" + standard_option + " or --" + name + "-standard-prior as well");
      return std::nullopt;
    }
    if (!standard_prior.empty() && fixed)
      fail_input("options", standard_option, num(*fixed), "either a fixed rate or --" + name + "-standard-prior, not both");
    stats::MonitoringRule r;
    if (fixed) r.target = *fixed;
    else r.standard = pair(standard_prior, name + "-standard-prior");
    r.delta = delta;
    r.threshold = threshold;
    if (!prior.empty()) {
      if (ess) fail_input("options", name + "-prior-ess", num(*ess), "no ESS with an explicit --" + name + "-prior");
      r.experimental = pair(prior, name + "-prior");
    } else {
      const double mean_s = r.standard ? r.standard->a / (r.standard->a + r.standard->b) : r.target;
      r.experimental = stats::beta_from_mean(mean_s + delta / 2, ess.value_or(2.0));
    }
    return r;
  }

  stats::MonitoringDesign design() const {
    stats::MonitoringDesign d;
    if (!schedule.empty()) {
      if (every || max_n) fail_input("options", "schedule", "(with --every/--max-n)", "either --schedule or --every with --max-n");
      d.schedule = schedule;
    } else {
      if (every < 1) fail_input("options", "every", std::to_string(every), "patients between looks >= 1 (or --schedule)");
      if (max_n < 1 || max_n > 1000) fail_input("options", "max-n", std::to_string(max_n), "the maximum number of patients, 1 to 1000");
      const int start = first > 0 ? first : every;
      for (int n = start; n < max_n; n += every) d.schedule.push_back(n);
      d.schedule.push_back(max_n);
    }
    d.futility = rule(resp_prior, resp_standard_prior, resp_standard, resp_prior_ess, resp_delta, resp_stop, "resp", "resp-standard");
    d.toxicity = rule(tox_prior, tox_standard_prior, tox_target, tox_prior_ess, tox_delta, tox_stop, "tox", "tox-target");
    return d;
  }
};

void add_design(CLI::App* cmd, DesignArgs& a) {
  cmd->add_option("--schedule", a.schedule, "patients evaluated at each look, e.g. 5,10,20,40")->delimiter(',');
  cmd->add_option("--every", a.every, "a look every this many patients ...");
  cmd->add_option("--max-n", a.max_n, "... up to this maximum (the last look)");
  cmd->add_option("--first", a.first, "first look at this many patients (default --every)");
  cmd->add_option("--resp-standard", a.resp_standard, "futility: the standard response rate theta_S, fixed");
  cmd->add_option("--resp-standard-prior", a.resp_standard_prior, "futility: theta_S ~ Beta(a,b), e.g. 30,70")->delimiter(',');
  cmd->add_option("--resp-prior", a.resp_prior, "futility: experimental prior Beta(a,b) (default: mean theta_S + delta/2, ESS 2)")->delimiter(',');
  cmd->add_option("--resp-prior-ess", a.resp_prior_ess, "futility: effective sample size of the default experimental prior");
  cmd->add_option("--resp-delta", a.resp_delta, "futility: improvement over theta_S worth having (e.g. 0.15)")->capture_default_str();
  cmd->add_option("--resp-stop", a.resp_stop, "futility: stop if Pr(theta_E > theta_S + delta | data) is below this")->capture_default_str();
  cmd->add_option("--tox-target", a.tox_target, "toxicity: the acceptable toxicity rate, fixed (e.g. 0.20)");
  cmd->add_option("--tox-standard-prior", a.tox_standard_prior, "toxicity: theta_S ~ Beta(a,b) instead of a fixed target")->delimiter(',');
  cmd->add_option("--tox-prior", a.tox_prior, "toxicity: experimental prior Beta(a,b), e.g. 0.4,1.6 (default: mean target + delta/2, ESS 2)")->delimiter(',');
  cmd->add_option("--tox-prior-ess", a.tox_prior_ess, "toxicity: effective sample size of the default experimental prior");
  cmd->add_option("--tox-delta", a.tox_delta, "toxicity: excess over the target that matters")->capture_default_str();
  cmd->add_option("--tox-stop", a.tox_stop, "toxicity: stop if Pr(theta_E > target + delta | data) is above this")->capture_default_str();
}

}  // namespace

void add_trial_monitoring_commands(CLI::App& app) {
  CLI::App* mon = app.add_subcommand("monitor", "Bayesian monitoring for futility and toxicity (Thall-Simon): boundaries, operating characteristics, decision");
  mon->require_subcommand(1);
  {
    auto a = std::make_shared<DesignArgs>();
    CLI::App* cmd = mon->add_subcommand("boundaries", "The table of stopping boundaries at each look");
    add_design(cmd, *a);
    const auto run = [](const DesignArgs& a) { return pipelines::run_monitor_boundaries(a.design()); };
    add_result_output(cmd, a, "monitor_boundaries.json", run, report::monitor_boundaries_json, report::monitor_boundaries_text);
  }
  {
    struct Args : DesignArgs {
      std::vector<double> resp{0}, tox{0};
      long simulations = 10000;
      std::uint64_t seed = 1;
    };
    auto a = std::make_shared<Args>();
    CLI::App* cmd = mon->add_subcommand("oc", "Operating characteristics: P(stop early), expected sample size under true rates (exact and simulated)");
    add_design(cmd, *a);
    cmd->add_option("--true-response", a->resp, "true response rate(s), comma-separated scenarios")->delimiter(',');
    cmd->add_option("--true-toxicity", a->tox, "true toxicity rate(s), one or one per response scenario")->delimiter(',');
    cmd->add_option("--simulations", a->simulations, "simulated trials per scenario")->capture_default_str();
    cmd->add_option("--seed", a->seed, "random seed (the same seed gives the same simulation)")->capture_default_str();
    const auto run = [](const Args& a) {
      pipelines::MonitorOcRequest rq;
      rq.design = a.design();
      rq.true_response = a.resp;
      rq.true_toxicity = a.tox;
      rq.simulations = a.simulations;
      rq.seed = a.seed;
      return pipelines::run_monitor_oc(rq);
    };
    add_result_output(cmd, a, "monitor_oc.json", run, report::monitor_oc_json, report::monitor_oc_text);
  }
  {
    struct Args : DesignArgs {
      int n = 0;
      std::optional<int> responses, toxicities;
    };
    auto a = std::make_shared<Args>();
    CLI::App* cmd = mon->add_subcommand("decide", "The decision for the data so far: continue or stop, with the posterior probabilities");
    add_design(cmd, *a);
    cmd->add_option("--n", a->n, "patients evaluated so far")->required();
    cmd->add_option("--responses", a->responses, "responses among them (futility rule)");
    cmd->add_option("--toxicities", a->toxicities, "toxicities among them (toxicity rule)");
    const auto run = [](const Args& a) {
      pipelines::MonitorDecideRequest rq;
      rq.design = a.design();
      rq.n = a.n;
      rq.responses = a.responses;
      rq.toxicities = a.toxicities;
      return pipelines::run_monitor_decide(rq);
    };
    add_result_output(cmd, a, "monitor_decision.json", run, report::monitor_decision_json, report::monitor_decision_text);
  }
}

}  // namespace sirtkit::cli
