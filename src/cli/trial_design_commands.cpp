// sirtkit samplesize logrank | proportions | binomial | simon | gs: argument
// parsing only; the work is in pipelines/trial/trial_design.
#include <memory>
#include <optional>

#include "cli/commands.h"
#include "cli/result_command.h"
#include "core/error.h"
#include "pipelines/trial/trial_design.h"
#include "report/trial/trial_design.h"

namespace sirtkit::cli {
namespace {

// --power or --beta (one of them), alpha and sidedness, shared by every design.
struct ErrorRates {
  explicit ErrorRates(double default_alpha) : alpha(default_alpha) {}
  double alpha;
  std::optional<double> power, beta;
  int sided = 1;
  double beta_value() const {
    if (power && beta) fail_input("options", "power/beta", "(both)", "either --power or --beta");
    if (beta) return *beta;
    return 1 - power.value_or(0.8);
  }
};

void add_rates(CLI::App* cmd, ErrorRates& r, bool with_sided) {
  cmd->add_option("--alpha", r.alpha, "significance level (total; a two-sided test spends alpha/2 per side)")->capture_default_str();
  cmd->add_option("--power", r.power, "power 1 - beta (default 0.8)");
  cmd->add_option("--beta", r.beta, "type II error (instead of --power; rpact's beta)");
  if (with_sided) cmd->add_option("--sided", r.sided, "1 or 2 (rpact's sided)")->capture_default_str();
}

// --looks / --information-rates / --spending: a group-sequential plan.
struct Sequential {
  int looks = 0;
  std::vector<double> rates;
  std::string spending = "obrien-fleming";
  std::optional<pipelines::SequentialPlan> plan() const {
    if (looks == 0 && rates.empty()) return std::nullopt;
    pipelines::SequentialPlan p;
    if (!rates.empty()) {
      if (looks != 0 && looks != static_cast<int>(rates.size()))
        fail_input("options", "looks", std::to_string(looks), "the number of --information-rates (" + std::to_string(rates.size()) + ")");
      p.information_rates = rates;
    } else {
      p.information_rates = pipelines::equally_spaced_information(looks);
    }
    p.spending = stats::parse_spending_function(spending);
    return p;
  }
};

void add_sequential(CLI::App* cmd, Sequential& s) {
  cmd->add_option("--looks", s.looks, "number of equally spaced analyses, the last one final (group-sequential)");
  cmd->add_option("--information-rates", s.rates, "information fractions of the analyses, e.g. 0.5,0.75,1 (instead of --looks)")->delimiter(',');
  cmd->add_option("--spending", s.spending, "alpha-spending function: obrien-fleming (rpact asOF) or pocock (asP)")->capture_default_str();
}

}  // namespace

// The monitoring half of the trial-design family (cli/trial_monitoring_commands.cpp).
void add_trial_monitoring_commands(CLI::App& app);

namespace {

struct LogRankArgs : JsonTextOutput {
  ErrorRates r{0.025};
  Sequential s;
  std::string method = "schoenfeld";
  double hr = 0, hr0 = 1, alloc = 1, event_time = 12;
  std::optional<double> med_c, haz_c, prob_c, med_e, haz_e, prob_e;
  std::optional<double> accrual_time, follow_up, accrual_rate;
  std::optional<double> dropout, dropout_c, dropout_e;
  double dropout_time = 12;
};

std::optional<stats::SurvivalAccrual> accrual_of(const LogRankArgs& a) {
  if (!a.accrual_time) {
    if (a.follow_up || a.accrual_rate) fail_input("options", "accrual-time", "(none)", "an accrual time with --follow-up or --accrual-rate");
    return std::nullopt;
  }
  stats::SurvivalAccrual acc;
  acc.accrual_time = *a.accrual_time;
  acc.follow_up_time = a.follow_up;
  acc.accrual_rate = a.accrual_rate;
  if (a.dropout && (a.dropout_c || a.dropout_e))
    fail_input("options", "dropout-rate", "(with a per-arm rate)", "either --dropout-rate or the per-arm rates");
  acc.dropout_rate1 = a.dropout_e.value_or(a.dropout.value_or(0));
  acc.dropout_rate2 = a.dropout_c.value_or(a.dropout.value_or(0));
  acc.dropout_time = a.dropout_time;
  return acc;
}

report::LogRankSizeResult run_logrank(const LogRankArgs& a) {
  pipelines::LogRankSizeRequest rq;
  rq.events.rates = {a.r.alpha, a.r.beta_value(), a.r.sided};
  rq.events.method = stats::parse_log_rank_events_method(a.method);
  rq.events.hazard_ratio = a.hr;
  rq.events.hazard_ratio_null = a.hr0;
  rq.events.allocation_ratio = a.alloc;
  rq.median_control = a.med_c;
  rq.hazard_control = a.haz_c;
  rq.event_probability_control = a.prob_c;
  rq.median_experimental = a.med_e;
  rq.hazard_experimental = a.haz_e;
  rq.event_probability_experimental = a.prob_e;
  rq.event_time = a.event_time;
  rq.accrual = accrual_of(a);
  rq.sequential = a.s.plan();
  return pipelines::run_logrank_size(rq);
}

void add_samplesize_logrank_command(CLI::App& ss) {
  auto a = std::make_shared<LogRankArgs>();
  CLI::App* cmd = ss.add_subcommand("logrank", "Events and patients for a log-rank comparison (Schoenfeld, Freedman; accrual and follow-up as rpact)");
  add_rates(cmd, a->r, true);
  cmd->add_option("--method", a->method, "schoenfeld, freedman or hsieh-freedman (rpact typeOfComputation)")->capture_default_str();
  cmd->add_option("--hazard-ratio", a->hr, "hazard ratio experimental/control under the alternative");
  cmd->add_option("--hazard-ratio-null", a->hr0, "hazard ratio under H0 (Schoenfeld only; rpact thetaH0)")->capture_default_str();
  cmd->add_option("--allocation-ratio", a->alloc, "patients experimental/control (rpact allocationRatioPlanned)")->capture_default_str();
  cmd->add_option("--median-control", a->med_c, "control median survival (rpact median2)");
  cmd->add_option("--hazard-control", a->haz_c, "control hazard per time unit (rpact lambda2)");
  cmd->add_option("--event-prob-control", a->prob_c, "control P(event) by --event-time (rpact pi2)");
  cmd->add_option("--median-experimental", a->med_e, "experimental median survival, instead of --hazard-ratio (rpact median1)");
  cmd->add_option("--hazard-experimental", a->haz_e, "experimental hazard per time unit (rpact lambda1)");
  cmd->add_option("--event-prob-experimental", a->prob_e, "experimental P(event) by --event-time (rpact pi1)");
  cmd->add_option("--event-time", a->event_time, "time of the event probabilities (rpact eventTime)")->capture_default_str();
  cmd->add_option("--accrual-time", a->accrual_time, "uniform accrual over [0, T]: count patients as well as events");
  cmd->add_option("--follow-up", a->follow_up, "follow-up after the last patient enters (rpact followUpTime)");
  cmd->add_option("--accrual-rate", a->accrual_rate, "patients per time unit, instead of --follow-up: the follow-up is solved (rpact accrualIntensity)");
  cmd->add_option("--dropout-rate", a->dropout, "proportion lost to follow-up by --dropout-time, both arms");
  cmd->add_option("--dropout-rate-experimental", a->dropout_e, "drop-out proportion, experimental arm (rpact dropoutRate1)");
  cmd->add_option("--dropout-rate-control", a->dropout_c, "drop-out proportion, control arm (rpact dropoutRate2)");
  cmd->add_option("--dropout-time", a->dropout_time, "time of the drop-out proportions (rpact dropoutTime)")->capture_default_str();
  add_sequential(cmd, a->s);
  add_result_output(cmd, a, "samplesize_logrank.json", run_logrank, report::logrank_size_json, report::logrank_size_text);
}

void add_samplesize_proportions_command(CLI::App& ss) {
  struct Args : JsonTextOutput {
    ErrorRates r{0.025};
    Sequential s;
    std::string method = "rpact";
    double p1 = 0, p2 = 0, alloc = 1;
    std::optional<double> theta0, n;
    bool risk_ratio = false, cc = false, strict = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = ss.add_subcommand("proportions", "Two proportions, normal approximation: rpact getSampleSizeRates or R power.prop.test");
  add_rates(cmd, a->r, true);
  cmd->add_option("--p1", a->p1, "response rate, group 1 (experimental; rpact pi1)")->required();
  cmd->add_option("--p2", a->p2, "response rate, group 2 (control; rpact pi2)")->required();
  cmd->add_option("--method", a->method, "rpact (Farrington-Manning variance, any allocation) or power.prop.test (R, pooled)")->capture_default_str();
  cmd->add_option("--allocation-ratio", a->alloc, "n1/n2 (rpact allocationRatioPlanned)")->capture_default_str();
  cmd->add_flag("--risk-ratio", a->risk_ratio, "test the ratio p1/p2 (rpact riskRatio = TRUE)");
  cmd->add_option("--theta0", a->theta0, "difference (or ratio with --risk-ratio) under H0 (rpact thetaH0; default 0, or 1 for a ratio)");
  cmd->add_flag("--continuity-correction", a->cc, "also give the Fleiss-Tytun-Ury continuity-corrected size");
  cmd->add_flag("--strict", a->strict, "power.prop.test strict = TRUE (both tails in two-sided power)");
  cmd->add_option("--n", a->n, "power.prop.test: the power for this n per group instead of n");
  add_sequential(cmd, a->s);
  const auto run = [](const Args& a) {
    pipelines::ProportionsSizeRequest rq;
    rq.method = pipelines::parse_proportions_method(a.method);
    rq.rates.alpha = a.r.alpha;
    rq.rates.beta = a.r.beta_value();
    rq.rates.sided = a.r.sided;
    rq.rates.pi1 = a.p1;
    rq.rates.pi2 = a.p2;
    rq.rates.allocation_ratio = a.alloc;
    rq.rates.risk_ratio = a.risk_ratio;
    rq.rates.theta0 = a.theta0.value_or(a.risk_ratio ? 1.0 : 0.0);
    rq.continuity_correction = a.cc;
    rq.strict = a.strict;
    rq.n_per_group = a.n;
    rq.sequential = a.s.plan();
    return pipelines::run_proportions_size(rq);
  };
  add_result_output(cmd, a, "samplesize_proportions.json", run, report::proportions_size_json, report::proportions_size_text);
}

void add_samplesize_binomial_command(CLI::App& ss) {
  struct Args : JsonTextOutput {
    ErrorRates r{0.05};
    pipelines::BinomialSizeRequest rq;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = ss.add_subcommand("binomial", "Single arm, exact binomial test: smallest n and critical number of responses");
  add_rates(cmd, a->r, false);
  cmd->add_option("--p0", a->rq.p0, "response rate not worth pursuing (H0: p <= p0)")->required();
  cmd->add_option("--p1", a->rq.p1, "response rate worth detecting")->required();
  cmd->add_option("--max-n", a->rq.max_n, "largest n searched")->capture_default_str();
  const auto run = [](const Args& a) {
    auto rq = a.rq;
    rq.alpha = a.r.alpha;
    rq.beta = a.r.beta_value();
    return pipelines::run_binomial_size(rq);
  };
  add_result_output(cmd, a, "samplesize_binomial.json", run, report::binomial_size_json, report::binomial_size_text);
}

void add_samplesize_simon_command(CLI::App& ss) {
  struct Args : JsonTextOutput {
    ErrorRates r{0.05};
    pipelines::SimonSizeRequest rq;
    std::string design = "both";
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = ss.add_subcommand("simon", "Simon's two-stage optimal and minimax designs (exhaustive search)");
  add_rates(cmd, a->r, false);
  cmd->add_option("--p0", a->rq.p0, "response rate not worth pursuing")->required();
  cmd->add_option("--p1", a->rq.p1, "response rate worth detecting")->required();
  cmd->add_option("--design", a->design, "optimal, minimax or both")->capture_default_str();
  cmd->add_option("--max-n", a->rq.max_n, "largest total n searched (clinfun ph2simon nmax)")->capture_default_str();
  const auto run = [](const Args& a) {
    auto rq = a.rq;
    rq.alpha = a.r.alpha;
    rq.beta = a.r.beta_value();
    if (a.design == "optimal") rq.criteria = {stats::SimonCriterion::optimal};
    else if (a.design == "minimax") rq.criteria = {stats::SimonCriterion::minimax};
    else if (a.design != "both") fail_input("options", "design", a.design, "optimal, minimax or both");
    return pipelines::run_simon_size(rq);
  };
  add_result_output(cmd, a, "samplesize_simon.json", run, report::simon_size_json, report::simon_size_text);
}

void add_samplesize_gs_command(CLI::App& ss) {
  struct Args : JsonTextOutput {
    ErrorRates r{0.025};
    Sequential s;
    std::optional<double> fixed;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = ss.add_subcommand("gs", "Group-sequential boundaries by Lan-DeMets alpha spending (O'Brien-Fleming or Pocock type) and the inflation factor");
  add_rates(cmd, a->r, true);
  add_sequential(cmd, a->s);
  cmd->add_option("--fixed-n", a->fixed, "a fixed-design sample size or number of events to inflate");
  const auto run = [](const Args& a) {
    const auto plan = a.s.plan();
    if (!plan) fail_input("options", "looks", "(none)", "--looks or --information-rates");
    pipelines::GroupSequentialRequest rq;
    rq.design.information_rates = plan->information_rates;
    rq.design.spending = plan->spending;
    rq.design.alpha = a.r.alpha;
    rq.design.beta = a.r.beta_value();
    rq.design.sided = a.r.sided;
    rq.fixed_size = a.fixed;
    return pipelines::run_group_sequential(rq);
  };
  add_result_output(cmd, a, "samplesize_gs.json", run, report::group_sequential_json, report::group_sequential_text);
}

}  // namespace

void add_trial_design_commands(CLI::App& app) {
  add_trial_monitoring_commands(app);
  CLI::App* ss = app.add_subcommand("samplesize", "Sample size and power: log-rank, two proportions, single-arm binomial, Simon two-stage, group-sequential");
  ss->require_subcommand(1);
  add_samplesize_logrank_command(*ss);
  add_samplesize_proportions_command(*ss);
  add_samplesize_binomial_command(*ss);
  add_samplesize_simon_command(*ss);
  add_samplesize_gs_command(*ss);
}

}  // namespace sirtkit::cli
