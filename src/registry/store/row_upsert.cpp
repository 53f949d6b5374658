#include "registry/store/row_upsert.h"

#include <cmath>
#include <cstdlib>

#include "core/error.h"

namespace sirtkit::registry {
namespace {

bool same_value(const Value& stored, const std::string& given) {
  if (!stored) return false;
  if (*stored == given) return true;
  char* e1 = nullptr;
  char* e2 = nullptr;
  const double a = std::strtod(stored->c_str(), &e1), b = std::strtod(given.c_str(), &e2);
  return e1 != stored->c_str() && *e1 == '\0' && e2 != given.c_str() && *e2 == '\0' && std::isfinite(a) && a == b;
}

}  // namespace

UpsertResult upsert_row(Store& store, const std::string& table, const Columns& key, const Columns& values, long long* id) {
  std::string where, names = "id";
  Params params;
  for (const auto& [c, v] : key) {
    where += (where.empty() ? "" : " AND ") + c + " = ?";
    params.push_back(v);
  }
  for (const auto& [c, v] : values) names += ", " + c;
  const ResultSet found = store.query("SELECT " + names + " FROM " + table + " WHERE " + where, params);
  if (found.empty()) {
    std::string cols, marks;
    Params ins;
    for (const auto* list : {&key, &values})
      for (const auto& [c, v] : *list) {
        cols += (cols.empty() ? "" : ", ") + c;
        marks += marks.empty() ? "?" : ", ?";
        ins.push_back(v);
      }
    const long long new_id = store.insert_returning_id("INSERT INTO " + table + " (" + cols + ") VALUES (" + marks + ")", ins);
    if (id) *id = new_id;
    return UpsertResult::inserted;
  }
  if (found.size() > 1) {
    std::string k;
    for (const auto& [c, v] : key) k += (k.empty() ? "" : ", ") + c;  // the names only: a key may hold a text value
    fail_input(store.location(), table, "(" + k + ": values not shown)",
               "one stored row per key to update (the registry holds " + std::to_string(found.size()) + ")");
  }
  const std::string row_id = *found.at(0, "id");
  if (id) *id = std::stoll(row_id);
  std::string set;
  Params upd;
  for (const auto& [c, v] : values) {
    if (!v || same_value(found.at(0, c), *v)) continue;
    set += (set.empty() ? "" : ", ") + c + " = ?";
    upd.push_back(v);
  }
  if (set.empty()) return UpsertResult::unchanged;
  upd.push_back(row_id);
  store.execute("UPDATE " + table + " SET " + set + " WHERE id = ?", upd);
  return UpsertResult::updated;
}

}  // namespace sirtkit::registry
