#include "registry/store/schema.h"

#include <algorithm>

#include "core/error.h"

namespace sirtkit::registry {
namespace {

using T = ColumnType;

// Enumerations and ranges enforced by the database itself (the importer checks
// the same and more, with messages naming file, row and column):
//  - ECOG performance status 0-4 at baseline (Oken et al., Am J Clin Oncol 1982;5:649; 5 = dead)
//  - Child-Pugh score 5-15, classes A/B/C (Pugh et al., Br J Surg 1973;60:646)
//  - BCLC stages 0/A/B/C/D (Reig et al., J Hepatol 2022;76:681, BCLC 2022 update)
//  - CTCAE v5.0 grades 1-5 (NCI, 27 Nov 2017)
//  - lesion kinds target / non-target / new (RECIST 1.1, Eisenhauer et al., EJC 2009;45:228)
std::vector<TableDef> make_tables() {
  const std::string yes_no = "CHECK (%s IN (0, 1))";
  auto flag = [&](const std::string& name) {
    std::string c = yes_no;
    c.replace(c.find("%s"), 2, name);
    return ColumnDef{name, T::integer, c};
  };
  auto nonneg = [](const std::string& name, T type = T::real) { return ColumnDef{name, type, "CHECK (" + name + " >= 0)"}; };
  return {
      {"studies", {{"code", T::text, "NOT NULL UNIQUE"}, {"title", T::text, ""}}, {}},
      {"sites",
       {{"study_id", T::integer, "NOT NULL REFERENCES studies(id)"}, {"code", T::text, "NOT NULL"}},
       {"UNIQUE (study_id, code)"}},
      {"arms",
       {{"study_id", T::integer, "NOT NULL REFERENCES studies(id)"}, {"code", T::text, "NOT NULL"}},
       {"UNIQUE (study_id, code)"}},
      {"patients",
       {{"study_id", T::integer, "NOT NULL REFERENCES studies(id)"},
        {"site_id", T::integer, "REFERENCES sites(id)"},
        {"arm_id", T::integer, "REFERENCES arms(id)"},
        {"pseudonym", T::text, "NOT NULL UNIQUE"},
        {"index_date_shifted", T::text, "NOT NULL"},
        {"sex", T::text, "CHECK (sex IN ('male', 'female'))"},
        {"age_years", T::integer, "CHECK (age_years BETWEEN 0 AND 120)"}},
       {}},
      {"baseline",
       {{"patient_id", T::integer, "NOT NULL UNIQUE REFERENCES patients(id) ON DELETE CASCADE"},
        {"diagnosis", T::text, "CHECK (diagnosis IN ('hcc', 'icc', 'crc_metastases', 'net_metastases', 'other_metastases'))"},
        {"ecog", T::integer, "CHECK (ecog BETWEEN 0 AND 4)"},
        {"child_pugh_class", T::text, "CHECK (child_pugh_class IN ('A', 'B', 'C'))"},
        {"child_pugh_score", T::integer, "CHECK (child_pugh_score BETWEEN 5 AND 15)"},
        {"bclc_stage", T::text, "CHECK (bclc_stage IN ('0', 'A', 'B', 'C', 'D'))"},
        nonneg("afp_ng_ml"), nonneg("albumin_g_l"), nonneg("bilirubin_umol_l"),
        flag("cirrhosis"), flag("portal_vein_invasion"), flag("extrahepatic_disease")},
       {}},
      {"lesions",
       {{"patient_id", T::integer, "NOT NULL REFERENCES patients(id) ON DELETE CASCADE"},
        {"label", T::text, "NOT NULL"},
        {"organ", T::text, ""},
        {"kind", T::text, "NOT NULL CHECK (kind IN ('target', 'non_target', 'new'))"}},
       {"UNIQUE (patient_id, label)"}},
      {"lesion_measurements",
       {{"lesion_id", T::integer, "NOT NULL REFERENCES lesions(id) ON DELETE CASCADE"},
        {"day", T::integer, "NOT NULL"},
        nonneg("longest_diameter_mm"), nonneg("short_axis_mm"), nonneg("enhancing_diameter_mm")},
       {"UNIQUE (lesion_id, day)"}},
      {"treatments",
       {{"patient_id", T::integer, "NOT NULL REFERENCES patients(id) ON DELETE CASCADE"},
        {"kind", T::text, "NOT NULL CHECK (kind IN ('sirt', 'tace', 'systemic'))"},
        {"start_day", T::integer, "NOT NULL"},
        {"end_day", T::integer, "CHECK (end_day >= start_day)"},
        {"device", T::text, "CHECK (device IN ('glass', 'resin', 'holmium'))"},
        nonneg("planned_activity_gbq"), nonneg("delivered_activity_gbq"),
        {"lung_shunt_fraction_pct", T::real, "CHECK (lung_shunt_fraction_pct BETWEEN 0 AND 100)"},
        nonneg("planned_tumour_dose_gy"), nonneg("planned_normal_liver_dose_gy"), nonneg("planned_lung_dose_gy"),
        nonneg("verified_tumour_dose_gy"), nonneg("verified_normal_liver_dose_gy"),
        {"drug", T::text, ""},
        nonneg("drug_dose_mg"),
        flag("dose_reduced")},
       {}},
      {"labs",
       {{"patient_id", T::integer, "NOT NULL REFERENCES patients(id) ON DELETE CASCADE"},
        {"day", T::integer, "NOT NULL"},
        {"test", T::text, "NOT NULL"},
        {"value", T::real, "NOT NULL"},
        {"unit", T::text, "NOT NULL"}},
       {}},
      {"adverse_events",
       {{"patient_id", T::integer, "NOT NULL REFERENCES patients(id) ON DELETE CASCADE"},
        {"term", T::text, "NOT NULL"},
        {"grade", T::integer, "NOT NULL CHECK (grade BETWEEN 1 AND 5)"},
        {"onset_day", T::integer, "NOT NULL"},
        {"resolved_day", T::integer, "CHECK (resolved_day >= onset_day)"},
        flag("serious")},
       {}},
      {"followup_events",
       {{"patient_id", T::integer, "NOT NULL REFERENCES patients(id) ON DELETE CASCADE"},
        {"kind", T::text, "NOT NULL CHECK (kind IN ('progression', 'resection', 'transplant', 'death', 'last_contact'))"},
        {"day", T::integer, "NOT NULL"}},
       {}},
  };
}

std::string sql_type(T t, Dialect d) {
  switch (t) {
    case T::integer: return d == Dialect::sqlite ? "INTEGER" : "BIGINT";
    case T::real: return d == Dialect::sqlite ? "REAL" : "DOUBLE PRECISION";
    case T::text: return "TEXT";
  }
  return "TEXT";
}

std::string id_column(Dialect d) {
  return d == Dialect::sqlite ? "id INTEGER PRIMARY KEY" : "id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
}

// SQLite STRICT tables refuse a value that does not fit the column type
// (https://www.sqlite.org/stricttables.html, SQLite >= 3.37).
std::string create_table(const TableDef& t, Dialect d) {
  std::string s = "CREATE TABLE " + t.name + " (\n  " + id_column(d);
  for (const auto& c : t.columns) {
    s += ",\n  " + c.name + " " + sql_type(c.type, d);
    if (!c.constraint.empty()) s += " " + c.constraint;
  }
  for (const auto& c : t.table_constraints) s += ",\n  " + c;
  s += "\n)";
  if (d == Dialect::sqlite) s += " STRICT";
  return s + ";\n";
}

// Migration 1: the data tables.
std::string migration_1(Dialect d) {
  std::string s;
  s += "CREATE TABLE registry_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)" +
       std::string(d == Dialect::sqlite ? " STRICT" : "") + ";\n";
  for (const auto& t : data_tables()) s += create_table(t, d);
  return s;
}

std::string audit_log_table(Dialect d) {
  return "CREATE TABLE audit_log (\n  " + id_column(d) +
         ",\n  at TEXT NOT NULL,\n  actor TEXT NOT NULL,\n  db_user TEXT,\n  table_name TEXT NOT NULL,\n"
         "  row_id " + sql_type(T::integer, d) + ",\n"
         "  action TEXT NOT NULL CHECK (action IN ('INSERT', 'UPDATE', 'DELETE')),\n"
         "  old_row TEXT,\n  new_row TEXT\n)" + std::string(d == Dialect::sqlite ? " STRICT" : "") + ";\n";
}

std::string sqlite_json(const TableDef& t, const std::string& ref) {
  std::string s = "json_object('id', " + ref + ".id";
  for (const auto& c : t.columns) s += ", '" + c.name + "', " + ref + "." + c.name;
  return s + ")";
}

// Migration 2: the append-only audit trail, filled by triggers so that no
// write path (importer, future editors, a hand-written SQL statement through
// sirtkit) can skip it.
std::string migration_2_sqlite() {
  std::string s = audit_log_table(Dialect::sqlite);
  const std::string now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
  for (const auto& t : data_tables()) {
    const std::string head = "INSERT INTO audit_log (at, actor, db_user, table_name, row_id, action, old_row, new_row) VALUES (" +
                             now + ", sirtkit_actor(), NULL, '" + t.name + "', ";
    s += "CREATE TRIGGER audit_" + t.name + "_insert AFTER INSERT ON " + t.name + " BEGIN " + head +
         "NEW.id, 'INSERT', NULL, " + sqlite_json(t, "NEW") + "); END;\n";
    s += "CREATE TRIGGER audit_" + t.name + "_update AFTER UPDATE ON " + t.name + " BEGIN " + head +
         "NEW.id, 'UPDATE', " + sqlite_json(t, "OLD") + ", " + sqlite_json(t, "NEW") + "); END;\n";
    s += "CREATE TRIGGER audit_" + t.name + "_delete AFTER DELETE ON " + t.name + " BEGIN " + head +
         "OLD.id, 'DELETE', " + sqlite_json(t, "OLD") + ", NULL); END;\n";
  }
  s += "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n";
  s += "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n";
  return s;
}

std::string migration_2_postgres() {
  std::string s = audit_log_table(Dialect::postgres);
  // SECURITY DEFINER: the trigger writes with the owner's rights, so the roles
  // below need no INSERT right on audit_log. session_user is the login role.
  s += R"SQL(
CREATE FUNCTION sirtkit_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $f$
BEGIN
  INSERT INTO audit_log (at, actor, db_user, table_name, row_id, action, old_row, new_row) VALUES (
    to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    coalesce(nullif(current_setting('sirtkit.actor', true), ''), session_user::text),
    session_user::text, TG_TABLE_NAME,
    CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END, TG_OP,
    CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD)::text END,
    CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW)::text END);
  RETURN NULL;
END $f$;
CREATE FUNCTION sirtkit_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = '42501';
END $f$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION sirtkit_audit_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION sirtkit_audit_append_only();
)SQL";
  for (const auto& t : data_tables())
    s += "CREATE TRIGGER audit_" + t.name + " AFTER INSERT OR UPDATE OR DELETE ON " + t.name +
         " FOR EACH ROW EXECUTE FUNCTION sirtkit_audit();\n";
  // Roles (cluster-wide, created once): read, enter data, manage. Grant them to
  // login roles, e.g. GRANT sirtkit_enter TO alice. None may change audit_log.
  s += R"SQL(
