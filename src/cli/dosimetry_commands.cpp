#include <cstdio>

#include "cli/commands.h"
#include "pipelines/phantom.h"
#include "pipelines/plan_file.h"
#include "pipelines/plan_patient.h"
#include "report/plan_report.h"

namespace sirtkit::cli {
namespace {

struct PlanArgs {
  std::string plan_file;
  std::string out;
  bool json = false;
  std::vector<double> activities;
};

void run_plan(const PlanArgs& a) {
  const pipelines::PlanSpec spec = pipelines::read_plan_file(a.plan_file);
  const pipelines::PlanOutcome outcome = pipelines::plan_patient(spec, a.activities);
  const report::PlanView view{outcome.context, outcome.model, outcome.result, outcome.vials};
  if (!a.out.empty()) pipelines::write_plan_outputs(outcome, a.out);
  const std::string text = a.json ? report::plan_json(view) : report::plan_summary_text(view);
  std::fputs(text.c_str(), stdout);
  if (!a.out.empty() && !a.json) std::printf("wrote %s/{dose.nii.gz, dvh.csv, plan.json, report.html}\n", a.out.c_str());
  set_exit_code(pipelines::plan_is_deliverable(outcome) ? 0 : 3);
}

}  // namespace

void add_dosimetry_commands(CLI::App& app) {
  auto args = std::make_shared<PlanArgs>();
  CLI::App* plan = app.add_subcommand("plan", "Plan a Y-90 treatment from a plan file (MAA SPECT/CT, VOIs, goals, constraints)");
  plan->add_option("plan_file", args->plan_file, "plan file (TOML)")->required();
  plan->add_option("--out", args->out, "write dose.nii.gz, dvh.csv, plan.json and report.html into this folder");
  plan->add_flag("--json", args->json, "print every number as JSON (schema sirtkit.plan/1)");
  plan->add_option("--activity", args->activities,
                   "what if: administered activity in GBq for each injection, in plan order (repeat for several)");
  plan->callback([args] { run_plan(*args); });

  auto folder = std::make_shared<std::string>();
  auto seed = std::make_shared<std::uint64_t>(pipelines::PhantomOptions{}.seed);
  CLI::App* phantom = app.add_subcommand("phantom", "Write the digital demo patient (CT, MAA SPECT, labels, plan files)");
  phantom->add_option("--out", *folder, "output folder")->required();
  phantom->add_option("--seed", *seed, "seed of the Poisson noise");
  phantom->callback([folder, seed] {
    pipelines::PhantomOptions o;
    o.seed = *seed;
    pipelines::write_phantom(*folder, o);
    std::printf("wrote %s/{ct, maa_spect, labels, territory_right}.nii.gz, plan.toml, plan_standard.toml\n", folder->c_str());
  });
}

}  // namespace sirtkit::cli
