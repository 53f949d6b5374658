#include "pipelines/trial/randomisation_jobs.h"
#include "core/text.h"

#include <algorithm>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/format.h"
#include "io/text_formats/toml_reader.h"
#include "pipelines/clinical/clinical_eligibility.h"
#include "registry/store/schema.h"
#include "stats/trial/randomisation.h"

namespace sirtkit::pipelines {
namespace {

using registry::ResultSet;
using registry::Store;
using registry::StoredAllocation;
using registry::StoredRandomisationScheme;
using registry::Value;

std::string text(const Value& v) { return v ? *v : std::string(); }

std::string read_text_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) fail_io(p.string(), "cannot be read");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool is_registry_field(const std::string& name) {
  const auto& f = registry::randomisation_factor_fields();
  return std::find(f.begin(), f.end(), name) != f.end();
}

std::vector<std::string> study_sites(Store& store, const std::string& study) {
  std::vector<std::string> out;
  for (const auto& row :
       store.query("SELECT s.code FROM sites s JOIN studies st ON st.id = s.study_id WHERE st.code = ? ORDER BY s.code", {study}).rows)
    out.push_back(text(row[0]));
  return out;
}

// The patient's row and baseline, with study and site codes.
struct PatientRow {
  long long id = 0;
  long long site_id = 0;
  bool has_site = false;
  std::string pseudonym, study, site;
  bool has_arm = false;
  std::map<std::string, std::string> fields;  // registry field → value text (no units)
  std::map<std::string, std::string> record;  // eligibility record: field → value with its unit
};

std::optional<PatientRow> find_patient(Store& store, const RandomiseRequest& rq) {
  const std::string select =
      "SELECT p.id, p.pseudonym, p.site_id, p.arm_id, p.sex, p.age_years, st.code AS study, s.code AS site, b.diagnosis, b.ecog, "
      "b.child_pugh_class, b.child_pugh_score, b.bclc_stage, b.afp_ng_ml, b.albumin_g_l, b.bilirubin_umol_l, b.cirrhosis, "
      "b.portal_vein_invasion, b.extrahepatic_disease FROM patients p JOIN studies st ON st.id = p.study_id "
      "LEFT JOIN sites s ON s.id = p.site_id LEFT JOIN baseline b ON b.patient_id = p.id ";
  const ResultSet r = rq.pseudonym.empty() ? store.query(select + "WHERE p.id = ?", {std::to_string(rq.patient_id)})
                                           : store.query(select + "WHERE p.pseudonym = ?", {rq.pseudonym});
  if (r.empty()) return std::nullopt;
  PatientRow p;
  p.id = std::stoll(*r.at(0, "id"));
  p.pseudonym = text(r.at(0, "pseudonym"));
  p.study = text(r.at(0, "study"));
  p.has_site = r.at(0, "site_id").has_value();
  if (p.has_site) p.site_id = std::stoll(*r.at(0, "site_id"));
  p.site = text(r.at(0, "site"));
  p.has_arm = r.at(0, "arm_id").has_value();
  if (rq.scope) {
    if (!p.has_site || std::find(rq.scope->begin(), rq.scope->end(), p.site_id) == rq.scope->end()) return std::nullopt;
  }
  auto put = [&](const std::string& field, const Value& v, const std::string& unit = "") {
    if (!v) return;
    p.fields[field] = *v;
    p.record[field] = unit.empty() ? *v : *v + " " + unit;
  };
  put("site", r.at(0, "site"));
  put("sex", r.at(0, "sex"));
  put("diagnosis", r.at(0, "diagnosis"));
  put("ecog", r.at(0, "ecog"));
  put("child_pugh_class", r.at(0, "child_pugh_class"));
  put("child_pugh_score", r.at(0, "child_pugh_score"));
  put("bclc_stage", r.at(0, "bclc_stage"));
  put("afp", r.at(0, "afp_ng_ml"), "ng/mL");
  put("albumin", r.at(0, "albumin_g_l"), "g/L");
  put("bilirubin", r.at(0, "bilirubin_umol_l"), "umol/L");
  if (const Value age = r.at(0, "age_years")) p.record["age"] = *age + " years";
  for (const char* flag : {"cirrhosis", "portal_vein_invasion", "extrahepatic_disease"})
    if (const Value v = r.at(0, flag)) put(flag, Value(*v == "1" ? "yes" : "no"));
  return p;
}

std::vector<int> levels_of_stored(const stats::RandomisationScheme& s, const std::string& levels, const std::string& where) {
  std::vector<std::string> names;
  std::size_t start = 0;
  for (std::size_t i = 0; i < s.factors.size(); ++i) {
    const std::size_t end = levels.find(';', start);
    const std::string part = levels.substr(start, end == std::string::npos ? std::string::npos : end - start);
    const std::string prefix = s.factors[i].name + "=";
    if (part.compare(0, prefix.size(), prefix) != 0) fail_input(where, "levels", levels, "name=level for every factor in order");
    names.push_back(part.substr(prefix.size()));
    start = end == std::string::npos ? levels.size() : end + 1;
  }
  return stats::factor_level_indices(s, names, where);
}

// Replays the stored allocations into a state; a stored arm the seed does not give is an
// integrity failure (the registry was changed outside sirtkit).
stats::RandomisationState rebuilt_state(const StoredRandomisationScheme& s, const std::vector<StoredAllocation>& done) {
  stats::RandomisationState st = stats::start_randomisation(s.scheme);
  for (const StoredAllocation& a : done) {
    const auto alloc = stats::allocate(s.scheme, st, levels_of_stored(s.scheme, a.levels, "randomisation_allocations"));
    if (alloc.number != a.sequence || s.scheme.arms[static_cast<std::size_t>(alloc.arm)] != a.arm)
      fail_input("randomisation_allocations of scheme " + s.code, "allocation", std::to_string(a.sequence),
                 "an allocation the seed reproduces (run sirtkit randomise replay; no new allocation is made)");
  }
  return st;
}

StoredRandomisationScheme scheme_for(Store& store, const std::string& code, const PatientRow& p) {
  std::string chosen = code;
  if (chosen.empty()) {
    const auto codes = registry::randomisation_scheme_codes(store, p.study);
    if (codes.size() != 1)
      fail_input("randomise", "scheme", "(not given)",
                 codes.empty() ? "a randomisation scheme for the patient's study (create one with sirtkit randomise init)"
                               : "the code of one of the study's " + std::to_string(codes.size()) + " schemes");
    chosen = codes.front();
  }
  auto s = registry::find_randomisation_scheme(store, chosen);
  if (!s) fail_input("randomise", "scheme", chosen, "the code of a randomisation scheme of the registry");
  if (s->study != p.study) fail_input("randomise", "scheme", chosen, "a scheme of the patient's study " + p.study);
  return *s;
}

}  // namespace