DO $r$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sirtkit_read') THEN CREATE ROLE sirtkit_read NOLOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sirtkit_enter') THEN CREATE ROLE sirtkit_enter NOLOGIN IN ROLE sirtkit_read; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'sirtkit_manage') THEN CREATE ROLE sirtkit_manage NOLOGIN IN ROLE sirtkit_enter; END IF;
END $r$;
REVOKE ALL ON audit_log FROM PUBLIC;
GRANT SELECT ON ALL TABLES IN SCHEMA public TO sirtkit_read;
)SQL";
  std::string entry_tables, manage_tables;
  for (const auto& t : data_tables()) {
    const bool structure = t.name == "studies" || t.name == "sites" || t.name == "arms";
    std::string& list = structure ? manage_tables : entry_tables;
    list += (list.empty() ? "" : ", ") + t.name;
  }
  s += "GRANT INSERT, UPDATE, DELETE ON " + entry_tables + " TO sirtkit_enter;\n";
  s += "GRANT INSERT, UPDATE, DELETE ON " + manage_tables + ", registry_meta TO sirtkit_manage;\n";
  s += "GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO sirtkit_enter;\n";
  return s;
}

// Migration 3: indexes for the per-patient lookups of import, export and derivations.
std::string migration_3() {
  std::string s;
  for (const auto& t : data_tables())
    for (const auto& c : t.columns)
      if (c.name == "patient_id" || c.name == "lesion_id")
        if (c.constraint.find("UNIQUE") == std::string::npos)
          s += "CREATE INDEX " + t.name + "_" + c.name + " ON " + t.name + " (" + c.name + ");\n";
  s += "CREATE INDEX audit_log_table_row ON audit_log (table_name, row_id);\n";
  return s;
}

