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
#include "io/text_formats/csv_table.h"
#include "pipelines/survival/survival_analysis.h"
#include "registry/import/csv_mapping.h"
#include "registry/demo_cohort.h"
#include "registry/import/identifier_scan.h"
#include "registry/import/mapped_import.h"
#include "registry/import/pseudonym.h"
#include "registry/store/purge.h"
#include "registry/redcap/redcap_export.h"
#include "registry/redcap/redcap_import.h"
#include "registry/store/schema.h"
#include "registry/store/store.h"
#include "registry/derived/time_to_event.h"
#include "registry/derived/tumour_response.h"
#include "report/registry/registry_analysis.h"

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

report::RegistryInit registry_init(const std::string& db) {
  auto store = registry::open_store(db, true);
  report::RegistryInit r;
  r.location = store->location();
  r.sqlite = store->dialect() == registry::Dialect::sqlite;
  r.schema_version_before = registry::schema_version(*store);
  r.migrations_applied = registry::migrate(*store, os_user_name());
  r.schema_version = registry::schema_version(*store);
  return r;
}

namespace {

report::ImportProblemRow problem_row(const registry::ImportProblem& p) { return {p.file, p.line, p.column, p.value, p.message}; }

report::ImportCounts import_counts(const registry::ImportSummary& s) {
  return {s.patients,         s.lesions,         s.measurements,       s.treatments,          s.labs,
          s.adverse_events,   s.followup_events, s.patients_updated,   s.rows_updated,        s.rows_unchanged,
          s.index_date_rule,  s.dropped_identifiers, s.dropped_free_text, s.dropped_other};
}

report::RegistryImport refused(const registry::ImportError& e) {
  report::RegistryImport r;
  r.outcome = report::RegistryImport::Outcome::refused;
  r.message = e.what();
  for (const auto& p : e.problems()) r.problems.push_back(problem_row(p));
  return r;
}

report::RegistryImport validated(std::vector<registry::ImportProblem> problems, const io::CsvTable& data) {
  if (!problems.empty()) {
    std::string msg = std::to_string(problems.size()) + " problems in " + data.source() + ":";
    for (const auto& p : problems) msg += "\n  " + p.to_string();
    throw registry::ImportError(std::move(problems), msg);
  }
  report::RegistryImport r;
  r.outcome = report::RegistryImport::Outcome::validated;
  r.rows = data.rows();
  r.source = data.source();
  return r;
}

report::RegistryImport imported(const registry::ImportSummary& s, const registry::Store& store, const std::string& study) {
  report::RegistryImport r;
  r.summary = import_counts(s);
  r.location = store.location();
  r.study = study;
  return r;
}

}  // namespace

report::RegistryImport registry_import(const RegistryImportRequest& rq) {
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
      return imported(registry::import_pseudonymised(*store, data, dict, options), *store, rq.study);
    }
    const fs::path key_path = registry::PseudonymKey::resolve_path(rq.key);
    if (same_file(key_path.string(), rq.db) || same_file(key_path.string(), rq.data))
      fail_input("registry import", "--key", key_path.string(), "a key file of its own, kept outside the registry");
    const auto key = registry::PseudonymKey::from_file(key_path);
    if (mapped) {
      const registry::CsvMapping mapping = registry::read_csv_mapping(rq.mapping);
      if (rq.dry_run) return validated(registry::validate_mapped_csv(*store, data, mapping, key, options), data);
      return imported(registry::import_mapped_csv(*store, data, mapping, key, options), *store, rq.study);
    }
    const registry::DataDictionary dict = registry::DataDictionary::read(rq.dictionary);
    if (rq.dry_run) return validated(registry::validate_redcap(*store, data, dict, key, options), data);
    return imported(registry::import_redcap(*store, data, dict, key, options), *store, rq.study);
  } catch (const registry::ImportError& e) {
    return refused(e);
  }
}

report::RegistryExport registry_export(const RegistryExportRequest& rq) {
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
  return {store->location(), out_path.string(), dict_path.string(), e.patients, e.rows, rq.study};
}

