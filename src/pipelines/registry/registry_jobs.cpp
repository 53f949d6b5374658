#include "pipelines/registry/registry_jobs.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <filesystem>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/format.h"
#include "core/os_user.h"
#include "io/csv_table.h"
#include "pipelines/survival/survival_analysis.h"
#include "registry/csv_mapping.h"
#include "registry/demo_cohort.h"
#include "registry/identifier_scan.h"
#include "registry/mapped_import.h"
#include "registry/pseudonym.h"
#include "registry/purge.h"
#include "registry/redcap_export.h"
#include "registry/redcap_import.h"
#include "registry/schema.h"
#include "registry/store.h"
#include "registry/time_to_event.h"
#include "registry/tumour_response.h"

namespace sirtkit::pipelines {
namespace {

namespace fs = std::filesystem;

// Reads a data file of an import. A malformed CSV is reported with its line,
// but without the text of the offending cell or header (fail_input's shape
// "<where>: <field> = <value>: <expected>"; the value may be patient data).
io::CsvTable read_data(const std::string& path) {
  try {
    return io::CsvTable::read(path);
  } catch (const Error& e) {
    if (e.category() != ErrorCategory::bad_input) throw;
    const std::string msg = e.what();
    for (const char* field : {": field = ", ": header = "}) {
      const auto at = msg.find(field), last = msg.rfind(": ");
      if (at != std::string::npos && last != std::string::npos && last > at)
        throw Error(ErrorCategory::bad_input, msg.substr(0, at) + field + registry::not_shown + msg.substr(last));
    }
    throw;
  }
}

bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

}  // namespace

RegistryOutput registry_init(const std::string& db) {
  auto store = registry::open_store(db, true);
  const int before = registry::schema_version(*store);
  const int applied = registry::migrate(*store, os_user_name());
  const int after = registry::schema_version(*store);
  RegistryOutput out;
  out.json = {{"registry", store->location()},
              {"store", store->dialect() == registry::Dialect::sqlite ? "sqlite" : "postgresql"},
              {"schema_version_before", before},
              {"schema_version", after},
              {"migrations_applied", applied}};
  if (before == 0) out.text = "created registry " + store->location() + " (schema version " + std::to_string(after) + ")\n";
  else if (applied > 0)
    out.text = "upgraded registry " + store->location() + " from schema version " + std::to_string(before) + " to " + std::to_string(after) + "\n";
  else out.text = "registry " + store->location() + " is up to date (schema version " + std::to_string(after) + ")\n";
  return out;
}

namespace {

RegistryOutput problems_output(const registry::ImportError& e) {
  RegistryOutput out;
  out.ok = false;
  out.text = e.what() + std::string("\n");
  nlohmann::json problems = nlohmann::json::array();
  for (const auto& p : e.problems())
    problems.push_back({{"file", p.file}, {"line", p.line}, {"column", p.column}, {"value", p.value}, {"expected", p.message}});
  out.json = {{"ok", false}, {"imported", nullptr}, {"problems", problems}};
  return out;
}

RegistryOutput dry_run_output(std::vector<registry::ImportProblem> problems, const io::CsvTable& data) {
  if (!problems.empty()) {
    std::string msg = std::to_string(problems.size()) + " problems in " + data.source() + ":";
    for (const auto& p : problems) msg += "\n  " + p.to_string();
    throw registry::ImportError(std::move(problems), msg);
  }
  RegistryOutput out;
  out.text = "dry run: " + std::to_string(data.rows()) + " rows of " + data.source() + " are valid; nothing was written\n";
  out.json = {{"ok", true}, {"dry_run", true}, {"rows", data.rows()}, {"problems", nlohmann::json::array()}};
  return out;
}

RegistryOutput summary_output(const registry::ImportSummary& s, const registry::Store& store, const std::string& study) {
  RegistryOutput out;
  out.json = {{"ok", true},
              {"registry", store.location()},
              {"study", study},
              {"imported",
               {{"patients", s.patients}, {"lesions", s.lesions}, {"lesion_measurements", s.measurements},
                {"treatments", s.treatments}, {"labs", s.labs}, {"adverse_events", s.adverse_events},
                {"followup_events", s.followup_events}}},
              {"updated", {{"patients", s.patients_updated}, {"rows_changed", s.rows_updated}, {"rows_unchanged", s.rows_unchanged}}},
              {"day_zero", s.index_date_rule},
              {"dropped", {{"identifiers", s.dropped_identifiers}, {"free_text", s.dropped_free_text}, {"other", s.dropped_other}}}};
  auto list = [](const std::vector<std::string>& v) {
    std::string t;
    for (const auto& x : v) t += (t.empty() ? "" : ", ") + x;
    return t.empty() ? std::string("none") : t;
  };
  out.text = "imported into " + store.location() + " (study " + study + ", one transaction):\n" +
             "  patients             " + std::to_string(s.patients) + "\n" +
             "  lesions              " + std::to_string(s.lesions) + " (" + std::to_string(s.measurements) + " measurements)\n" +
             "  treatments           " + std::to_string(s.treatments) + "\n" +
             "  labs                 " + std::to_string(s.labs) + "\n" +
             "  adverse events       " + std::to_string(s.adverse_events) + "\n" +
             "  follow-up events     " + std::to_string(s.followup_events) + "\n" +
             (s.patients_updated ? "  updated patients     " + std::to_string(s.patients_updated) + " (" + std::to_string(s.rows_updated) +
                                        " stored rows changed, old and new values in the audit trail; " + std::to_string(s.rows_unchanged) +
                                        " unchanged; new rows counted above)\n"
                                  : std::string()) +
             "day 0 of each patient: " + s.index_date_rule + "\n" +
             "dropped (never stored):\n" +
             "  identifiers          " + list(s.dropped_identifiers) + "\n" +
             "  free text            " + list(s.dropped_free_text) + "\n" +
             "  no registry column   " + list(s.dropped_other) + "\n";
  return out;
}

}  // namespace

RegistryOutput registry_import(const RegistryImportRequest& rq) {
  const bool mapped = !rq.mapping.empty();
  if (mapped == !rq.dictionary.empty())
    fail_input("registry import", mapped ? "--mapping" : "--dictionary", mapped ? rq.mapping : "(missing)",
               "either --dictionary (a REDCap export) or --mapping (a plain CSV), not both");
  if (mapped && rq.pseudonymised) fail_input("registry import", "--pseudonymised", "with --mapping", "--pseudonymised for sirtkit exports (with --dictionary)");
  if (!registry::is_postgres_location(rq.db)) {
    if (same_file(rq.db, rq.data) || same_file(rq.db, mapped ? rq.mapping : rq.dictionary))
      fail_input("registry import", "DB", rq.db, "a registry file different from the input files");
  }
  const io::CsvTable data = read_data(rq.data);
  auto store = registry::open_store(rq.db, false);
  registry::ImportOptions options;
  options.study = rq.study;
  options.actor = rq.actor.empty() ? os_user_name() : rq.actor;
  options.update_existing = rq.update;
  try {
    if (rq.pseudonymised) {
      if (rq.dry_run) fail_input("registry import", "--dry-run", "with --pseudonymised", "--dry-run for keyed imports only");
      const registry::DataDictionary dict = registry::DataDictionary::read(rq.dictionary);
      return summary_output(registry::import_pseudonymised(*store, data, dict, options), *store, rq.study);
    }
    const fs::path key_path = registry::PseudonymKey::resolve_path(rq.key);
    if (same_file(key_path.string(), rq.db) || same_file(key_path.string(), rq.data))
      fail_input("registry import", "--key", key_path.string(), "a key file of its own, kept outside the registry");
    const auto key = registry::PseudonymKey::from_file(key_path);
    if (mapped) {
      const registry::CsvMapping mapping = registry::read_csv_mapping(rq.mapping);
      if (rq.dry_run) return dry_run_output(registry::validate_mapped_csv(*store, data, mapping, key, options), data);
      return summary_output(registry::import_mapped_csv(*store, data, mapping, key, options), *store, rq.study);
    }
    const registry::DataDictionary dict = registry::DataDictionary::read(rq.dictionary);
    if (rq.dry_run) return dry_run_output(registry::validate_redcap(*store, data, dict, key, options), data);
    return summary_output(registry::import_redcap(*store, data, dict, key, options), *store, rq.study);
  } catch (const registry::ImportError& e) {
    return problems_output(e);
  }
}

RegistryOutput registry_export(const RegistryExportRequest& rq) {
  if (rq.out.empty()) fail_input("registry export", "--out", "(missing)", "the CSV file to write");
  if (!registry::is_postgres_location(rq.db) && same_file(rq.db, rq.out))
    fail_input("registry export", "--out", rq.out, "a file other than the registry");
  const fs::path out_path(rq.out);
  const fs::path dict_path = rq.dictionary_out.empty()
                                 ? out_path.parent_path() / (out_path.stem().string() + "_dictionary.csv")
                                 : fs::path(rq.dictionary_out);
  auto store = registry::open_store(rq.db, false);
  const registry::ExportResult e = registry::export_redcap(*store, rq.study);
  write_files_atomic({{out_path, e.data_csv}, {dict_path, e.dictionary_csv}});  // both or neither
  RegistryOutput out;
  out.json = {{"registry", store->location()}, {"data", out_path.string()}, {"dictionary", dict_path.string()},
              {"patients", e.patients}, {"rows", e.rows}, {"study", rq.study.empty() ? nlohmann::json(nullptr) : nlohmann::json(rq.study)}};
  out.text = "exported " + std::to_string(e.patients) + " patients (" + std::to_string(e.rows) + " rows) from " + store->location() +
             "\n  data        " + out_path.string() + "\n  dictionary  " + dict_path.string() +
             "\nde-identified: pseudonyms, shifted dates, no direct identifiers\n";
  return out;
}

namespace {

// `registry derive --endpoint response`: ADRS rows per patient (registry/tumour_response.h).
RegistryOutput registry_derive_response(const RegistryDeriveRequest& rq) {
  registry::ResponseDerivationOptions o;
  o.criteria = registry::parse_response_criteria(rq.criteria);
  o.landmark_days = rq.at_days;
  o.window_days = rq.window_days;
  o.study = rq.study;
  auto store = registry::open_store(rq.db, false);
  const registry::ResponseDataSet d = registry::derive_tumour_response(*store, o);
  if (!rq.out.empty()) write_file_atomic(rq.out, registry::adrs_csv(d));
  std::map<std::string, int> bor;
  int patients = 0, rsp = 0, dcr = 0;
  std::map<std::string, std::map<std::string, int>> landmark;  // AVISIT → AVALC → n
  for (const auto& r : d.records) {
    if (r.paramcd == "BOR") ++bor[r.avalc], ++patients;
    if (r.paramcd == "RSP") rsp += r.aval;
    if (r.paramcd == "DCR") dcr += r.aval;
    if (r.paramcd == "LMRESP") ++landmark[r.avisit][r.avalc];
  }
  auto share = [&](int k) { return fraction_percent(k, patients); };
  auto counts = [](const std::map<std::string, int>& m) {
    std::string t;
    for (const char* c : {"CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE", "MISSING"})
      if (auto it = m.find(c); it != m.end()) t += (t.empty() ? "" : ", ") + std::string(c) + " " + std::to_string(it->second);
    return t.empty() ? std::string("none") : t;
  };
  RegistryOutput out;
  nlohmann::json excluded = nlohmann::json::array();
  for (const auto& [id, why] : d.excluded) excluded.push_back({{"usubjid", id}, {"reason", why}});
  nlohmann::json lm = nlohmann::json::object();
  for (const auto& [visit, m] : landmark) lm[visit] = m;
  out.json = {{"registry", store->location()}, {"criteria", d.criteria}, {"subjects", patients}, {"best_overall_response", bor},
              {"objective_response", rsp}, {"disease_control", dcr}, {"landmarks", lm}, {"excluded", excluded},
              {"out", rq.out.empty() ? nlohmann::json(nullptr) : nlohmann::json(rq.out)}};
  out.text = "tumour response (" + d.criteria + ") from the registry's lesion measurements: " + std::to_string(patients) + " subjects\n" +
             "  best overall response   " + counts(bor) + "\n" +
             "  objective response      " + share(rsp) + " (CR or PR)\n" +
             "  disease control         " + share(dcr) + " (CR, PR, SD or NON-CR/NON-PD)\n";
  for (int day : rq.at_days) {
    const std::string visit = "DAY " + std::to_string(day);
    out.text += "  at " + visit + std::string(std::max<int>(0, 20 - static_cast<int>(visit.size())), ' ') + counts(landmark[visit]) + "\n";
  }
  for (const auto& [id, why] : d.excluded) out.text += "  excluded " + id + ": " + why + "\n";
  if (!rq.out.empty())
    out.text += "wrote " + rq.out + " (ADaM ADRS: PARAMCD OVRLRESP per scan, BOR, CBOR, RSP, DCR" + (rq.at_days.empty() ? "" : ", LMRESP") + ")\n";
  return out;
}

}  // namespace

registry::TteOptions tte_options(const RegistryDeriveRequest& rq) {
  registry::TteOptions o;
  o.endpoint = registry::parse_endpoint(rq.endpoint);
  o.origin = registry::parse_origin(rq.origin);
  o.censor_at_surgery = rq.censor_at_surgery;
  o.study = rq.study;
  if (rq.dose_source == "planned") o.dose_source = registry::DoseSource::planned;
  else if (rq.dose_source == "verified") o.dose_source = registry::DoseSource::verified;
  else fail_input("registry derive", "--dose-source", rq.dose_source, "planned or verified");
  if (!(rq.dose_threshold_gy >= 0)) fail_input("registry derive", "--dose-threshold", std::to_string(rq.dose_threshold_gy), "a dose >= 0 Gy");
  o.dose_threshold_gy = rq.dose_threshold_gy;
  if (!(rq.normal_liver_threshold_gy >= 0))
    fail_input("registry derive", "--normal-liver-threshold", std::to_string(rq.normal_liver_threshold_gy), "a dose >= 0 Gy");
  o.normal_liver_threshold_gy = rq.normal_liver_threshold_gy;
  return o;
}

RegistryOutput registry_derive(const RegistryDeriveRequest& rq) {
  if (rq.endpoint == "response") return registry_derive_response(rq);
  if (!rq.at_days.empty()) fail_input("registry derive", "--at-days", std::to_string(rq.at_days.front()), "landmarks with --endpoint response only");
  const registry::TteOptions o = tte_options(rq);
  auto store = registry::open_store(rq.db, false);
  const registry::TteDataSet d = registry::derive_time_to_event(*store, o);
  if (!rq.out.empty()) write_file_atomic(rq.out, registry::adtte_csv(d, rq.months));
  std::size_t events = 0;
  for (const auto& r : d.records) events += r.cnsr == 0;
  RegistryOutput out;
  nlohmann::json excluded = nlohmann::json::array();
  for (const auto& [id, why] : d.excluded) excluded.push_back({{"usubjid", id}, {"reason", why}});
  const std::string paramcd = d.records.empty() ? rq.endpoint : d.records.front().paramcd;
  out.json = {{"registry", store->location()}, {"paramcd", paramcd}, {"origin", rq.origin}, {"censor_at_surgery", rq.censor_at_surgery},
              {"subjects", d.records.size()}, {"events", events}, {"censored", d.records.size() - events},
              {"excluded", excluded}, {"out", rq.out.empty() ? nlohmann::json(nullptr) : nlohmann::json(rq.out)}};
  out.text = paramcd + " from " + (rq.origin == "index" ? std::string("the index date") : std::string("the first treatment")) +
             (rq.censor_at_surgery ? ", censored at resection/transplant" : "") + ": " + std::to_string(d.records.size()) +
             " subjects, " + std::to_string(events) + " events, " + std::to_string(d.records.size() - events) + " censored\n";
  for (const auto& [id, why] : d.excluded) out.text += "  excluded " + id + ": " + why + "\n";
  if (!rq.out.empty())
    out.text += "wrote " + rq.out + " (ADaM ADTTE: AVAL in " + (rq.months ? "months" : "days") +
                ", CNSR 0 = event); e.g. sirtkit km " + rq.out + " --time AVAL --event CNSR --event-coding cnsr --group TRT01P\n";
  return out;
}

std::string analysis_covariate_column(const std::string& name, double dose_threshold_gy) {
  static const std::map<std::string, std::string> names = {
      {"arm", "TRT01P"}, {"site", "SITEID"},     {"age", "AGE"},          {"sex", "SEX"},     {"ecog", "ECOG"},
      {"child_pugh", "CHILDPGH"}, {"bclc", "BCLC"}, {"pvi", "PVI"},     {"worst_ae", "WORSTAE"}, {"dose", "TDOSE"},
      {"dose_group", "TDOSEGR"}};
  std::string column = name;
  if (auto it = names.find(name); it != names.end()) column = it->second;
  bool known = false;
  for (const auto& [n, c] : names) known |= c == column;
  if (!known) {
    std::string list;
    for (const auto& [n, c] : names) list += (list.empty() ? "" : ", ") + n;
    fail_input("analyze", "--covariates", name, "one of " + list + " (or their ADTTE columns)");
  }
  if (column == "TDOSEGR" && !(dose_threshold_gy > 0))
    fail_input("analyze", "--covariates", name, "a --dose-threshold (e.g. 205) to form the dose groups");
  return column;
}

std::string analysis_group_column(const std::string& group, double dose_threshold_gy) {
  if (group == "arm") return "TRT01P";
  if (group == "site") return "SITEID";
  if (group == "dose") {
    if (!(dose_threshold_gy > 0)) fail_input("analyze", "--group", "dose", "a --dose-threshold (e.g. 205) to form the dose groups");
    return "TDOSEGR";
  }
  if (group != "none") fail_input("analyze", "--group", group, "arm, site, dose or none");
  return "";
}

RegistryOutput registry_analyze(const RegistryAnalyzeRequest& rq) {
  if (rq.derive.endpoint == "response")
    fail_input("analyze", "--endpoint", "response", "os, pfs or ttp (tumour response: sirtkit registry derive --endpoint response)");
  if (!rq.cox && !rq.covariates.empty()) fail_input("analyze", "--covariates", rq.covariates.front(), "--cox with covariates");
  const std::string group_column = analysis_group_column(rq.group, rq.derive.dose_threshold_gy);
  // The ADTTE data set goes through the same CSV reader and checks as a user's file.
  RegistryDeriveRequest d = rq.derive;
  d.months = true;
  const fs::path tmp = fs::temp_directory_path() / ("sirtkit-analyze-" + std::to_string(getpid()) + ".csv");
  d.out = tmp.string();
  struct Remove {
    fs::path p;
    ~Remove() {
      std::error_code ec;
      fs::remove(p, ec);
    }
  } remove{tmp};
  const RegistryOutput derived = registry_derive(d);
  pipelines::SurvivalColumns cols;
  cols.time = "AVAL";
  cols.event = "CNSR";
  cols.coding = pipelines::EventCoding::cnsr;
  if (rq.cox) {
    // The same Cox model as `sirtkit cox ADTTE.csv --time AVAL --event CNSR
    // --event-coding cnsr --covariates ...` on the derived file.
    pipelines::CoxRequest cx;
    cx.csv = tmp;
    cx.columns = cols;
    if (rq.covariates.empty() && !group_column.empty()) cx.covariates.covariates.push_back(group_column);
    for (const auto& c : rq.covariates) cx.covariates.covariates.push_back(analysis_covariate_column(c, rq.derive.dose_threshold_gy));
    for (const auto& f : rq.factors) cx.covariates.factors.push_back(analysis_covariate_column(f, rq.derive.dose_threshold_gy));
    cx.cox.ties = stats::parse_ties(rq.ties);
    const pipelines::AnalysisOutput c = pipelines::run_cox(cx);
    RegistryOutput out;
    out.json = {{"derived", derived.json}, {"cox", c.json}};
    out.json["derived"].erase("out");
    std::string terms;
    for (const auto& t : cx.covariates.covariates) terms += (terms.empty() ? "" : ", ") + t;
    out.text = derived.text.substr(0, derived.text.find("wrote ")) + "times in months (365.25/12 days); Cox model on " + terms + "\n\n" + c.text;
    return out;
  }
  cols.group = group_column;
  pipelines::KmRequest km;
  km.csv = tmp;
  km.columns = cols;
  const pipelines::AnalysisOutput k = pipelines::run_km(km);
  RegistryOutput out;
  out.json = {{"derived", derived.json}, {"km", k.json}};
  out.json["derived"].erase("out");
  std::string first = derived.text.substr(0, derived.text.find("wrote "));
  out.text = first + "times in months (365.25/12 days)\n\n" + k.text;
  if (!group_column.empty()) {
    pipelines::LogRankRequest lr;
    lr.csv = tmp;
    lr.columns = cols;
    try {
      const pipelines::AnalysisOutput l = pipelines::run_logrank(lr);
      out.json["logrank"] = l.json;
      out.text += "\n" + l.text;
    } catch (const Error& e) {  // a single group: no test
      out.json["logrank"] = nullptr;
      out.text += "\nno log-rank test: " + std::string(e.what()) + "\n";
    }
  }
  return out;
}

RegistryOutput registry_purge(const RegistryPurgeRequest& rq) {
  registry::PurgeRequest p;
  p.table = rq.table;
  p.column = rq.field;
  if (rq.row >= 0) p.row_id = rq.row;
  p.pseudonym = rq.record;
  p.reason = rq.reason;
  p.actor = rq.actor.empty() ? os_user_name() : rq.actor;
  auto store = registry::open_store(rq.db, false);
  const registry::PurgeResult r = registry::purge_value(*store, p);
  RegistryOutput out;
  out.json = {{"registry", store->location()}, {"table", rq.table}, {"field", rq.field}, {"rows", r.rows},
              {"replaced_by", r.replacement}, {"audit_entries_rewritten", r.audit_entries}, {"storage_rewritten", r.rewritten},
              {"actor", p.actor}};
  out.text = "purged " + rq.table + "." + rq.field + " in " + std::to_string(r.rows) + " row" + (r.rows == 1 ? "" : "s") + " of " +
             store->location() + " (now " + r.replacement + "); " + std::to_string(r.audit_entries) +
             " audit trail entries no longer hold the value; the purge (who, when, why; not the value) is in purge_log\n";
  out.text += r.rewritten ? std::string("storage rewritten (VACUUM): no freed page keeps the old bytes\n")
                          : std::string("storage NOT rewritten: VACUUM FULL needs the owner of the tables; old row versions stay in the "
                                        "data files until the owner runs VACUUM FULL " + rq.table + ", audit_log\n");
  return out;
}

RegistryOutput registry_demo(const std::string& dir) {
  const registry::DemoCohort c = registry::make_demo_cohort();
  const fs::path d(dir);
  OutputFolder folder(d);  // every file or none (core/atomic_file.h)
  folder.write("demo_export.csv", c.data_csv);
  folder.write("demo_dictionary.csv", c.dictionary_csv);
  folder.write("demo.key", c.key + "\n");
  folder.commit();
  RegistryOutput out;
  out.json = {{"data", (d / "demo_export.csv").string()}, {"dictionary", (d / "demo_dictionary.csv").string()},
              {"key", (d / "demo.key").string()}, {"patients", 56}};
  out.text = "wrote the synthetic DOSISPHERE-like demo cohort (56 patients, 2 arms; no real patient) to " + dir +
             ":\n  demo_export.csv, demo_dictionary.csv, demo.key (a fixed demo key: never use it for real data)\n";
  return out;
}

RegistryOutput registry_load_demo(const std::string& db) {
  auto store = registry::open_store(db, true);
  registry::migrate(*store, os_user_name());
  RegistryOutput out;
  const long long patients = store->count("patients");
  if (patients > 0) {
    out.json = {{"registry", store->location()}, {"patients", patients}, {"imported", 0}};
    out.text = "registry " + store->location() + " already holds " + std::to_string(patients) + " patients; demo cohort not imported again\n";
    return out;
  }
  const registry::DemoCohort c = registry::make_demo_cohort();
  registry::ImportOptions options;
  options.study = "DOSISPHERE";
  options.actor = "sirtkit serve --demo";
  const registry::ImportSummary s = registry::import_redcap(
      *store, io::CsvTable::parse(c.data_csv, "demo_export.csv"),
      registry::DataDictionary::from_table(io::CsvTable::parse(c.dictionary_csv, "demo_dictionary.csv")),
      registry::PseudonymKey::from_bytes(c.key), options);
  out.json = {{"registry", store->location()}, {"patients", s.patients}, {"imported", s.patients}};
  out.text = "imported the synthetic DOSISPHERE-like demo cohort (" + std::to_string(s.patients) + " patients, no real patient) into " +
             store->location() + "\n";
  return out;
}

}  // namespace sirtkit::pipelines
