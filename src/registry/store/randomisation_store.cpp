#include "registry/store/randomisation_store.h"

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace sirtkit::registry {
namespace {

long long to_ll(const Value& v) { return v ? std::stoll(*v) : 0; }
std::string text(const Value& v) { return v ? *v : std::string(); }

std::string now_text(Store& store) {
  return *store.scalar(store.dialect() == Dialect::sqlite
                           ? "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                           : "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')");
}

// The scheme without its seed, as stored in randomisation_schemes.definition (audited).
std::string definition_json(const StoredRandomisationScheme& s) {
  using J = nlohmann::ordered_json;
  const stats::RandomisationScheme& r = s.scheme;
  J factors = J::array();
  for (std::size_t i = 0; i < r.factors.size(); ++i)
    factors.push_back({{"name", r.factors[i].name},
                       {"levels", r.factors[i].levels},
                       {"weight", r.factors[i].weight},
                       {"field", i < s.factor_fields.size() ? s.factor_fields[i] : ""}});
  J j = {{"arms", r.arms}, {"ratio", r.ratio}, {"method", stats::randomisation_method_name(r.method)}, {"factors", factors}};
  if (r.method == stats::RandomisationMethod::permuted_blocks) j["block_sizes"] = r.block_sizes;
  if (r.method == stats::RandomisationMethod::minimisation) {
    j["imbalance"] = stats::imbalance_measure_name(r.imbalance);
    j["p"] = r.p_preferred;
    j["random_first"] = r.random_first;
  }
  return j.dump();
}

void read_definition(const std::string& text, StoredRandomisationScheme& s) {
  const std::string where = "randomisation_schemes " + s.code + " definition";
  try {
    const auto j = nlohmann::json::parse(text);
    stats::RandomisationScheme& r = s.scheme;
    r.arms = j.at("arms").get<std::vector<std::string>>();
    r.ratio = j.at("ratio").get<std::vector<int>>();
    r.method = stats::parse_randomisation_method(j.at("method").get<std::string>(), where);
    for (const auto& f : j.at("factors")) {
      r.factors.push_back({f.at("name").get<std::string>(), f.at("levels").get<std::vector<std::string>>(), f.at("weight").get<double>()});
      s.factor_fields.push_back(f.at("field").get<std::string>());
    }
    if (j.contains("block_sizes")) r.block_sizes = j.at("block_sizes").get<std::vector<int>>();
    if (j.contains("imbalance")) r.imbalance = stats::parse_imbalance_measure(j.at("imbalance").get<std::string>(), where);
    if (j.contains("p")) r.p_preferred = j.at("p").get<double>();
    if (j.contains("random_first")) r.random_first = j.at("random_first").get<int>();
  } catch (const nlohmann::json::exception& e) {
    throw Error(ErrorCategory::internal, where + ": not a scheme definition (" + e.what() + ")");
  }
  stats::validate_scheme(s.scheme, where);
}

const std::string allocation_select =
    "SELECT a.sequence, a.patient_id, rs.code AS scheme, p.pseudonym, s.code AS site, arm.code AS arm, a.levels, a.allocated_at, "
    "a.allocated_by FROM randomisation_allocations a JOIN randomisation_schemes rs ON rs.id = a.scheme_id "
    "JOIN patients p ON p.id = a.patient_id LEFT JOIN sites s ON s.id = p.site_id JOIN arms arm ON arm.id = a.arm_id ";

std::vector<StoredAllocation> allocations_from(const ResultSet& r) {
  std::vector<StoredAllocation> out;
  for (std::size_t i = 0; i < r.size(); ++i)
    out.push_back({to_ll(r.at(i, "sequence")), to_ll(r.at(i, "patient_id")), text(r.at(i, "scheme")), text(r.at(i, "pseudonym")),
                   text(r.at(i, "site")), text(r.at(i, "arm")), text(r.at(i, "levels")), text(r.at(i, "allocated_at")),
                   text(r.at(i, "allocated_by"))});
  return out;
}

}  // namespace

const std::vector<std::string>& randomisation_factor_fields() {
  static const std::vector<std::string> f = {"site", "sex", "diagnosis", "ecog", "child_pugh_class", "bclc_stage",
                                             "cirrhosis", "portal_vein_invasion", "extrahepatic_disease"};
  return f;
}

long long insert_randomisation_scheme(Store& store, StoredRandomisationScheme& s) {
  const Value study_id = store.scalar("SELECT id FROM studies WHERE code = ?", {s.study});
  if (!study_id) fail_input(store.location(), "study", s.study, "a study of the registry (import its patients first)");
  if (store.scalar("SELECT id FROM randomisation_schemes WHERE code = ?", {s.code}))
    fail_input(store.location(), "scheme", s.code, "a code not used by another scheme (a scheme is never replaced)");
  for (const std::string& arm : s.scheme.arms)
    if (!store.scalar("SELECT id FROM arms WHERE study_id = ? AND code = ?", {*study_id, arm}))
      store.execute("INSERT INTO arms (study_id, code) VALUES (?, ?)", {*study_id, arm});
  s.seed_sha256 = stats::random_seed_sha256_hex(s.scheme.seed);
  s.created_at = now_text(store);
  s.id = store.insert_returning_id(
      "INSERT INTO randomisation_schemes (study_id, code, method, definition, eligibility_rules, seed_sha256, created_at) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {*study_id, s.code, std::string(stats::randomisation_method_name(s.scheme.method)), definition_json(s), s.eligibility_rules,
       s.seed_sha256, s.created_at});
  store.execute("INSERT INTO randomisation_seeds (scheme_id, seed) VALUES (?, ?)",
                {std::to_string(s.id), stats::random_seed_hex(s.scheme.seed)});
  return s.id;
}

std::optional<StoredRandomisationScheme> find_randomisation_scheme(Store& store, const std::string& code) {
  const ResultSet r = store.query(
      "SELECT rs.id, rs.code, st.code AS study, rs.definition, rs.eligibility_rules, rs.seed_sha256, rs.created_at, sd.seed "
      "FROM randomisation_schemes rs JOIN studies st ON st.id = rs.study_id LEFT JOIN randomisation_seeds sd ON sd.scheme_id = rs.id "
      "WHERE rs.code = ?",
      {code});
  if (r.empty()) return std::nullopt;
  StoredRandomisationScheme s;
  s.id = to_ll(r.at(0, "id"));
  s.code = text(r.at(0, "code"));
  s.study = text(r.at(0, "study"));
  read_definition(text(r.at(0, "definition")), s);
  s.eligibility_rules = text(r.at(0, "eligibility_rules"));
  s.seed_sha256 = text(r.at(0, "seed_sha256"));
  s.created_at = text(r.at(0, "created_at"));
  const Value seed = r.at(0, "seed");
  if (!seed) throw Error(ErrorCategory::internal, "randomisation scheme " + code + " has no seed");
  s.scheme.seed = stats::parse_random_seed(*seed, "randomisation_seeds");
  if (stats::random_seed_sha256_hex(s.scheme.seed) != s.seed_sha256)
    fail_input(store.location(), "randomisation_seeds of scheme " + code, "(not shown)",
               "the seed whose SHA-256 the scheme recorded at creation (the seed was changed)");
  return s;
}

std::vector<std::string> randomisation_scheme_codes(Store& store, const std::string& study) {
  const ResultSet r = study.empty()
                          ? store.query("SELECT code FROM randomisation_schemes ORDER BY id")
                          : store.query("SELECT rs.code FROM randomisation_schemes rs JOIN studies st ON st.id = rs.study_id "
                                        "WHERE st.code = ? ORDER BY rs.id",
                                        {study});
  std::vector<std::string> out;
  for (const auto& row : r.rows) out.push_back(text(row[0]));
  return out;
}

std::vector<StoredAllocation> scheme_allocations(Store& store, long long scheme_id) {
  return allocations_from(store.query(allocation_select + "WHERE a.scheme_id = ? ORDER BY a.sequence", {std::to_string(scheme_id)}));
}

std::optional<StoredAllocation> patient_allocation(Store& store, long long patient_id) {
  auto all = allocations_from(store.query(allocation_select + "WHERE a.patient_id = ?", {std::to_string(patient_id)}));
  if (all.empty()) return std::nullopt;
  return all.front();
}

void insert_allocation(Store& store, long long scheme_id, const StoredAllocation& a) {
  const Value arm_id = store.scalar(
      "SELECT arms.id FROM arms JOIN randomisation_schemes rs ON rs.study_id = arms.study_id WHERE rs.id = ? AND arms.code = ?",
      {std::to_string(scheme_id), a.arm});
  if (!arm_id) throw Error(ErrorCategory::internal, "arm " + a.arm + " of the scheme is missing from the study");
  store.execute(
      "INSERT INTO randomisation_allocations (scheme_id, sequence, patient_id, arm_id, levels, allocated_at, allocated_by) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {std::to_string(scheme_id), std::to_string(a.sequence), std::to_string(a.patient_id), *arm_id, a.levels, a.allocated_at,
       a.allocated_by});
  store.execute("UPDATE patients SET arm_id = ? WHERE id = ?", {*arm_id, std::to_string(a.patient_id)});
}

}  // namespace sirtkit::registry