// Migration 4: purging a value (registry/store/purge.h). purge_log records every
// purge (when, who, table, row, column, why; never the value) and is
// append-only. audit_log stays append-only except for one kind of update: a
// purge may blank the purged column inside old_row/new_row, and nothing else.
// SQLite: only while sirtkit's purge runs (the function sirtkit_purging(),
// which other programs lack). PostgreSQL: only inside sirtkit_purge_audit(),
// a SECURITY DEFINER function that sirtkit_manage may execute.
std::string purge_log_table(Dialect d) {
  return "CREATE TABLE purge_log (\n  " + id_column(d) +
         ",\n  at TEXT NOT NULL,\n  actor TEXT NOT NULL,\n  db_user TEXT,\n  table_name TEXT NOT NULL,\n"
         "  row_id " + sql_type(T::integer, d) + " NOT NULL,\n  column_name TEXT NOT NULL,\n  reason TEXT NOT NULL,\n"
         "  audit_entries " + sql_type(T::integer, d) + " NOT NULL\n)" + std::string(d == Dialect::sqlite ? " STRICT" : "") + ";\n";
}

std::string migration_4_sqlite() {
  std::string s = purge_log_table(Dialect::sqlite);
  s += "DROP TRIGGER audit_log_no_update;\n"
       "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN sirtkit_purging() = 0 OR NEW.id IS NOT OLD.id "
       "OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor OR NEW.db_user IS NOT OLD.db_user OR NEW.table_name IS NOT OLD.table_name "
       "OR NEW.row_id IS NOT OLD.row_id OR NEW.action IS NOT OLD.action "
       "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n";
  s += "CREATE TRIGGER purge_log_no_update BEFORE UPDATE ON purge_log BEGIN SELECT RAISE(ABORT, 'purge_log is append-only'); END;\n";
  s += "CREATE TRIGGER purge_log_no_delete BEFORE DELETE ON purge_log BEGIN SELECT RAISE(ABORT, 'purge_log is append-only'); END;\n";
  return s;
}

std::string migration_4_postgres() {
  std::string s = purge_log_table(Dialect::postgres);
  s += R"SQL(
CREATE OR REPLACE FUNCTION sirtkit_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_log' THEN
    IF coalesce(current_setting('sirtkit.purge', true), '') = 'on' AND
       (NEW.id, NEW.at, NEW.actor, NEW.db_user, NEW.table_name, NEW.row_id, NEW.action) IS NOT DISTINCT FROM
       (OLD.id, OLD.at, OLD.actor, OLD.db_user, OLD.table_name, OLD.row_id, OLD.action) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = '42501';
END $f$;
CREATE TRIGGER purge_log_no_change BEFORE UPDATE OR DELETE ON purge_log FOR EACH ROW EXECUTE FUNCTION sirtkit_audit_append_only();
CREATE TRIGGER purge_log_no_truncate BEFORE TRUNCATE ON purge_log FOR EACH STATEMENT EXECUTE FUNCTION sirtkit_audit_append_only();
CREATE FUNCTION sirtkit_purge_audit(p_table text, p_row bigint, p_column text, p_reason text, p_actor text) RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $f$
DECLARE n integer;
BEGIN
  PERFORM set_config('sirtkit.purge', 'on', true);
  UPDATE audit_log SET
    old_row = CASE WHEN old_row IS NOT NULL AND old_row::jsonb ? p_column THEN jsonb_set(old_row::jsonb, ARRAY[p_column], '"[purged]"'::jsonb, false)::text ELSE old_row END,
    new_row = CASE WHEN new_row IS NOT NULL AND new_row::jsonb ? p_column THEN jsonb_set(new_row::jsonb, ARRAY[p_column], '"[purged]"'::jsonb, false)::text ELSE new_row END
  WHERE table_name = p_table AND row_id = p_row;
  GET DIAGNOSTICS n = ROW_COUNT;
  PERFORM set_config('sirtkit.purge', 'off', true);
  INSERT INTO purge_log (at, actor, db_user, table_name, row_id, column_name, reason, audit_entries) VALUES (
    to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), p_actor, session_user::text,
    p_table, p_row, p_column, p_reason, n);
  RETURN n;
END $f$;
REVOKE ALL ON purge_log FROM PUBLIC;
GRANT SELECT ON purge_log TO sirtkit_read;
REVOKE ALL ON FUNCTION sirtkit_purge_audit(text, bigint, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sirtkit_purge_audit(text, bigint, text, text, text) TO sirtkit_manage;
)SQL";
  return s;
}