StoredRandomisationScheme read_randomisation_scheme(Store& store, const std::filesystem::path& toml_file) {
  io::TomlTable t = io::TomlTable::parse_file(toml_file);
  const std::string where = toml_file.string();
  StoredRandomisationScheme s;
  stats::RandomisationScheme& r = s.scheme;
  s.code = t.string("code");
  s.study = t.string("study");
  r.arms = t.strings("arms");
  r.ratio = t.has("ratio") ? t.integers("ratio") : std::vector<int>(r.arms.size(), 1);
  r.method = stats::parse_randomisation_method(t.string("method"), where);
  if (r.method == stats::RandomisationMethod::permuted_blocks) r.block_sizes = t.integers("block_sizes");
  if (r.method == stats::RandomisationMethod::minimisation) {
    if (auto m = t.optional_string("imbalance")) r.imbalance = stats::parse_imbalance_measure(*m, where);
    if (auto p = t.optional_number("p")) r.p_preferred = *p;
    if (auto n = t.optional_number("random_first")) {
      if (*n != static_cast<int>(*n)) fail_input(where, "random_first", num(*n), "a whole number of patients");
      r.random_first = static_cast<int>(*n);
    }
  }
  for (io::TomlTable f : t.tables("factor")) {
    stats::RandomisationFactor factor;
    factor.name = f.string("name");
    std::string field = f.optional_string("field").value_or(is_registry_field(factor.name) ? factor.name : "");
    if (!field.empty() && !is_registry_field(field)) {
      std::string known;
      for (const auto& k : registry::randomisation_factor_fields()) known += (known.empty() ? "" : ", ") + k;
      fail_input(where + " " + f.path(), "field", field, "a registry field (" + known + ")");
    }
    if (f.has("levels")) factor.levels = f.strings("levels");
    else if (field == "site") factor.levels = study_sites(store, s.study);
    else fail_input(where + " " + f.path(), "levels", "(none)", "the list of levels of factor " + factor.name);
    factor.weight = f.optional_number("weight").value_or(1.0);
    f.finish();
    r.factors.push_back(factor);
    s.factor_fields.push_back(field);
  }
  const std::filesystem::path rules_file = t.folder() / t.string("eligibility");
  s.eligibility_rules = read_text_file(rules_file);
  parse_eligibility_rules(s.eligibility_rules, rules_file.string());  // refuses a bad rule file now, not at the first patient
  if (auto seed = t.optional_string("seed")) r.seed = stats::parse_random_seed(*seed, where);
  else r.seed = stats::fresh_random_seed();
  t.finish();
  stats::validate_scheme(r, where);
  return s;
}

