// sirtkit cif, finegray and rmst: argument parsing only; the work is in
// pipelines/survival/competing_risks_analysis and restricted_mean_analysis,
// the text and JSON in report/survival/.
#include <memory>
#include <string>

#include "cli/commands.h"
#include "core/error.h"
#include "cli/json_text_output.h"
#include "pipelines/survival/competing_risks_analysis.h"
#include "pipelines/survival/restricted_mean_analysis.h"

namespace sirtkit::cli {
namespace {

void add_rmst_command(CLI::App& app) {
  struct Args : JsonTextOutput {
    pipelines::RmstRequest rq;
    std::string csv, coding = "event", encoding = "utf8";
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "rmst", "Restricted mean survival time up to --tau per group with CI, and the difference between arms (R print(survfit, rmean = tau))");
  cmd->add_option("csv", a->csv, "input CSV file (header row, one subject per row)")->required();
  cmd->add_option("--time", a->rq.columns.time, "time column (>= 0)")->capture_default_str();
  cmd->add_option("--event", a->rq.columns.event, "event/censoring column")->capture_default_str();
  cmd->add_option("--event-coding", a->coding, "event (1 = event, 0 = censored), cnsr or r12, as for km")->capture_default_str();
  cmd->add_option("--group", a->rq.columns.group, "grouping column: one RMST per group and the differences from the first level");
  cmd->add_option("--weights", a->rq.columns.weights, "case-weight column (> 0), as survfit(weights = )");
  cmd->add_option("--tau", a->rq.tau, "the time horizon tau (> 0), in the time column's units")->required();
  cmd->add_option("--time-unit", a->rq.columns.time_unit,
                  "days, weeks, months or years: the unit of the time column and of tau (default: the file's AVALU column when it has one)");
  cmd->add_option("--conf-level", a->rq.conf_level, "confidence level")->capture_default_str()->check(CLI::Range(0.5, 0.9999));
  add_encoding_option(cmd, a->encoding);
  add_json_text_output(cmd, *a, "rmst.json");
  cmd->callback([a] {
    a->rq.csv = a->csv;
    a->rq.encoding = io::parse_text_encoding(a->encoding);
    a->rq.columns.coding = pipelines::parse_event_coding(a->coding);
    const auto r = pipelines::rmst_analysis(a->rq);
    emit_json_text(*a, report::rmst_json(r), report::rmst_text(r), "rmst.json");
  });
}

void add_finegray_command(CLI::App& app) {
  struct Args : JsonTextOutput {
    pipelines::FineGrayRequest rq;
    std::string csv, encoding = "utf8";
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "finegray", "Competing risks: Fine-Gray regression of one cause's subdistribution hazard (as cmprsk::crr, sandwich variance)");
  cmd->add_option("csv", a->csv, "input CSV file (header row, one subject per row)")->required();
  cmd->add_option("--time", a->rq.time, "time column (>= 0)")->capture_default_str();
  cmd->add_option("--event", a->rq.event, "cause column: 0 = censored, 1, 2, ... = the cause of failure")->capture_default_str();
  cmd->add_option("--cause", a->rq.cause, "the cause of interest (its code in --event)")->capture_default_str()->check(CLI::Range(1, 1000000));
  cmd->add_option("--covariates", a->rq.covariates.covariates, "covariate columns (comma-separated); non-numeric ones become factors")
      ->delimiter(',')
      ->required();
  cmd->add_option("--factor", a->rq.covariates.factors, "covariates to treat as categorical (first level = reference)")->delimiter(',');
  cmd->add_option("--conf-level", a->rq.conf_level, "confidence level of the subdistribution hazard ratios")
      ->capture_default_str()
      ->check(CLI::Range(0.5, 0.9999));
  add_encoding_option(cmd, a->encoding);
  add_json_text_output(cmd, *a, "finegray.json");
  cmd->callback([a] {
    a->rq.csv = a->csv;
    a->rq.encoding = io::parse_text_encoding(a->encoding);
    const auto r = pipelines::fine_gray_analysis(a->rq);
    emit_json_text(*a, report::fine_gray_json(r), report::fine_gray_text(r), "finegray.json");
  });
}

}  // namespace

void add_survival_extension_commands(CLI::App& app) {
  struct Args : JsonTextOutput {
    pipelines::CifRequest rq;
    std::string csv, encoding = "utf8";
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand(
      "cif", "Competing risks: cumulative incidence per cause (Aalen-Johansen) with cmprsk and survfit standard errors, Gray's test");
  cmd->add_option("csv", a->csv, "input CSV file (header row, one subject per row)")->required();
  cmd->add_option("--time", a->rq.time, "time column (>= 0)")->capture_default_str();
  cmd->add_option("--event", a->rq.event, "cause column: 0 = censored, 1, 2, ... = the cause of failure")->capture_default_str();
  cmd->add_option("--group", a->rq.group, "grouping column: curves per group and Gray's test across groups");
  cmd->add_option("--strata", a->rq.strata, "stratification column for Gray's test");
  cmd->add_option("--rho", a->rq.rho, "Gray's test weight (1 - F(t-))^rho (cmprsk default 0)")->capture_default_str()->check(CLI::Range(0.0, 10.0));
  cmd->add_option("--times", a->rq.times, "report the curves at these times (comma-separated)")->delimiter(',');
  cmd->add_flag("--table", a->rq.full_table, "print every row of each curve in the readable summary");
  add_encoding_option(cmd, a->encoding);
  add_json_text_output(cmd, *a, "cif.json");
  cmd->callback([a] {
    a->rq.csv = a->csv;
    a->rq.encoding = io::parse_text_encoding(a->encoding);
    const auto r = pipelines::cif_analysis(a->rq);
    emit_json_text(*a, report::cif_json(r), report::cif_text(r), "cif.json");
  });
  add_rmst_command(app);
  add_finegray_command(app);
}

}  // namespace sirtkit::cli