const std::vector<TableDef>& identity_tables();
const TableDef& identity_def(const std::string& name) {
  for (const auto& t : identity_tables())
    if (t.name == name) return t;
  throw Error(ErrorCategory::internal, "no identity table '" + name + "'");
}

// Migration 5: the users of `sirtkit serve` (server/), their sites, their
// sessions, login throttling and the authentication events. users, user_sites
// and auth_events are audited by triggers like the data tables (who, when,
// old -> new), except that a user's password hash and TOTP secret never enter
// audit_log (their change shows as the changed flag *_set). sessions and
// login_throttle change on every request / failed login and hold secrets'
// hashes: not audited (the auth_events rows are the trail of logins).
const std::vector<TableDef>& identity_tables() {
  static const std::vector<TableDef> t = {
      {"users",
       {{"username", T::text, "NOT NULL UNIQUE"},
        {"role", T::text, "NOT NULL CHECK (role IN ('admin', 'investigator', 'physicist', 'data_manager', 'statistician', 'monitor'))"},
        {"password_hash", T::text, "NOT NULL"},
        {"totp_secret", T::text, ""},
        {"totp_last_step", T::integer, ""},
        {"disabled", T::integer, "NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1))"},
        {"created_at", T::text, "NOT NULL"}},
       {}},
      {"user_sites",
       {{"user_id", T::integer, "NOT NULL REFERENCES users(id) ON DELETE CASCADE"},
        {"site_id", T::integer, "NOT NULL REFERENCES sites(id)"}},
       {"UNIQUE (user_id, site_id)"}},
      {"sessions",
       {{"token_hash", T::text, "NOT NULL UNIQUE"},
        {"user_id", T::integer, "NOT NULL REFERENCES users(id) ON DELETE CASCADE"},
        {"csrf_token", T::text, "NOT NULL"},
        {"created_s", T::integer, "NOT NULL"},
        {"last_seen_s", T::integer, "NOT NULL"}},
       {}},
      {"login_throttle",
       {{"username", T::text, "NOT NULL UNIQUE"},
        {"failures", T::integer, "NOT NULL"},
        {"window_start_s", T::integer, "NOT NULL"},
        {"locked_until_s", T::integer, ""}},
       {}},
      {"auth_events",
       {{"at", T::text, "NOT NULL"},
        {"username", T::text, "NOT NULL"},
        {"event", T::text,
         "NOT NULL CHECK (event IN ('login', 'login_failed', 'lockout', 'logout', 'user_created', 'user_disabled', 'user_enabled', 'totp_enabled'))"},
        {"address", T::text, ""}},
       {}},
  };
  return t;
}

std::string users_json_sqlite(const std::string& ref) {
  return "json_object('id', " + ref + ".id, 'username', " + ref + ".username, 'role', " + ref + ".role, 'disabled', " + ref +
         ".disabled, 'created_at', " + ref + ".created_at, 'password_hash_set', " + ref + ".password_hash IS NOT NULL, 'totp_set', " +
         ref + ".totp_secret IS NOT NULL)";
}

std::string migration_5_sqlite() {
  std::string s;
  for (const auto& t : identity_tables()) s += create_table(t, Dialect::sqlite);
  s += "CREATE INDEX sessions_user_id ON sessions (user_id);\n";
  const std::string now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
  for (const std::string name : {"users", "user_sites", "auth_events"}) {
    auto json = [&](const std::string& ref) { return name == "users" ? users_json_sqlite(ref) : sqlite_json(identity_def(name), ref); };
    const std::string head = "INSERT INTO audit_log (at, actor, db_user, table_name, row_id, action, old_row, new_row) VALUES (" +
                             now + ", sirtkit_actor(), NULL, '" + name + "', ";
    s += "CREATE TRIGGER audit_" + name + "_insert AFTER INSERT ON " + name + " BEGIN " + head + "NEW.id, 'INSERT', NULL, " +
         json("NEW") + "); END;\n";
    // A TOTP replay marker moving forward is not a change of the user.
    const std::string when = name == "users" ? " WHEN NOT (OLD.username IS NEW.username AND OLD.role IS NEW.role AND OLD.password_hash IS NEW.password_hash "
                                               "AND OLD.totp_secret IS NEW.totp_secret AND OLD.disabled IS NEW.disabled)"
                                             : "";
    s += "CREATE TRIGGER audit_" + name + "_update AFTER UPDATE ON " + name + when + " BEGIN " + head + "NEW.id, 'UPDATE', " +
         json("OLD") + ", " + json("NEW") + "); END;\n";
    s += "CREATE TRIGGER audit_" + name + "_delete AFTER DELETE ON " + name + " BEGIN " + head + "OLD.id, 'DELETE', " + json("OLD") +
         ", NULL); END;\n";
  }
  return s;
}

std::string migration_5_postgres() {
  std::string s;
  for (const auto& t : identity_tables()) s += create_table(t, Dialect::postgres);
  s += "CREATE INDEX sessions_user_id ON sessions (user_id);\n";
  s += R"SQL(
CREATE FUNCTION sirtkit_audit_users() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $f$
BEGIN
  IF TG_OP = 'UPDATE' AND (OLD.username, OLD.role, OLD.password_hash, OLD.totp_secret, OLD.disabled) IS NOT DISTINCT FROM
                          (NEW.username, NEW.role, NEW.password_hash, NEW.totp_secret, NEW.disabled) THEN
    RETURN NULL;
  END IF;
  INSERT INTO audit_log (at, actor, db_user, table_name, row_id, action, old_row, new_row) VALUES (
    to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    coalesce(nullif(current_setting('sirtkit.actor', true), ''), session_user::text),
    session_user::text, TG_TABLE_NAME,
    CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END, TG_OP,
    CASE WHEN TG_OP <> 'INSERT' THEN (to_jsonb(OLD) - 'password_hash' - 'totp_secret' - 'totp_last_step'
      || jsonb_build_object('password_hash_set', OLD.password_hash IS NOT NULL, 'totp_set', OLD.totp_secret IS NOT NULL))::text END,
    CASE WHEN TG_OP <> 'DELETE' THEN (to_jsonb(NEW) - 'password_hash' - 'totp_secret' - 'totp_last_step'
      || jsonb_build_object('password_hash_set', NEW.password_hash IS NOT NULL, 'totp_set', NEW.totp_secret IS NOT NULL))::text END);
  RETURN NULL;
END $f$;
CREATE TRIGGER audit_users AFTER INSERT OR UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION sirtkit_audit_users();
CREATE TRIGGER audit_user_sites AFTER INSERT OR UPDATE OR DELETE ON user_sites FOR EACH ROW EXECUTE FUNCTION sirtkit_audit();
CREATE TRIGGER audit_auth_events AFTER INSERT OR UPDATE OR DELETE ON auth_events FOR EACH ROW EXECUTE FUNCTION sirtkit_audit();
REVOKE ALL ON users, user_sites, sessions, login_throttle, auth_events FROM PUBLIC;
REVOKE ALL ON users, sessions, login_throttle FROM sirtkit_read;
)SQL";
  return s;
}