namespace {

// `registry derive --endpoint response`: ADRS rows per patient (registry/derived/tumour_response.h).
report::ResponseDerivation registry_derive_response(const RegistryDeriveRequest& rq) {
  registry::ResponseDerivationOptions o;
  o.criteria = registry::parse_response_criteria(rq.criteria);
  o.landmark_days = rq.at_days;
  o.window_days = rq.window_days;
  o.study = rq.study;
  auto store = registry::open_store(rq.db, false);
  const registry::ResponseDataSet d = registry::derive_tumour_response(*store, o);
  if (!rq.out.empty()) write_file_atomic(rq.out, registry::adrs_csv(d));
  report::ResponseDerivation r;
  r.location = store->location();
  r.criteria = d.criteria;
  for (const auto& rec : d.records) {
    if (rec.paramcd == "BOR") ++r.best_overall_response[rec.avalc], ++r.subjects;
    if (rec.paramcd == "RSP") r.objective_response += rec.aval;
    if (rec.paramcd == "DCR") r.disease_control += rec.aval;
    if (rec.paramcd == "LMRESP") ++r.landmarks[rec.avisit][rec.avalc];
  }
  r.at_days = rq.at_days;
  r.excluded = d.excluded;
  r.out = rq.out;
  return r;
}

// `registry derive --endpoint os|pfs|ttp`: the ADTTE data set and its counts.
report::TteDerivation registry_derive_tte(const RegistryDeriveRequest& rq) {
  if (!rq.at_days.empty()) fail_input("registry derive", "--at-days", std::to_string(rq.at_days.front()), "landmarks with --endpoint response only");
  const registry::TteOptions o = tte_options(rq);
  auto store = registry::open_store(rq.db, false);
  const registry::TteDataSet d = registry::derive_time_to_event(*store, o);
  if (!rq.out.empty()) write_file_atomic(rq.out, registry::adtte_csv(d, rq.months));
  report::TteDerivation r;
  r.location = store->location();
  r.paramcd = d.records.empty() ? rq.endpoint : d.records.front().paramcd;
  r.origin = rq.origin;
  r.censor_at_surgery = rq.censor_at_surgery;
  r.subjects = d.records.size();
  for (const auto& rec : d.records) r.events += rec.cnsr == 0;
  r.excluded = d.excluded;
  r.out = rq.out;
  r.months = rq.months;
  return r;
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

report::RegistryDerivation registry_derive(const RegistryDeriveRequest& rq) {
  if (rq.endpoint == "response") return registry_derive_response(rq);
  return registry_derive_tte(rq);
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

report::RegistryAnalysis registry_analyze(const RegistryAnalyzeRequest& rq) {
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
  report::RegistryAnalysis out;
  out.derived = registry_derive_tte(d);
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
    out.cox = pipelines::cox_analysis(cx);
    out.cox_terms = cx.covariates.covariates;
    return out;
  }
  cols.group = group_column;
  pipelines::KmRequest km;
  km.csv = tmp;
  km.columns = cols;
  out.km = pipelines::km_analysis(km);
  out.grouped = !group_column.empty();
  if (out.grouped) {
    pipelines::LogRankRequest lr;
    lr.csv = tmp;
    lr.columns = cols;
    try {
      out.log_rank = pipelines::log_rank_analysis(lr);
    } catch (const Error& e) {  // a single group: no test
      out.no_log_rank = e.what();
    }
  }
  return out;
}

report::RegistryPurge registry_purge(const RegistryPurgeRequest& rq) {
  registry::PurgeRequest p;
  p.table = rq.table;
  p.column = rq.field;
  if (rq.row >= 0) p.row_id = rq.row;
  p.pseudonym = rq.record;
  p.reason = rq.reason;
  p.actor = rq.actor.empty() ? os_user_name() : rq.actor;
  auto store = registry::open_store(rq.db, false);
  const registry::PurgeResult r = registry::purge_value(*store, p);
  return {store->location(), rq.table, rq.field, p.actor, {r.rows, r.audit_entries, r.rewritten, r.replacement}};
}

report::RegistryDemoFiles registry_demo(const std::string& dir) {
  const registry::DemoCohort c = registry::make_demo_cohort();
  const fs::path d(dir);
  OutputFolder folder(d);  // every file or none (core/atomic_file.h)
  folder.write("demo_export.csv", c.data_csv);
  folder.write("demo_dictionary.csv", c.dictionary_csv);
  folder.write("demo.key", c.key + "\n");
  folder.commit();
  return {dir, (d / "demo_export.csv").string(), (d / "demo_dictionary.csv").string(), (d / "demo.key").string(),
          c.patients};
}

report::RegistryDemoLoad registry_load_demo(const std::string& db) {
  auto store = registry::open_store(db, true);
  registry::migrate(*store, os_user_name());
  const long long patients = store->count("patients");
  if (patients > 0) return {store->location(), patients, true};
  const registry::DemoCohort c = registry::make_demo_cohort();
  registry::ImportOptions options;
  options.study = "DOSISPHERE";
  options.actor = "sirtkit serve --demo";
  const registry::ImportSummary s = registry::import_redcap(
      *store, io::CsvTable::parse(c.data_csv, "demo_export.csv"),
      registry::DataDictionary::from_table(io::CsvTable::parse(c.dictionary_csv, "demo_dictionary.csv")),
      registry::PseudonymKey::from_bytes(c.key), options);
  return {store->location(), static_cast<long long>(s.patients), false};
}

}  // namespace sirtkit::pipelines
