// sirtkit kappa: argument parsing only; the work is in pipelines/descriptive/rater_agreement.
#include <memory>

#include "cli/commands.h"
#include "cli/result_command.h"
#include "core/error.h"
#include "pipelines/descriptive/rater_agreement.h"
#include "report/descriptive/rater_agreement.h"

namespace sirtkit::cli {

void add_agreement_commands(CLI::App& app) {
  struct Args : JsonTextOutput {
    std::string csv, rater1, rater2;
    std::string weights = "none";
    std::string encoding = "utf8";
    std::vector<std::string> levels;
    double conf_level = 0.95;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("kappa", "Cohen's kappa between two readers (unweighted, linear or quadratic weights) with SE, z test and CI");
  cmd->add_option("csv", a->csv, "input CSV file (header row, one subject per row, one column per reader)")->required();
  cmd->add_option("--rater1", a->rater1, "first reader's column")->required();
  cmd->add_option("--rater2", a->rater2, "second reader's column")->required();
  cmd->add_option("--weights", a->weights, "none, linear or quadratic (weights need ordered levels)")->capture_default_str();
  cmd->add_option("--levels", a->levels, "the categories in order, e.g. CR,PR,SD,PD (default: R factor() order of the values)")
      ->delimiter(',');
  cmd->add_option("--conf-level", a->conf_level, "confidence level of the interval")->capture_default_str()->check(CLI::Range(0.5, 0.9999));
  add_encoding_option(cmd, a->encoding);
  const auto run = [](const Args& a) {
    pipelines::KappaRequest rq;
    rq.csv = a.csv;
    rq.encoding = io::parse_text_encoding(a.encoding);
    rq.rater1 = a.rater1;
    rq.rater2 = a.rater2;
    rq.weights = stats::parse_kappa_weights(a.weights);
    rq.levels = a.levels;
    rq.conf_level = a.conf_level;
    return pipelines::rater_agreement(rq);
  };
  add_result_output(cmd, a, "kappa.json", run, report::rater_agreement_json, report::rater_agreement_text);
}

}  // namespace sirtkit::cli