// Migration 6: randomisation (issue 15; docs/randomisation.md). A scheme (arms, ratio,
// method, factors, eligibility rules) and its allocations are audited by triggers and
// append-only: an allocation is final. The seed lives in its own table, never in
// audit_log (the scheme row carries its SHA-256, a commitment the auditor checks the
// revealed seed against); on PostgreSQL only sirtkit_manage (and the owner) may read it.
const std::vector<TableDef>& randomisation_tables() {
  static const std::vector<TableDef> t = {
      {"randomisation_schemes",
       {{"study_id", T::integer, "NOT NULL REFERENCES studies(id)"},
        {"code", T::text, "NOT NULL UNIQUE"},
        {"method", T::text, "NOT NULL CHECK (method IN ('simple', 'blocks', 'minimisation'))"},
        {"definition", T::text, "NOT NULL"},
        {"eligibility_rules", T::text, "NOT NULL"},
        {"seed_sha256", T::text, "NOT NULL"},
        {"created_at", T::text, "NOT NULL"}},
       {}},
      {"randomisation_seeds",
       {{"scheme_id", T::integer, "NOT NULL UNIQUE REFERENCES randomisation_schemes(id)"},
        {"seed", T::text, "NOT NULL CHECK (length(seed) = 64)"}},
       {}},
      {"randomisation_allocations",
       {{"scheme_id", T::integer, "NOT NULL REFERENCES randomisation_schemes(id)"},
        {"sequence", T::integer, "NOT NULL CHECK (sequence >= 1)"},
        {"patient_id", T::integer, "NOT NULL UNIQUE REFERENCES patients(id)"},
        {"arm_id", T::integer, "NOT NULL REFERENCES arms(id)"},
        {"levels", T::text, "NOT NULL"},
        {"allocated_at", T::text, "NOT NULL"},
        {"allocated_by", T::text, "NOT NULL"}},
       {"UNIQUE (scheme_id, sequence)"}},
  };
  return t;
}

const TableDef& randomisation_def(const std::string& name) {
  for (const auto& t : randomisation_tables())
    if (t.name == name) return t;
  throw Error(ErrorCategory::internal, "no randomisation table '" + name + "'");
}

std::string migration_6_sqlite() {
  std::string s;
  for (const auto& t : randomisation_tables()) s += create_table(t, Dialect::sqlite);
  const std::string now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
  for (const std::string name : {"randomisation_schemes", "randomisation_allocations"}) {
    const std::string head = "INSERT INTO audit_log (at, actor, db_user, table_name, row_id, action, old_row, new_row) VALUES (" +
                             now + ", sirtkit_actor(), NULL, '" + name + "', ";
    s += "CREATE TRIGGER audit_" + name + "_insert AFTER INSERT ON " + name + " BEGIN " + head + "NEW.id, 'INSERT', NULL, " +
         sqlite_json(randomisation_def(name), "NEW") + "); END;\n";
  }
  for (const auto& t : randomisation_tables()) {
    s += "CREATE TRIGGER " + t.name + "_no_update BEFORE UPDATE ON " + t.name + " BEGIN SELECT RAISE(ABORT, '" + t.name +
         " is append-only'); END;\n";
    s += "CREATE TRIGGER " + t.name + "_no_delete BEFORE DELETE ON " + t.name + " BEGIN SELECT RAISE(ABORT, '" + t.name +
         " is append-only'); END;\n";
  }
  return s;
}

// Migration 7: why. audit_log gains `reason` (the reason an edit of saved
// data gives; 21 CFR 11.10(e): the trail records who, when, old -> new, and
// the server requires a reason for every change of a saved record), filled by
// the triggers from the transaction's reason (Store::set_reason). The
// append-only rule covers the new column: a purge still may blank a value
// inside old_row/new_row and nothing else.
std::string migration_7_sqlite() {
  std::string s = "ALTER TABLE audit_log ADD COLUMN reason TEXT;\n";
  const std::string now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";
  for (const auto& t : data_tables()) {
    const std::string head = "INSERT INTO audit_log (at, actor, db_user, table_name, row_id, action, old_row, new_row, reason) VALUES (" +
                             now + ", sirtkit_actor(), NULL, '" + t.name + "', ";
    for (const std::string op : {"insert", "update", "delete"}) s += "DROP TRIGGER audit_" + t.name + "_" + op + ";\n";
    s += "CREATE TRIGGER audit_" + t.name + "_insert AFTER INSERT ON " + t.name + " BEGIN " + head +
         "NEW.id, 'INSERT', NULL, " + sqlite_json(t, "NEW") + ", sirtkit_reason()); END;\n";
    s += "CREATE TRIGGER audit_" + t.name + "_update AFTER UPDATE ON " + t.name + " BEGIN " + head +
         "NEW.id, 'UPDATE', " + sqlite_json(t, "OLD") + ", " + sqlite_json(t, "NEW") + ", sirtkit_reason()); END;\n";
    s += "CREATE TRIGGER audit_" + t.name + "_delete AFTER DELETE ON " + t.name + " BEGIN " + head +
         "OLD.id, 'DELETE', " + sqlite_json(t, "OLD") + ", NULL, sirtkit_reason()); END;\n";
  }
  s += "DROP TRIGGER audit_log_no_update;\n"
       "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN sirtkit_purging() = 0 OR NEW.id IS NOT OLD.id "
       "OR NEW.at IS NOT OLD.at OR NEW.actor IS NOT OLD.actor OR NEW.db_user IS NOT OLD.db_user OR NEW.table_name IS NOT OLD.table_name "
       "OR NEW.row_id IS NOT OLD.row_id OR NEW.action IS NOT OLD.action OR NEW.reason IS NOT OLD.reason "
       "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;\n";
  return s;
}

