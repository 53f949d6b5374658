#include "registry/store/purge.h"

#include <string>
#include <vector>

#include "core/error.h"
#include "core/text.h"
#include "registry/import/identifier_scan.h"
#include "registry/store/schema.h"

namespace sirtkit::registry {
namespace {

constexpr const char* where = "registry purge";
constexpr std::size_t max_reason_length = 500;

const TableDef& find_table(const std::string& name) {
  std::string list;
  for (const auto& t : data_tables()) {
    if (t.name == name) return t;
    list += (list.empty() ? "" : ", ") + t.name;
  }
  fail_input(where, "--table", name, "a data table of the registry: " + list);
}

bool contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

// Whether a column can be purged, and how: NULL, or a placeholder in a NOT
// NULL text column. Keys, study days and controlled codes hold no free text.
bool placeholder_column(const TableDef& t, const std::string& name) {
  std::string list;
  const ColumnDef* col = nullptr;
  for (const auto& c : t.columns) {
    if (c.name == name) col = &c;
    list += (list.empty() ? "" : ", ") + c.name;
  }
  if (!col) fail_input(where, "--field", name, "a column of " + t.name + ": " + list);
  const bool key = name.size() > 3 && name.compare(name.size() - 3, 3, "_id") == 0;
  if (key || name == "pseudonym" || name == "index_date_shifted")
    fail_input(where, "--field", name, "a column holding recorded data (keys, pseudonyms and shifted dates are no identifiers)");
  const bool not_null = contains(col->constraint, "NOT NULL");
  if (!not_null) return false;
  if (col->type != ColumnType::text || contains(col->constraint, "CHECK"))
    fail_input(where, "--field", name,
               "a text or optional column (" + t.name + "." + name + " is required and holds no free text: correct it with an update)");
  return true;
}

std::vector<std::string> selected_rows(Store& store, const TableDef& t, const PurgeRequest& rq) {
  if (rq.row_id) {
    const Value v = store.scalar("SELECT id FROM " + t.name + " WHERE id = ?", {std::to_string(*rq.row_id)});
    if (!v) fail_input(where, "--row", std::to_string(*rq.row_id), "the id of a row of " + t.name);
    return {*v};
  }
  std::string sql;
  if (t.name == "patients") sql = "SELECT id FROM patients WHERE pseudonym = ?";
  else if (t.name == "lesion_measurements")
    sql = "SELECT m.id FROM lesion_measurements m JOIN lesions l ON l.id = m.lesion_id JOIN patients p ON p.id = l.patient_id "
          "WHERE p.pseudonym = ? ORDER BY m.id";
  else {
    bool per_patient = false;
    for (const auto& c : t.columns) per_patient |= c.name == "patient_id";
    if (!per_patient) fail_input(where, "--record", "(given)", "--row for " + t.name + " (its rows belong to no patient)");
    sql = "SELECT t.id FROM " + t.name + " t JOIN patients p ON p.id = t.patient_id WHERE p.pseudonym = ? ORDER BY t.id";
  }
  if (!store.scalar("SELECT id FROM patients WHERE pseudonym = ?", {rq.pseudonym}))
    // The argument might be a record number typed by mistake: not echoed.
    fail_input(where, "--record", not_shown, "the pseudonym of a patient of the registry (P + 20 hex digits)");
  std::vector<std::string> ids;
  for (const auto& r : store.query(sql, {rq.pseudonym}).rows) ids.push_back(*r[0]);
  return ids;
}

}  // namespace

PurgeResult purge_value(Store& store, const PurgeRequest& rq) {
  require_current_schema(store);
  const TableDef& t = find_table(rq.table);
  const bool placeholder = placeholder_column(t, rq.column);
  if (rq.row_id.has_value() == !rq.pseudonym.empty())
    fail_input(where, "--row / --record", rq.row_id ? "both" : "(neither)", "one of them: the row's id, or a patient's pseudonym");
  const std::string reason = trim(rq.reason);
  if (reason.empty()) fail_input(where, "--reason", "(empty)", "why the value is purged (recorded in purge_log)");
  if (reason.size() > max_reason_length)
    fail_input(where, "--reason", std::to_string(reason.size()) + " characters", "at most " + std::to_string(max_reason_length));
  if (const auto kind = find_identifier_pattern(reason))
    fail_input(where, "--reason", not_shown,
               std::string("a reason without identifiers (it holds ") + pattern_description(*kind) + "; never repeat the purged value)");

  // SQLite zeroes the space it frees (the old cell, index entries, the
  // journal's pages are rewritten by VACUUM below).
  if (store.dialect() == Dialect::sqlite) store.execute_script("PRAGMA secure_delete = ON");
  PurgeResult result;
  result.replacement = placeholder ? "[purged <row id>]" : "NULL";
  {
    Transaction tx(store, rq.actor);
    const std::vector<std::string> ids = selected_rows(store, t, rq);
    store.set_audit_purge(true);
    for (const auto& id : ids) {
      const Value current = store.scalar("SELECT " + rq.column + " FROM " + t.name + " WHERE id = ?", {id});
      const Value replacement = placeholder ? Value("[purged " + id + "]") : std::nullopt;
      if (current) {
        store.execute("UPDATE " + t.name + " SET " + rq.column + " = ? WHERE id = ?", {replacement, id});
        ++result.rows;
      }
      // The audit trail: every old_row/new_row of this row loses the value
      // (even when the row holds none now: an earlier update may have kept it).
      if (store.dialect() == Dialect::sqlite) {
        const std::string path = "'$." + rq.column + "'";
        const Value n = store.scalar("SELECT COUNT(*) FROM audit_log WHERE table_name = ? AND row_id = ?", {t.name, id});
        store.execute("UPDATE audit_log SET old_row = json_replace(old_row, " + path + ", '[purged]'), new_row = json_replace(new_row, " +
                          path + ", '[purged]') WHERE table_name = ? AND row_id = ?",
                      {t.name, id});
        store.execute(
            "INSERT INTO purge_log (at, actor, db_user, table_name, row_id, column_name, reason, audit_entries) "
            "VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), sirtkit_actor(), NULL, ?, ?, ?, ?, ?)",
            {t.name, id, rq.column, reason, n});
        result.audit_entries += static_cast<std::size_t>(std::stoll(n.value_or("0")));
      } else {
        const Value n = store.scalar("SELECT sirtkit_purge_audit(?, ?::bigint, ?, ?, ?)", {t.name, id, rq.column, reason, rq.actor});
        result.audit_entries += static_cast<std::size_t>(std::stoll(n.value_or("0")));
      }
    }
    if (ids.empty()) fail_input(where, "--record", rq.pseudonym, "a patient with rows in " + t.name);
    tx.commit();
  }
  // Rewrite the storage so that no freed page keeps the bytes.
  if (store.dialect() == Dialect::sqlite) {
    store.execute_script("VACUUM");
    result.rewritten = true;
  } else {
    const Value owned = store.scalar(
        "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() AND tablename IN (?, 'audit_log') "
        "AND pg_has_role(current_user, tableowner, 'USAGE')",
        {t.name});
    if (owned && *owned == "2") {
      store.execute_script("VACUUM FULL audit_log");
      store.execute_script("VACUUM FULL " + t.name);
      store.execute_script("ANALYZE " + t.name);  // statistics (most common values) are rebuilt without it
      result.rewritten = true;
    }
  }
  return result;
}

}  // namespace sirtkit::registry
