// sirtkit registry init | import | export | derive | purge | demo and sirtkit analyze: argument parsing and printing only;
// the work is in pipelines/registry/registry_jobs.
#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "cli/json_text_output.h"
#include "core/error.h"
#include "pipelines/registry/registry_jobs.h"
#include "report/registry/registry_analysis.h"

namespace sirtkit::cli {
namespace {

// Refused input (an import's problems) is printed on stderr as an error, with exit code 2.
void emit(const report::CommandOutput& out, bool json, bool ok = true) {
  if (json || ok) print_json_or_text(out, json);
  else std::fprintf(stderr, "sirtkit: %s: %s", category_name(ErrorCategory::bad_input), out.text.c_str());
  set_exit_code(ok ? 0 : exit_code(ErrorCategory::bad_input));
}

}  // namespace

void add_registry_commands(CLI::App& app) {
  CLI::App* reg = app.add_subcommand("registry", "De-identified study registry: create, import REDCap exports, export for analysis");
  reg->require_subcommand(1);
  const char* db_help = "registry: an SQLite file, or a PostgreSQL database as postgresql://user@host/db";
  {
    struct Args {
      std::string db;
      bool json = false;
    };
    auto a = std::make_shared<Args>();
    CLI::App* init = reg->add_subcommand("init", "Create a registry, or apply the missing schema migrations of an existing one");
    init->add_option("DB", a->db, db_help)->required();
    init->add_flag("--json", a->json, "print the result as JSON");
    init->callback([a] { emit(report::registry_init_output(pipelines::registry_init(a->db)), a->json); });
  }
  {
    auto a = std::make_shared<pipelines::RegistryImportRequest>();
    auto json = std::make_shared<bool>(false);
    CLI::App* imp = reg->add_subcommand("import", "Validate a REDCap export (with its data dictionary) or a plain CSV (with a mapping file) and import it all or nothing");
    imp->add_option("DB", a->db, db_help)->required();
    imp->add_option("--data", a->data, "REDCap raw data export, or a plain CSV (with --mapping)")->required();
    imp->add_option("--dictionary", a->dictionary, "REDCap data dictionary (CSV)");
    imp->add_option("--mapping", a->mapping, "mapping file (TOML) of a plain CSV: columns to registry fields, units, date format, recodes");
    imp->add_option("--key", a->key, "pseudonymisation key file (>= 32 bytes, kept outside the registry); default $SIRTKIT_REGISTRY_KEY");
    imp->add_option("--study", a->study, "study code the patients belong to")->capture_default_str();
    imp->add_option("--actor", a->actor, "name recorded in the audit trail (default: the OS user)");
    imp->add_flag("--pseudonymised", a->pseudonymised, "the data is a sirtkit export (pseudonyms, shifted dates): import without a key");
    imp->add_flag("--dry-run", a->dry_run, "validate only; write nothing");
    imp->add_flag("--update", a->update, "update records already in the registry (corrections and new visits; the audit trail keeps old and new values)");
    imp->add_flag("--json", *json, "print the result (or every problem) as JSON");
    imp->callback([a, json] {
      const report::RegistryImport r = pipelines::registry_import(*a);
      emit(report::registry_import_output(r), *json, r.outcome != report::RegistryImport::Outcome::refused);
    });
  }
  {
    auto a = std::make_shared<pipelines::RegistryExportRequest>();
    auto json = std::make_shared<bool>(false);
    CLI::App* exp = reg->add_subcommand("export", "Write a de-identified REDCap-shaped CSV and its data dictionary");
    exp->add_option("DB", a->db, db_help)->required();
    exp->add_option("--out", a->out, "data CSV to write")->required();
    exp->add_option("--dictionary-out", a->dictionary_out, "data dictionary to write (default: <out>_dictionary.csv)");
    exp->add_option("--study", a->study, "export only this study");
    exp->add_flag("--json", *json, "print the result as JSON");
    exp->callback([a, json] { emit(report::registry_export_output(pipelines::registry_export(*a)), *json); });
  }
  {
    auto a = std::make_shared<pipelines::RegistryDeriveRequest>();
    auto json = std::make_shared<bool>(false);
    CLI::App* der = reg->add_subcommand("derive", "Derive an OS, PFS or TTP time-to-event data set (ADaM ADTTE CSV) or tumour response (ADRS CSV)");
    der->add_option("DB", a->db, db_help)->required();
    der->add_option("--endpoint", a->endpoint, "os | pfs | ttp | response")->capture_default_str();
    der->add_option("--criteria", a->criteria, "response: recist (RECIST 1.1) | mrecist")->capture_default_str();
    der->add_option("--at-days", a->at_days, "response: landmark days after the first treatment (comma-separated, e.g. 90,180)")->delimiter(',');
    der->add_option("--window-days", a->window_days, "response: +/- days around each landmark")->capture_default_str();
    der->add_option("--origin", a->origin, "index (registration/randomisation) | first-treatment")->capture_default_str();
    der->add_flag("--censor-at-surgery", a->censor_at_surgery, "censor at resection or transplant before the event");
    der->add_flag("--months", a->months, "AVAL in months (365.25/12 days) instead of days");
    der->add_option("--dose-source", a->dose_source, "tumour dose for TDOSE: planned | verified")->capture_default_str();
    der->add_option("--dose-threshold", a->dose_threshold_gy, "TDOSEGR: tumour dose >= / < this many Gy (e.g. 205)");
    der->add_option("--normal-liver-threshold", a->normal_liver_threshold_gy,
                    "NLDOSEGR: perfused normal-liver dose >= / < this many Gy (e.g. 150)");
    der->add_option("--study", a->study, "only this study");
    der->add_option("--out", a->out, "ADTTE (or ADRS) CSV to write");
    der->add_flag("--json", *json, "print the summary as JSON");
    der->callback([a, json] { emit(report::registry_derivation_output(pipelines::registry_derive(*a)), *json); });
  }
  {
    auto a = std::make_shared<pipelines::RegistryAnalyzeRequest>();
    auto json = std::make_shared<JsonTextOutput>();
    CLI::App* an = app.add_subcommand("analyze", "Survival analysis on a registry: derive OS/PFS/TTP, then Kaplan-Meier and log-rank by group, or a Cox model");
    an->add_option("DB", a->derive.db, db_help)->required();
    an->add_option("--endpoint", a->derive.endpoint, "os | pfs | ttp")->capture_default_str();
    an->add_option("--origin", a->derive.origin, "index (registration/randomisation) | first-treatment")->capture_default_str();
    an->add_flag("--censor-at-surgery", a->derive.censor_at_surgery, "censor at resection or transplant before the event");
    an->add_option("--group", a->group, "arm | site | dose | none")->capture_default_str();
    an->add_option("--dose-source", a->derive.dose_source, "tumour dose for --group dose: planned | verified")->capture_default_str();
    an->add_option("--dose-threshold", a->derive.dose_threshold_gy, "dose groups: tumour dose >= / < this many Gy (e.g. 205)");
    an->add_option("--study", a->derive.study, "only this study");
    an->add_flag("--cox", a->cox, "fit a Cox model (instead of Kaplan-Meier and log-rank)");
    an->add_option("--covariates", a->covariates,
                   "Cox covariates (comma-separated): arm, site, age, sex, ecog, child_pugh, bclc, pvi, worst_ae, dose, dose_group; default: the --group")
        ->delimiter(',');
    an->add_option("--factor", a->factors, "Cox covariates to treat as categorical (e.g. ecog)")->delimiter(',');
    an->add_option("--ties", a->ties, "Cox ties: efron (R default), breslow or exact")->capture_default_str();
    add_json_text_output(an, *json, "analyze.json");
    an->callback([a, json] {
      emit_json_text(*json, report::registry_analysis_output(pipelines::registry_analyze(*a)), "analyze.json");
    });
  }
  {
    auto a = std::make_shared<pipelines::RegistryPurgeRequest>();
    auto json = std::make_shared<bool>(false);
    CLI::App* pg = reg->add_subcommand("purge", "Remove an erroneous value (e.g. an identifier typed into a text field) from its row and from the audit trail; the purge itself is recorded without the value");
    pg->add_option("DB", a->db, db_help)->required();
    pg->add_option("--table", a->table, "data table (lesions, adverse_events, treatments, labs, sites, ...)")->required();
    pg->add_option("--field", a->field, "column whose value is removed (e.g. label, organ, term, drug, code)")->required();
    pg->add_option("--row", a->row, "id of the row (audit_log.row_id)");
    pg->add_option("--record", a->record, "or: a patient's pseudonym (every row of that patient in --table)");
    pg->add_option("--reason", a->reason, "why (recorded in purge_log; never repeat the value)")->required();
    pg->add_option("--actor", a->actor, "name recorded in the audit trail (default: the OS user)");
    pg->add_flag("--json", *json, "print the result as JSON");
    pg->callback([a, json] { emit(report::registry_purge_output(pipelines::registry_purge(*a)), *json); });
  }
  {
    auto dir = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    CLI::App* demo = reg->add_subcommand("demo", "Write a synthetic DOSISPHERE-like demo cohort (REDCap export, dictionary, demo key)");
    demo->add_option("--out", *dir, "folder to write into")->required();
    demo->add_flag("--json", *json, "print the result as JSON");
    demo->callback([dir, json] { emit(report::registry_demo_output(pipelines::registry_demo(*dir)), *json); });
  }
}

}  // namespace sirtkit::cli