std::string migration_6_postgres() {
  std::string s;
  for (const auto& t : randomisation_tables()) s += create_table(t, Dialect::postgres);
  for (const std::string name : {"randomisation_schemes", "randomisation_allocations"})
    s += "CREATE TRIGGER audit_" + name + " AFTER INSERT OR UPDATE OR DELETE ON " + name +
         " FOR EACH ROW EXECUTE FUNCTION sirtkit_audit();\n";
  for (const auto& t : randomisation_tables()) {
    s += "CREATE TRIGGER " + t.name + "_no_change BEFORE UPDATE OR DELETE ON " + t.name +
         " FOR EACH ROW EXECUTE FUNCTION sirtkit_audit_append_only();\n";
    s += "CREATE TRIGGER " + t.name + "_no_truncate BEFORE TRUNCATE ON " + t.name +
         " FOR EACH STATEMENT EXECUTE FUNCTION sirtkit_audit_append_only();\n";
  }
  s += R"SQL(
REVOKE ALL ON randomisation_schemes, randomisation_seeds, randomisation_allocations FROM PUBLIC;
GRANT SELECT ON randomisation_schemes, randomisation_allocations TO sirtkit_read;
GRANT INSERT ON randomisation_allocations TO sirtkit_enter;
GRANT SELECT, INSERT ON randomisation_schemes, randomisation_seeds TO sirtkit_manage;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO sirtkit_enter;
)SQL";
  return s;
}

std::string migration_7_postgres() {
  return R"SQL(
ALTER TABLE audit_log ADD COLUMN reason TEXT;
CREATE OR REPLACE FUNCTION sirtkit_audit() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $f$
BEGIN
  INSERT INTO audit_log (at, actor, db_user, table_name, row_id, action, old_row, new_row, reason) VALUES (
    to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    coalesce(nullif(current_setting('sirtkit.actor', true), ''), session_user::text),
    session_user::text, TG_TABLE_NAME,
    CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END, TG_OP,
    CASE WHEN TG_OP <> 'INSERT' THEN to_jsonb(OLD)::text END,
    CASE WHEN TG_OP <> 'DELETE' THEN to_jsonb(NEW)::text END,
    nullif(current_setting('sirtkit.reason', true), ''));
  RETURN NULL;
END $f$;
CREATE OR REPLACE FUNCTION sirtkit_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $f$
BEGIN
  IF TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'audit_log' THEN
    IF coalesce(current_setting('sirtkit.purge', true), '') = 'on' AND
       (NEW.id, NEW.at, NEW.actor, NEW.db_user, NEW.table_name, NEW.row_id, NEW.action, NEW.reason) IS NOT DISTINCT FROM
       (OLD.id, OLD.at, OLD.actor, OLD.db_user, OLD.table_name, OLD.row_id, OLD.action, OLD.reason) THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = '42501';
END $f$;
)SQL";
}

// Migration 8: signed plans (issue 14 "Sign-off"; docs/server.md). A plan a
// physicist approves by re-entering the password (an electronic signature
// with the meaning "approved", 21 CFR 11.50/11.70: name, date and meaning
// bound to the record) is a numbered version of its planning study: who,
// when, the activities, the SHA-256 of every input and of the plan document
// and report, and the registry treatment it wrote. The approval row is
// audited; the documents (plan JSON, HTML, PDF in base64) sit in their own
// table so the audit trail holds their hashes, not megabytes. Both are
// append-only: a later change is a new version.
const std::vector<TableDef>& plan_approval_tables() {
  static const std::vector<TableDef> t = {
      {"plan_approvals",
       {{"study_key", T::text, "NOT NULL CHECK (length(study_key) = 16)"},
        {"folder", T::text, "NOT NULL"},
        {"plan_file", T::text, "NOT NULL"},
        {"version", T::integer, "NOT NULL CHECK (version >= 1)"},
        {"patient_id", T::integer, "NOT NULL REFERENCES patients(id)"},
        {"treatment_id", T::integer, "NOT NULL"},
        {"meaning", T::text, "NOT NULL CHECK (meaning = 'approved')"},
        {"signed_by", T::text, "NOT NULL"},
        {"signed_at", T::text, "NOT NULL"},
        {"activity_gbq", T::text, "NOT NULL"},
        {"summary", T::text, "NOT NULL"},
        {"inputs", T::text, "NOT NULL"},
        {"plan_sha256", T::text, "NOT NULL CHECK (length(plan_sha256) = 64)"},
        {"report_sha256", T::text, "NOT NULL CHECK (length(report_sha256) = 64)"}},
       {"UNIQUE (study_key, version)"}},
      {"plan_approval_documents",
       {{"approval_id", T::integer, "NOT NULL UNIQUE REFERENCES plan_approvals(id)"},
        {"plan_json", T::text, "NOT NULL"},
        {"report_html", T::text, "NOT NULL"},
        {"report_pdf_base64", T::text, "NOT NULL"}},
       {}},
  };
  return t;
}

