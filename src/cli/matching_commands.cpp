// sirtkit match and iptw: argument parsing only; the work is in
// pipelines/trial/propensity_analysis.
#include <cstdio>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "pipelines/trial/propensity_analysis.h"
#include "report/trial/propensity_analysis.h"

namespace sirtkit::cli {
namespace {

struct Common {
  pipelines::PropensityModelSpec spec;
  std::string csv, encoding = "utf8", out;
  bool json = false;
};

void add_common(CLI::App* cmd, Common& a, const std::string& files) {
  cmd->add_option("csv", a.csv, "input CSV file (header row, one subject per row)")->required();
  cmd->add_option("--treatment", a.spec.treatment, "treatment column: 1 = treated, 0 = control")->required();
  cmd->add_option("--covariates", a.spec.covariates,
                  "covariates of the propensity model (comma-separated); text columns become factors")
      ->delimiter(',')
      ->required();
  cmd->add_option("--factor", a.spec.factors, "numeric covariates to treat as categorical")->delimiter(',');
  add_encoding_option(cmd, a.encoding);
  cmd->add_option("--out", a.out, "write " + files + " into this folder");
  cmd->add_flag("--json", a.json, "print every number as JSON instead of the readable summary");
}

// Prints the summary or the JSON; --out writes the cohort, the JSON and the love plot (every file or none).
void emit(const Common& a, const nlohmann::json& j, const std::string& text, const std::string& love_plot_svg, const std::string& cohort_csv,
          const std::string& cohort, const std::string& json_name) {
  const std::string json = j.dump(2) + "\n";
  if (!a.out.empty()) {
    OutputFolder folder(a.out);  // core/atomic_file.h
    folder.write(cohort, cohort_csv);
    folder.write(json_name, json);
    folder.write("love_plot.svg", love_plot_svg);
    folder.commit();
  }
  std::fputs(a.json ? json.c_str() : text.c_str(), stdout);
  print_warnings(j);
  set_exit_code(0);
}

void add_match_command(CLI::App& app) {
  struct Args : Common {
    pipelines::MatchRequest rq;
    std::string distance = "propensity", rule = "matchit-4.5.1", compat;
    double caliper = 0;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "match",
      "Matched controls: nearest-neighbour matching on the propensity score (1:k, with or without replacement, caliper, exact "
      "factors) as MatchIt's matchit(method = \"nearest\"), with the balance table before and after");
  add_common(cmd, *a, "matched.csv (the matched rows with distance, weights, subclass), match.json and love_plot.svg");
  cmd->add_option("--exact", a->rq.exact, "match only within equal values of these columns (comma-separated)")->delimiter(',');
  cmd->add_option("--ratio", a->rq.ratio, "controls per treated unit (k of 1:k)")->capture_default_str()->check(CLI::Range(1, 100));
  cmd->add_flag("--replace", a->rq.replace, "match with replacement (a control may serve several treated units)");
  cmd->add_option("--caliper", a->caliper, "caliper in standard deviations of the distance (e.g. 0.2 with --distance logit)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--distance", a->distance,
                  "propensity (the score, MatchIt's default link = \"logit\") or logit (its linear predictor, link = "
                  "\"linear.logit\")")
      ->capture_default_str()
      ->check(CLI::IsMember({"propensity", "logit"}));
  cmd->add_option("--rule", a->rule,
                  "matchit-4.5.1 (default): the same pairs as the installed MatchIt 4.5.1, which truncates distance "
                  "differences to integers (MatchIt issue #163), with a warning whenever that differs from true nearest "
                  "neighbours; exact: true nearest neighbours on exact distances")
      ->capture_default_str()
      ->check(CLI::IsMember({"matchit-4.5.1", "exact"}));
  cmd->add_option("--compat", a->compat, "matchit-4.5.1: the same as --rule matchit-4.5.1 (kept for older scripts)")
      ->check(CLI::IsMember({"matchit-4.5.1"}))
      ->excludes("--rule");
  cmd->callback([a, cmd] {
    a->rq.model = a->spec;
    a->rq.model.csv = a->csv;
    a->rq.model.encoding = io::parse_text_encoding(a->encoding);
    if (cmd->count("--caliper")) a->rq.caliper_sd = a->caliper;
    a->rq.distance = a->distance == "logit" ? pipelines::MatchDistance::logit : pipelines::MatchDistance::propensity;
    a->rq.rule = a->rule == "exact" && a->compat.empty() ? pipelines::MatchRule::exact : pipelines::MatchRule::matchit_451;
    const auto m = pipelines::run_match(a->rq);
    emit(*a, report::match_json(m.analysis), report::match_text(m.analysis), a->out.empty() ? "" : report::match_love_plot_svg(m.analysis),
         m.cohort_csv, "matched.csv", "match.json");
  });
}

void add_iptw_command(CLI::App& app) {
  struct Args : Common {
    pipelines::IptwRequest rq;
    std::string estimand = "ate";
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "iptw",
      "Inverse probability of treatment weights from the propensity score (ATE or ATT, stabilised), with the balance table; "
      "the weights column feeds km/cox --weights");
  add_common(cmd, *a, "weighted.csv (every row with propensity and weights), iptw.json and love_plot.svg");
  cmd->add_option("--estimand", a->estimand, "ate (1/e, 1/(1-e)) or att (1, e/(1-e))")
      ->capture_default_str()
      ->check(CLI::IsMember({"ate", "att"}));
  cmd->add_flag("--stabilised,--stabilized", a->rq.stabilised,
                "multiply each weight by the proportion of its own arm (weightit stabilize = TRUE)");
  cmd->callback([a] {
    a->rq.model = a->spec;
    a->rq.model.csv = a->csv;
    a->rq.model.encoding = io::parse_text_encoding(a->encoding);
    a->rq.estimand = a->estimand == "att" ? stats::Estimand::att : stats::Estimand::ate;
    const auto w = pipelines::run_iptw(a->rq);
    emit(*a, report::iptw_json(w.analysis), report::iptw_text(w.analysis), a->out.empty() ? "" : report::iptw_love_plot_svg(w.analysis),
         w.cohort_csv, "weighted.csv", "iptw.json");
  });
}

}  // namespace

void add_matching_commands(CLI::App& app) {
  add_match_command(app);
  add_iptw_command(app);
}

}  // namespace sirtkit::cli