StoredRandomisationScheme create_randomisation_scheme(Store& store, const std::filesystem::path& toml_file, const std::string& actor) {
  registry::require_current_schema(store);
  registry::Transaction tx(store, actor);
  StoredRandomisationScheme s = read_randomisation_scheme(store, toml_file);
  registry::insert_randomisation_scheme(store, s);
  tx.commit();
  return s;
}

std::vector<SchemeEligibility> patient_eligibility(Store& store, long long patient_id, const registry::SiteScope& scope) {
  registry::require_current_schema(store);
  RandomiseRequest rq;
  rq.patient_id = patient_id;
  rq.scope = scope;
  const auto patient = find_patient(store, rq);
  if (!patient) fail_input("eligibility", "patient", "(not shown)", "a patient of the registry within your sites");
  std::vector<SchemeEligibility> out;
  for (const std::string& code : registry::randomisation_scheme_codes(store, patient->study)) {
    const auto s = registry::find_randomisation_scheme(store, code);
    if (!s) continue;
    const clinical::RuleSet rules = parse_eligibility_rules(s->eligibility_rules, "scheme " + code + " eligibility");
    out.push_back({code, clinical::evaluate_eligibility(rules, patient->pseudonym, patient->record, "registry record"), rules.name});
  }
  return out;
}

