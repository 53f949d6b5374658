#include "report/registry/registry_store_jobs.h"

namespace sirtkit::report {
namespace {

using nlohmann::json;

std::string n(std::size_t v) { return std::to_string(v); }

// "a, b, c", or "none".
std::string listed(const std::vector<std::string>& v) {
  std::string t;
  for (const auto& x : v) t += (t.empty() ? "" : ", ") + x;
  return t.empty() ? std::string("none") : t;
}

CommandOutput refused_output(const RegistryImport& r) {
  json problems = json::array();
  for (const auto& p : r.problems)
    problems.push_back({{"file", p.file}, {"line", p.line}, {"column", p.column}, {"value", p.value}, {"expected", p.expected}});
  return {{{"ok", false}, {"imported", nullptr}, {"problems", problems}}, r.message + "\n"};
}

CommandOutput validated_output(const RegistryImport& r) {
  return {{{"ok", true}, {"dry_run", true}, {"rows", r.rows}, {"problems", json::array()}},
          "dry run: " + n(r.rows) + " rows of " + r.source + " are valid; nothing was written\n"};
}

json imported_json(const RegistryImport& r) {
  const ImportCounts& s = r.summary;
  return {{"ok", true},
          {"registry", r.location},
          {"study", r.study},
          {"imported",
           {{"patients", s.patients}, {"lesions", s.lesions}, {"lesion_measurements", s.measurements}, {"treatments", s.treatments},
            {"labs", s.labs}, {"adverse_events", s.adverse_events}, {"followup_events", s.followup_events}}},
          {"updated", {{"patients", s.patients_updated}, {"rows_changed", s.rows_updated}, {"rows_unchanged", s.rows_unchanged}}},
          {"day_zero", s.index_date_rule},
          {"dropped", {{"identifiers", s.dropped_identifiers}, {"free_text", s.dropped_free_text}, {"other", s.dropped_other}}}};
}

std::string imported_text(const RegistryImport& r) {
  const ImportCounts& s = r.summary;
  std::string t = "imported into " + r.location + " (study " + r.study + ", one transaction):\n" +
                  "  patients             " + n(s.patients) + "\n" +
                  "  lesions              " + n(s.lesions) + " (" + n(s.measurements) + " measurements)\n" +
                  "  treatments           " + n(s.treatments) + "\n" +
                  "  labs                 " + n(s.labs) + "\n" +
                  "  adverse events       " + n(s.adverse_events) + "\n" +
                  "  follow-up events     " + n(s.followup_events) + "\n";
  if (s.patients_updated)
    t += "  updated patients     " + n(s.patients_updated) + " (" + n(s.rows_updated) +
         " stored rows changed, old and new values in the audit trail; " + n(s.rows_unchanged) + " unchanged; new rows counted above)\n";
  return t + "day 0 of each patient: " + s.index_date_rule + "\n" +
         "dropped (never stored):\n" +
         "  identifiers          " + listed(s.dropped_identifiers) + "\n" +
         "  free text            " + listed(s.dropped_free_text) + "\n" +
         "  no registry column   " + listed(s.dropped_other) + "\n";
}

}  // namespace

CommandOutput registry_init_output(const RegistryInit& r) {
  CommandOutput out;
  out.json = {{"registry", r.location},
              {"store", r.sqlite ? "sqlite" : "postgresql"},
              {"schema_version_before", r.schema_version_before},
              {"schema_version", r.schema_version},
              {"migrations_applied", r.migrations_applied}};
  const std::string after = std::to_string(r.schema_version);
  if (r.schema_version_before == 0) out.text = "created registry " + r.location + " (schema version " + after + ")\n";
  else if (r.migrations_applied > 0)
    out.text = "upgraded registry " + r.location + " from schema version " + std::to_string(r.schema_version_before) + " to " + after + "\n";
  else out.text = "registry " + r.location + " is up to date (schema version " + after + ")\n";
  return out;
}

CommandOutput registry_import_output(const RegistryImport& r) {
  switch (r.outcome) {
    case RegistryImport::Outcome::refused: return refused_output(r);
    case RegistryImport::Outcome::validated: return validated_output(r);
    case RegistryImport::Outcome::imported: break;
  }
  return {imported_json(r), imported_text(r)};
}

CommandOutput registry_export_output(const RegistryExport& r) {
  CommandOutput out;
  out.json = {{"registry", r.location}, {"data", r.data},       {"dictionary", r.dictionary},
              {"patients", r.patients}, {"rows", r.rows}, {"study", r.study.empty() ? json(nullptr) : json(r.study)}};
  out.text = "exported " + n(r.patients) + " patients (" + n(r.rows) + " rows) from " + r.location + "\n  data        " + r.data +
             "\n  dictionary  " + r.dictionary + "\nde-identified: pseudonyms, shifted dates, no direct identifiers\n";
  return out;
}

CommandOutput registry_purge_output(const RegistryPurge& r) {
  const PurgeCounts& p = r.result;
  CommandOutput out;
  out.json = {{"registry", r.location}, {"table", r.table}, {"field", r.field}, {"rows", p.rows}, {"replaced_by", p.replacement},
              {"audit_entries_rewritten", p.audit_entries}, {"storage_rewritten", p.rewritten}, {"actor", r.actor}};
  out.text = "purged " + r.table + "." + r.field + " in " + n(p.rows) + " row" + (p.rows == 1 ? "" : "s") + " of " + r.location + " (now " +
             p.replacement + "); " + n(p.audit_entries) +
             " audit trail entries no longer hold the value; the purge (who, when, why; not the value) is in purge_log\n";
  out.text += p.rewritten ? std::string("storage rewritten (VACUUM): no freed page keeps the old bytes\n")
                          : "storage NOT rewritten: VACUUM FULL needs the owner of the tables; old row versions stay in the "
                            "data files until the owner runs VACUUM FULL " + r.table + ", audit_log\n";
  return out;
}

CommandOutput registry_demo_output(const RegistryDemoFiles& r) {
  return {{{"data", r.data}, {"dictionary", r.dictionary}, {"key", r.key}, {"patients", r.patients}},
          "wrote the synthetic DOSISPHERE-like demo cohort (" + std::to_string(r.patients) + " patients, 2 arms; no real patient) to " +
              r.dir + ":\n  demo_export.csv, demo_dictionary.csv, demo.key (a fixed demo key: never use it for real data)\n"};
}

CommandOutput registry_demo_load_output(const RegistryDemoLoad& r) {
  const std::string count = std::to_string(r.patients);
  if (r.already_held)
    return {{{"registry", r.location}, {"patients", r.patients}, {"imported", 0}},
            "registry " + r.location + " already holds " + count + " patients; demo cohort not imported again\n"};
  return {{{"registry", r.location}, {"patients", r.patients}, {"imported", r.patients}},
          "imported the synthetic DOSISPHERE-like demo cohort (" + count + " patients, no real patient) into " + r.location + "\n"};
}

}  // namespace sirtkit::report
