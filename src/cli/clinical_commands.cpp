// Clinical subcommands: argument parsing and printing only; the work is in
// pipelines/clinical/.
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.h"
#include "cli/json_text_output.h"
#include "core/error.h"
#include "pipelines/clinical/clinical_scores.h"
#include "pipelines/clinical/clinical_adverse_events.h"
#include "pipelines/clinical/clinical_eligibility.h"
#include "pipelines/clinical/clinical_lirads.h"
#include "pipelines/clinical/clinical_reild.h"
#include "pipelines/clinical/clinical_response.h"
#include "pipelines/clinical/clinical_tables.h"
#include "report/clinical/adverse_event_table.h"
#include "report/clinical/clinical_scores.h"
#include "report/clinical/ctcae_tables.h"
#include "report/clinical/eligibility_verdicts.h"
#include "report/clinical/lirads_response.h"
#include "report/clinical/reild_sessions.h"
#include "report/clinical/tumour_response.h"

namespace sirtkit::cli {
namespace {

struct ScoreOptions : JsonTextOutput {
  std::map<std::string, std::string> values;
  std::map<std::string, bool> flags;
  std::string csv;
};

void add_score_commands(CLI::App& app) {
  CLI::App* score = app.add_subcommand("score", "Liver function and staging scores (values carry units)");
  score->require_subcommand(1);
  for (const pipelines::ScoreSpec& spec : pipelines::score_specs()) {
    auto opts = std::make_shared<ScoreOptions>();
    CLI::App* sub = score->add_subcommand(spec.rule, spec.summary);
    // Required values are checked by the pipeline (so that --csv can replace them).
    for (const std::string& name : spec.required) sub->add_option("--" + name, opts->values[name], name + " (required)");
    for (const std::string& name : spec.optional) sub->add_option("--" + name, opts->values[name], name);
    for (const std::string& name : spec.flags) sub->add_flag("--" + name, opts->flags[name], name);
    add_json_text_output(sub, *opts, "score.json");
    sub->add_option("--csv", opts->csv, "score every row of a CSV (patient_id + one column per option)");
    const std::string rule = spec.rule;
    sub->callback([opts, rule] {
      if (!opts->csv.empty()) {
        for (const auto& [k, v] : opts->values)
          if (!v.empty()) fail_input("score " + rule, "--" + k, v, "either --csv or single-patient options, not both");
        const auto rows = pipelines::run_score_csv_file(rule, opts->csv);
        emit_json_text(*opts, report::score_rows_json(rows), report::score_rows_text(rows), "score.json");
        return;
      }
      std::map<std::string, std::string> given;
      for (const auto& [k, v] : opts->values)
        if (!v.empty()) given[k] = v;
      for (const auto& [k, v] : opts->flags)
        if (v) given[k] = "true";
      const clinical::RuleResult r = pipelines::run_score(rule, given);
      emit_json_text(*opts, report::rule_json(r), report::rule_text(r), "score.json");
    });
  }
}

struct CtcaeOptions : JsonTextOutput {
  std::string labs;
  bool baseline_first = false;
  std::optional<int> from_day, to_day;
  bool records = false;
  bool missing_baseline_normal = false;
};

void add_ctcae_command(CLI::App& app) {
  auto o = std::make_shared<CtcaeOptions>();
  CLI::App* c = app.add_subcommand("ctcae", "CTCAE v5.0 grading of laboratory results (CSV), worst grade per patient");
  c->add_option("labs", o->labs, "CSV: patient_id,date,test,value,unit[,lln,uln,baseline]")->required();
  c->add_flag("--baseline-first", o->baseline_first,
              "without a baseline column: the earliest result of each patient and test is its baseline");
  c->add_option("--from-day", o->from_day, "count results from this day after baseline");
  c->add_option("--to-day", o->to_day, "count results up to this day after baseline");
  c->add_flag("--records", o->records, "also list every graded result");
  c->add_flag("--missing-baseline-normal", o->missing_baseline_normal,
              "grade ALT/AST/bilirubin/ALP/GGT without a baseline as if it was normal (admiral's convention)");
  add_json_text_output(c, *o, "ctcae.json");
  c->callback([o] {
    const pipelines::CtcaeReport r = pipelines::run_ctcae(o->labs, o->baseline_first, o->from_day, o->to_day,
                                                               o->missing_baseline_normal);
    emit_json_text(*o, report::ctcae_json(r), report::ctcae_text(r, o->records), "ctcae.json");
  });
}

void add_response_commands(CLI::App& app) {
  CLI::App* resp = app.add_subcommand("response", "Tumour response from lesion measurements (CSV)");
  resp->require_subcommand(1);
  for (const char* criteria : {"recist", "mrecist", "easl", "irecist"}) {
    auto o = std::make_shared<pipelines::ResponseOptions>();
    auto path = std::make_shared<std::string>();
    auto json = std::make_shared<JsonTextOutput>();
    o->criteria = criteria;
    const std::string name = criteria;
    CLI::App* c = resp->add_subcommand(
        criteria, name == "recist"    ? "RECIST 1.1 time-point and best overall response"
                  : name == "mrecist" ? "mRECIST for HCC (viable tumour diameters; PD without +5 mm)"
                  : name == "easl"    ? "EASL (sum of products of viable diameters; PR >= 50 %, PD >= 25 %)"
                                      : "iRECIST (iUPD confirmed as iCPD at the next assessment)");
    c->add_option("lesions", *path,
                  "CSV: patient_id,date,lesion_id,kind[,organ,node,diameter_mm,perpendicular_mm,status,typical_hcc,"
                  "index_lesion,treatment_start,slice_thickness_mm]")
        ->required();
    c->add_option("--sd-min-days", o->sd_min_days, "SD must be at least this many days after treatment start")
        ->capture_default_str();
    c->add_option("--confirm-days", o->confirm_days, "CR/PR confirmation interval in days")->capture_default_str();
    c->add_option("--max-ne", o->max_ne_between, "NE assessments allowed between a response and its confirmation")
        ->capture_default_str();
    c->add_flag("--accept-sd", o->accept_sd_between, "accept one SD between a PR and its confirmation");
    c->add_option("--at-days", o->landmark_days, "response at these days after treatment start, e.g. 90,180,270,360")
        ->delimiter(',');
    c->add_option("--window-days", o->window_days, "window around each --at-days landmark")->capture_default_str();
    c->add_flag("--index-lesion", o->index_lesion_only,
                "evaluate only each patient's index lesion (column index_lesion = yes)");
    add_json_text_output(c, *json, "response.json");
    c->callback([o, path, json] {
      const pipelines::ResponseReport r = pipelines::run_response(*path, *o);
      emit_json_text(*json, report::response_json(r), report::response_text(r), "response.json");
    });
  }
  auto path = std::make_shared<std::string>();
  auto json = std::make_shared<JsonTextOutput>();
  CLI::App* l = resp->add_subcommand("lirads", "LI-RADS v2018 treatment response categories per observation and patient");
  l->add_option("observations", *path, "CSV: patient_id,date,observation_id,category[,viable_mm]")->required();
  add_json_text_output(l, *json, "lirads.json");
  l->callback([path, json] {
    const auto r = pipelines::run_lirads(*path);
    emit_json_text(*json, report::lirads_json(r), report::lirads_text(r), "lirads.json");
  });
}

void add_eligible_command(CLI::App& app) {
  auto rules = std::make_shared<std::string>();
  auto patients = std::make_shared<std::string>();
  auto json = std::make_shared<JsonTextOutput>();
  CLI::App* c = app.add_subcommand("eligible", "Evaluate trial eligibility rules (TOML) on patients (CSV)");
  c->add_option("rules", *rules, "rule file, e.g. examples/clinical/eligibility/dosisphere01.toml")->required();
  c->add_option("patients", *patients, "CSV: patient_id and one column per field the rules use")->required();
  add_json_text_output(c, *json, "eligibility.json");
  c->callback([rules, patients, json] {
    const pipelines::EligibilityReport r = pipelines::run_eligibility(*rules, *patients);
    emit_json_text(*json, report::eligibility_json(r), report::eligibility_text(r), "eligibility.json");
  });
}

void add_reild_command(CLI::App& app) {
  auto labs = std::make_shared<std::string>();
  auto treatments = std::make_shared<std::string>();
  auto definition = std::make_shared<std::string>("gil-alzugaray");
  auto json = std::make_shared<JsonTextOutput>();
  CLI::App* c = app.add_subcommand("reild", "Radioembolization-induced liver disease per SIRT session");
  c->add_option("labs", *labs, "lab CSV as for `sirtkit ctcae` (bilirubin and albumin rows are used)")->required();
  c->add_option("treatments", *treatments,
                "CSV: patient_id,treatment_date,ascites,tumour_progression,biliary_obstruction")
      ->required();
  c->add_option("--definition", *definition, "gil-alzugaray (bilirubin >= 3 mg/dL, days 28-56) or braat")
      ->capture_default_str();
  add_json_text_output(c, *json, "reild.json");
  c->callback([labs, treatments, definition, json] {
    const auto r = pipelines::run_reild(*labs, *treatments, clinical::parse_reild_definition(*definition));
    emit_json_text(*json, report::reild_json(r), report::reild_text(r), "reild.json");
  });
}

struct AeOptions : JsonTextOutput {
  std::string events, treatments;
  std::optional<int> population;
  int pres_days = 14;
};

void add_ae_command(CLI::App& app) {
  auto o = std::make_shared<AeOptions>();
  CLI::App* c = app.add_subcommand("ae-table", "Adverse-event table by term and worst grade (clinician-graded CTCAE)");
  c->add_option("events", o->events, "CSV: patient_id,term,grade[,onset]")->required();
  c->add_option("--n", o->population, "treated population (default: patients in the files)");
  c->add_option("--treatments", o->treatments, "CSV: patient_id,treatment_date — adds the post-RE syndrome flag");
  c->add_option("--pres-days", o->pres_days, "post-RE syndrome window in days after SIRT")->capture_default_str();
  add_json_text_output(c, *o, "ae_table.json");
  c->callback([o] {
    const pipelines::AeReport r = pipelines::run_ae_report(o->events, o->treatments, o->population, o->pres_days);
    emit_json_text(*o, report::ae_json(r), report::ae_text(r), "ae_table.json");
  });
}

}  // namespace

void add_clinical_commands(CLI::App& app) {
  add_score_commands(app);
  add_ctcae_command(app);
  add_response_commands(app);
  add_eligible_command(app);
  add_reild_command(app);
  add_ae_command(app);
}

}  // namespace sirtkit::cli