RandomiseOutcome randomise_patient(Store& store, const RandomiseRequest& rq) {
  registry::require_current_schema(store);
  registry::Transaction tx(store, rq.actor);
  const auto patient = find_patient(store, rq);
  if (!patient) fail_input("randomise", "patient", "(not shown)", "a patient of the registry within your sites");
  RandomiseOutcome out;
  if (auto existing = registry::patient_allocation(store, patient->id)) {
    out.status = RandomiseOutcome::Status::already_randomised;
    out.allocation = allocation_view(*existing);
    return out;
  }
  if (patient->has_arm)
    fail_input("randomise", "patient arm", "(set without randomisation)",
               "a patient without an arm: this one was given an arm outside randomisation (e.g. by import)");
  const StoredRandomisationScheme s = scheme_for(store, rq.scheme, *patient);

  // Eligibility first: the rule set stored with the scheme, on the registry record plus the given values.
  const clinical::RuleSet rules = parse_eligibility_rules(s.eligibility_rules, "scheme " + s.code + " eligibility");
  out.rules = rules.name;
  std::map<std::string, std::string> record = patient->record;
  for (const auto& [field, value] : rq.values) {
    record[ascii_lower(field)] = value;
  }
  const clinical::EligibilityResult verdict = clinical::evaluate_eligibility(rules, patient->pseudonym, record, "eligibility values");
  if (verdict.verdict != "eligible") {
    const bool failed = verdict.verdict == "not eligible";
    out.status = failed ? RandomiseOutcome::Status::not_eligible : RandomiseOutcome::Status::undetermined;
    for (const auto& c : verdict.criteria)
      if (failed ? c.verdict == clinical::Verdict::fail : (c.verdict == clinical::Verdict::unknown && c.required))
        out.criteria.push_back(c);
    return out;
  }

  // Factor levels: given, else read from the registry.
  // (a named copy: clang 15 cannot capture a structured binding in a lambda)
  for (const auto& given : rq.levels) {
    const std::string& name = given.first;
    if (std::none_of(s.scheme.factors.begin(), s.scheme.factors.end(), [&](const auto& f) { return f.name == name; }))
      fail_input("levels", "factor", name, "a factor of scheme " + s.code);
  }
  std::vector<std::string> names;
  for (std::size_t i = 0; i < s.scheme.factors.size(); ++i) {
    const std::string& factor = s.scheme.factors[i].name;
    if (auto it = rq.levels.find(factor); it != rq.levels.end()) {
      names.push_back(it->second);
      continue;
    }
    const std::string& field = s.factor_fields[i];
    if (field.empty()) fail_input("levels", "factor " + factor, "(not given)", "its level (--level " + factor + "=LEVEL)");
    auto v = patient->fields.find(field);
    if (v == patient->fields.end())
      fail_input("levels", "factor " + factor, "(the registry has no " + field + " for this patient)",
                 "its level (--level " + factor + "=LEVEL) or the value in the registry");
    names.push_back(v->second);
  }
  const std::vector<int> levels = stats::factor_level_indices(s.scheme, names, "levels");

  const auto done = registry::scheme_allocations(store, s.id);
  stats::RandomisationState state = rebuilt_state(s, done);
  const stats::Allocation a = stats::allocate(s.scheme, state, levels);
  StoredAllocation stored;
  stored.sequence = a.number;
  stored.patient_id = patient->id;
  stored.scheme = s.code;
  stored.pseudonym = patient->pseudonym;
  stored.site = patient->site;
  stored.arm = s.scheme.arms[static_cast<std::size_t>(a.arm)];
  stored.levels = stats::stratum_name(s.scheme, levels);
  stored.allocated_at = *store.scalar(store.dialect() == registry::Dialect::sqlite
                                          ? "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                                          : "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')");
  stored.allocated_by = rq.actor;
  registry::insert_allocation(store, s.id, stored);
  tx.commit();
  out.allocation = allocation_view(stored);
  return out;
}

std::vector<StoredAllocation> list_randomisation(Store& store, const std::string& scheme_code) {
  registry::require_current_schema(store);
  const Value id = store.scalar("SELECT id FROM randomisation_schemes WHERE code = ?", {scheme_code});
  if (!id) fail_input(store.location(), "scheme", scheme_code, "the code of a randomisation scheme of the registry");
  return registry::scheme_allocations(store, std::stoll(*id));
}

ReplayResult replay_randomisation(Store& store, const std::string& scheme_code) {
  registry::require_current_schema(store);
  const auto s = registry::find_randomisation_scheme(store, scheme_code);  // checks the seed against its SHA-256
  if (!s) fail_input(store.location(), "scheme", scheme_code, "the code of a randomisation scheme of the registry");
  ReplayResult rr;
  rr.scheme = s->code;
  rr.seed_sha256 = s->seed_sha256;
  const auto done = registry::scheme_allocations(store, s->id);
  rr.allocations = static_cast<long long>(done.size());
  stats::RandomisationState st = stats::start_randomisation(s->scheme);
  for (const StoredAllocation& a : done) {
    const auto alloc = stats::allocate(s->scheme, st, levels_of_stored(s->scheme, a.levels, "randomisation_allocations"));
    if (alloc.number != a.sequence || s->scheme.arms[static_cast<std::size_t>(alloc.arm)] != a.arm) rr.mismatches.push_back(a.sequence);
  }
  return rr;
}

report::Allocation allocation_view(const StoredAllocation& a) {
  return {a.sequence, a.patient_id, a.scheme, a.pseudonym, a.site, a.arm, a.levels, a.allocated_at, a.allocated_by};
}

report::AllocationList randomisation_list(Store& store, const std::string& scheme_code, bool replay) {
  report::AllocationList l;
  l.scheme = scheme_code;
  for (const auto& a : list_randomisation(store, scheme_code)) l.allocations.push_back(allocation_view(a));
  if (replay) l.replay = replay_randomisation(store, scheme_code);
  return l;
}

report::SchemeSummary scheme_summary(const StoredRandomisationScheme& s) {
  report::SchemeSummary out{s.code, s.study, s.scheme.method, s.scheme.arms, s.scheme.ratio, {}, s.seed_sha256, s.created_at};
  for (const auto& f : s.scheme.factors) out.factors.emplace_back(f.name, f.levels.size());
  return out;
}

}  // namespace sirtkit::pipelines