std::string migration_8_sqlite() {
  std::string s;
  for (const auto& t : plan_approval_tables()) s += create_table(t, Dialect::sqlite);
  const TableDef& approvals = plan_approval_tables().front();
  s += "CREATE TRIGGER audit_plan_approvals_insert AFTER INSERT ON plan_approvals BEGIN "
       "INSERT INTO audit_log (at, actor, db_user, table_name, row_id, action, old_row, new_row, reason) VALUES ("
       "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), sirtkit_actor(), NULL, 'plan_approvals', NEW.id, 'INSERT', NULL, " +
       sqlite_json(approvals, "NEW") + ", sirtkit_reason()); END;\n";
  for (const auto& t : plan_approval_tables()) {
    s += "CREATE TRIGGER " + t.name + "_no_update BEFORE UPDATE ON " + t.name + " BEGIN SELECT RAISE(ABORT, '" + t.name +
         " is append-only'); END;\n";
    s += "CREATE TRIGGER " + t.name + "_no_delete BEFORE DELETE ON " + t.name + " BEGIN SELECT RAISE(ABORT, '" + t.name +
         " is append-only'); END;\n";
  }
  return s;
}

std::string migration_8_postgres() {
  std::string s;
  for (const auto& t : plan_approval_tables()) s += create_table(t, Dialect::postgres);
  s += "CREATE TRIGGER audit_plan_approvals AFTER INSERT OR UPDATE OR DELETE ON plan_approvals FOR EACH ROW EXECUTE FUNCTION sirtkit_audit();\n";
  for (const auto& t : plan_approval_tables()) {
    s += "CREATE TRIGGER " + t.name + "_no_change BEFORE UPDATE OR DELETE ON " + t.name +
         " FOR EACH ROW EXECUTE FUNCTION sirtkit_audit_append_only();\n";
    s += "CREATE TRIGGER " + t.name + "_no_truncate BEFORE TRUNCATE ON " + t.name +
         " FOR EACH STATEMENT EXECUTE FUNCTION sirtkit_audit_append_only();\n";
  }
  s += R"SQL(
REVOKE ALL ON plan_approvals, plan_approval_documents FROM PUBLIC;
GRANT SELECT ON plan_approvals, plan_approval_documents TO sirtkit_read;
GRANT INSERT ON plan_approvals, plan_approval_documents TO sirtkit_enter;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO sirtkit_enter;
)SQL";
  return s;
}

// Migration 9: studies pushed to `sirtkit serve` (issue 14 "Studies arrive from
// PACS"; docs/server.md). One row per series an association (C-STORE) or a
// request (STOW-RS) stored, one per refused association, and one for the
// objects it refused: who sent (calling AE title or user), from where, which
// folders (hashes of UIDs, never patient data), how many objects. Audited and
// append-only like the approvals.
const std::vector<TableDef>& dicom_receipt_tables() {
  static const std::vector<TableDef> t = {
      {"dicom_receipts",
       {{"received_at", T::text, "NOT NULL"},
        {"channel", T::text, "NOT NULL CHECK (channel IN ('c-store', 'stow-rs'))"},
        {"sender", T::text, "NOT NULL"},
        {"address", T::text, ""},
        {"outcome", T::text, "NOT NULL CHECK (outcome IN ('stored', 'objects_refused', 'association_refused'))"},
        {"study_folder", T::text, ""},
        {"series_folder", T::text, ""},
        {"modality", T::text, ""},
        {"objects", T::integer, "NOT NULL CHECK (objects >= 0)"},
        {"replaced", T::integer, "NOT NULL DEFAULT 0 CHECK (replaced >= 0)"},
        {"detail", T::text, ""}},
       {}},
  };
  return t;
}

std::string migration_9_sqlite() {
  const TableDef& t = dicom_receipt_tables().front();
  std::string s = create_table(t, Dialect::sqlite);
  s += "CREATE TRIGGER audit_dicom_receipts_insert AFTER INSERT ON dicom_receipts BEGIN "
       "INSERT INTO audit_log (at, actor, db_user, table_name, row_id, action, old_row, new_row, reason) VALUES ("
       "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), sirtkit_actor(), NULL, 'dicom_receipts', NEW.id, 'INSERT', NULL, " +
       sqlite_json(t, "NEW") + ", sirtkit_reason()); END;\n";
  s += "CREATE TRIGGER dicom_receipts_no_update BEFORE UPDATE ON dicom_receipts BEGIN SELECT RAISE(ABORT, 'dicom_receipts is append-only'); END;\n";
  s += "CREATE TRIGGER dicom_receipts_no_delete BEFORE DELETE ON dicom_receipts BEGIN SELECT RAISE(ABORT, 'dicom_receipts is append-only'); END;\n";
  return s;
}

std::string migration_9_postgres() {
  std::string s = create_table(dicom_receipt_tables().front(), Dialect::postgres);
  s += R"SQL(
CREATE TRIGGER audit_dicom_receipts AFTER INSERT OR UPDATE OR DELETE ON dicom_receipts FOR EACH ROW EXECUTE FUNCTION sirtkit_audit();
CREATE TRIGGER dicom_receipts_no_change BEFORE UPDATE OR DELETE ON dicom_receipts FOR EACH ROW EXECUTE FUNCTION sirtkit_audit_append_only();
CREATE TRIGGER dicom_receipts_no_truncate BEFORE TRUNCATE ON dicom_receipts FOR EACH STATEMENT EXECUTE FUNCTION sirtkit_audit_append_only();
REVOKE ALL ON dicom_receipts FROM PUBLIC;
GRANT SELECT ON dicom_receipts TO sirtkit_read;
GRANT INSERT ON dicom_receipts TO sirtkit_enter;
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO sirtkit_enter;
)SQL";
  return s;
}

