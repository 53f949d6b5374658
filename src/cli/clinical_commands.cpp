// Clinical subcommands: argument parsing and printing only; the work is in
// pipelines/clinical_*.
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "cli/commands.h"
#include "pipelines/clinical_scores.h"

namespace sirtkit::cli {
namespace {

struct ScoreOptions {
  std::map<std::string, std::string> values;
  std::map<std::string, bool> flags;
  bool json = false;
};

void add_score_commands(CLI::App& app) {
  CLI::App* score = app.add_subcommand("score", "Liver function and staging scores (values carry units)");
  score->require_subcommand(1);
  for (const pipelines::ScoreSpec& spec : pipelines::score_specs()) {
    auto opts = std::make_shared<ScoreOptions>();
    CLI::App* sub = score->add_subcommand(spec.rule, spec.summary);
    for (const std::string& name : spec.required) {
      sub->add_option("--" + name, opts->values[name], name + " (required)")->required();
    }
    for (const std::string& name : spec.optional) sub->add_option("--" + name, opts->values[name], name);
    for (const std::string& name : spec.flags) sub->add_flag("--" + name, opts->flags[name], name);
    sub->add_flag("--json", opts->json, "print the machine-readable form");
    const std::string rule = spec.rule;
    sub->callback([opts, rule] {
      std::map<std::string, std::string> given;
      for (const auto& [k, v] : opts->values)
        if (!v.empty()) given[k] = v;
      for (const auto& [k, v] : opts->flags)
        if (v) given[k] = "true";
      const clinical::RuleResult r = pipelines::run_score(rule, given);
      const std::string out = opts->json ? pipelines::format_rule_json(r) : pipelines::format_rule_text(r);
      std::fputs(out.c_str(), stdout);
    });
  }
}

}  // namespace

void add_clinical_commands(CLI::App& app) { add_score_commands(app); }

}  // namespace sirtkit::cli