// Migration 10: the registry site a received study was filed under (issue 14:
// site scoping; io/dicom_network/dicom_instance_store.h), NULL for a study every site sees.
// The SQLite audit trigger lists the columns, so it is made again with the new one.
TableDef dicom_receipts_with_site() {
  TableDef t = dicom_receipt_tables().front();
  t.columns.push_back({"site", T::text, ""});
  return t;
}

std::string migration_10_sqlite() {
  std::string s = "ALTER TABLE dicom_receipts ADD COLUMN site TEXT;\nDROP TRIGGER audit_dicom_receipts_insert;\n";
  s += "CREATE TRIGGER audit_dicom_receipts_insert AFTER INSERT ON dicom_receipts BEGIN "
       "INSERT INTO audit_log (at, actor, db_user, table_name, row_id, action, old_row, new_row, reason) VALUES ("
       "strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), sirtkit_actor(), NULL, 'dicom_receipts', NEW.id, 'INSERT', NULL, " +
       sqlite_json(dicom_receipts_with_site(), "NEW") + ", sirtkit_reason()); END;\n";
  return s;
}

// PostgreSQL's sirtkit_audit() records the whole row (to_jsonb), whatever its columns.
std::string migration_10_postgres() { return "ALTER TABLE dicom_receipts ADD COLUMN site TEXT;\n"; }

std::string migration_sql(int version, Dialect d) {
  switch (version) {
    case 1: return migration_1(d);
    case 2: return d == Dialect::sqlite ? migration_2_sqlite() : migration_2_postgres();
    case 3: return migration_3();
    case 4: return d == Dialect::sqlite ? migration_4_sqlite() : migration_4_postgres();
    case 5: return d == Dialect::sqlite ? migration_5_sqlite() : migration_5_postgres();
    case 6: return d == Dialect::sqlite ? migration_6_sqlite() : migration_6_postgres();
    case 7: return d == Dialect::sqlite ? migration_7_sqlite() : migration_7_postgres();
    case 8: return d == Dialect::sqlite ? migration_8_sqlite() : migration_8_postgres();
    case 9: return d == Dialect::sqlite ? migration_9_sqlite() : migration_9_postgres();
    case 10: return d == Dialect::sqlite ? migration_10_sqlite() : migration_10_postgres();
  }
  throw Error(ErrorCategory::internal, "no migration " + std::to_string(version));
}

std::string now_utc_sql(Dialect d) {
  return d == Dialect::sqlite ? "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
                              : "to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

}  // namespace

const std::vector<TableDef>& data_tables() {
  static const std::vector<TableDef> tables = make_tables();
  return tables;
}

const TableDef& table_def(const std::string& name) {
  for (const auto& t : data_tables())
    if (t.name == name) return t;
  throw Error(ErrorCategory::internal, "no registry table '" + name + "'");
}

const std::vector<Migration>& migrations() {
  static const std::vector<Migration> m = {
      {1, "data tables: studies, sites, arms, patients, baseline, lesions, measurements, treatments, labs, adverse events, follow-up"},
      {2, "append-only audit trail filled by triggers; roles sirtkit_read/enter/manage (PostgreSQL)"},
      {3, "indexes on patient and lesion keys"},
      {4, "purge_log; a purge may blank a purged value inside audit_log, nothing else"},
      {5, "server identity: users (Argon2id hashes), user_sites, sessions, login_throttle, auth_events; users and events audited without secrets"},
      {6, "randomisation: schemes and allocations (audited, append-only), seeds concealed outside the audit trail"},
      {7, "audit_log.reason: why a saved record was changed (set by the transaction, recorded by the triggers)"},
      {8, "plan_approvals: signed plan versions (audited, append-only) and their documents"},
      {9, "dicom_receipts: studies received by C-STORE or STOW-RS (who, from where, which hashed folders, how many objects; audited, append-only)"},
      {10, "dicom_receipts.site: the registry site a received study is filed under (site scoping of the workspace)"},
  };
  return m;
}

int latest_schema_version() { return migrations().back().version; }

int schema_version(Store& store) {
  const std::string exists_sql =
      store.dialect() == Dialect::sqlite
          ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
          : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_migrations'";
  const Value exists = store.scalar(exists_sql);
  if (!exists || *exists == "0") {
    // Not a registry yet: must be empty, or it is some other database.
    const std::string any_sql =
        store.dialect() == Dialect::sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'"
            : "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()";
    const Value any = store.scalar(any_sql);
    if (any && *any != "0")
      fail_input(store.location(), "schema", *any + " tables without schema_migrations",
                 "an empty database or a sirtkit registry");
    return 0;
  }
  const Value v = store.scalar("SELECT MAX(version) FROM schema_migrations");
  return v ? std::stoi(*v) : 0;
}

int migrate(Store& store, const std::string& actor, int target) {
  if (target < 0) target = latest_schema_version();
  const int current = schema_version(store);
  if (current > latest_schema_version())
    fail_input(store.location(), "schema version", std::to_string(current),
               "at most " + std::to_string(latest_schema_version()) + " (the registry was written by a newer sirtkit)");
  int applied = 0;
  for (const auto& m : migrations()) {
    if (m.version <= current || m.version > target) continue;
    Transaction tx(store, actor);
    if (m.version == 1)
      store.execute_script("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL);");
    store.execute_script(migration_sql(m.version, store.dialect()));
    store.execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (?, ?, " +
                      now_utc_sql(store.dialect()) + ")",
                  {std::to_string(m.version), m.description});
    tx.commit();
    ++applied;
  }
  return applied;
}

void require_current_schema(Store& store) {
  const int v = schema_version(store);
  if (v == 0) fail_input(store.location(), "schema", "(empty)", "a registry; create it with: sirtkit registry init");
  if (v != latest_schema_version())
    fail_input(store.location(), "schema version", std::to_string(v),
               std::to_string(latest_schema_version()) + "; upgrade it with: sirtkit registry init (applies missing migrations)");
}

}  // namespace sirtkit::registry
