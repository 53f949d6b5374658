// Data entry over HTTP (issue 13 item 3): every write path happy and refused
// (a bad value names its field, a wrong role 403, another site 404, a missing
// reason 400, a stale version 409 with both versions and nothing written),
// the response and grade computed on save, the audit trail's who / old -> new
// / why, XSS and SQL-injection text stored and returned verbatim; on SQLite
// and on a real PostgreSQL server.

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "core/error.h"

#include "../server_fixture.h"

namespace sirtkit::server {
namespace {

using nlohmann::json;
using testing::body_of;
using testing::TestServer;

const std::string pw = "a password for tests";

class RecordRoutes : public ::testing::TestWithParam<registry::Dialect> {};
INSTANTIATE_TEST_SUITE_P(Stores, RecordRoutes, ::testing::Values(registry::Dialect::sqlite, registry::Dialect::postgres),
                         registry::testing::store_name);

std::string scalar(TestServer& s, const std::string& sql, const registry::Params& p = {}) {
  auto lease = s.http().state().pool().acquire();
  const auto v = lease->scalar(sql, p);
  return v.value_or("NULL");
}

// Audit entries of the data tables (logins add auth_events entries).
long long audit_count(TestServer& s) {
  return std::stoll(scalar(s, "SELECT COUNT(*) FROM audit_log WHERE table_name NOT IN ('users', 'user_sites', 'auth_events')"));
}

// A new patient at Rennes, created over HTTP by `who`; returns its id.
long long new_patient(TestServer& s, const testing::Login& who) {
  auto r = s.request("POST", "/api/patients", who, {{"site", "Rennes"}, {"sex", "female"}, {"age_years", 61}, {"index_date", "2024-01-10"}});
  EXPECT_TRUE(r);
  EXPECT_EQ(r->status, 201) << r->body;
  return body_of(r)["id"].get<long long>();
}

TEST_P(RecordRoutes, InvestigatorEntersAPatientWithEveryKindOfRecord) {
  TestServer s(GetParam());
  s.add_user("inv", Role::investigator, {"Rennes"}, pw);
  const auto inv = s.login("inv", pw);
  auto created = s.request("POST", "/api/patients", inv, {{"site", "Rennes"}, {"sex", "female"}, {"age_years", 61}, {"index_date", "2024-01-10"}});
  ASSERT_EQ(created->status, 201) << created->body;
  const json c = body_of(created);
  EXPECT_TRUE(std::regex_match(c["pseudonym"].get<std::string>(), std::regex("P[0-9a-f]{20}")));
  EXPECT_EQ(c["version"], 1);
  // The index date is stored shifted by 1 to 365 days either way, never as entered.
  const std::string shifted = c["record"]["index_date_shifted"];
  EXPECT_NE(shifted, "2024-01-10");
  const long long id = c["id"];
  const std::string p = "/api/patients/" + std::to_string(id);
  EXPECT_EQ(scalar(s, "SELECT actor FROM audit_log WHERE table_name = 'patients' AND row_id = ?", {std::to_string(id)}), "inv");

  auto base = s.request("PUT", p + "/baseline", inv, {{"diagnosis", "hcc"}, {"ecog", 1}, {"child_pugh_class", "A"}, {"bclc_stage", "C"}, {"cirrhosis", true}});
  ASSERT_EQ(base->status, 200) << base->body;
  EXPECT_EQ(body_of(base)["record"]["ecog"], 1);
  EXPECT_EQ(body_of(base)["record"]["cirrhosis"], 1);
  auto tr = s.request("POST", p + "/treatments", inv,
                      {{"kind", "sirt"}, {"start_day", 0}, {"device", "glass"}, {"planned_activity_gbq", 2.5}, {"planned_tumour_dose_gy", 250}});
  ASSERT_EQ(tr->status, 201) << tr->body;
  EXPECT_DOUBLE_EQ(body_of(tr)["record"]["planned_activity_gbq"].get<double>(), 2.5);

  // Lesion measurements: baseline 50 mm before the treatment, 30 mm at day 60:
  // -40 % of the sum of diameters is a partial response (RECIST 1.1: >= 30 % decrease);
  // mRECIST on the enhancing diameter 40 -> 10 mm (-75 %) also PR.
  auto m0 = s.request("POST", p + "/lesion_measurements", inv,
                      {{"label", "T1"}, {"organ", "liver"}, {"kind", "target"}, {"day", -5}, {"longest_diameter_mm", 50}, {"enhancing_diameter_mm", 40}});
  ASSERT_EQ(m0->status, 201) << m0->body;
  auto m1 = s.request("POST", p + "/lesion_measurements", inv,
                      {{"label", "T1"}, {"organ", "liver"}, {"kind", "target"}, {"day", 60}, {"longest_diameter_mm", 30}, {"enhancing_diameter_mm", 10}});
  ASSERT_EQ(m1->status, 201) << m1->body;
  const json resp = body_of(m1)["response"];
  ASSERT_EQ(resp["recist"]["timepoints"].size(), 1u) << resp.dump();
  EXPECT_EQ(resp["recist"]["timepoints"][0]["response"], "PR");
  EXPECT_EQ(resp["recist"]["best_response"], "PR");
  EXPECT_EQ(resp["mrecist"]["timepoints"][0]["response"], "PR");
  // The same lesion cannot change kind, and one measurement per lesion and day.
  auto kind = s.request("POST", p + "/lesion_measurements", inv, {{"label", "T1"}, {"kind", "non_target"}, {"day", 90}});
  EXPECT_EQ(kind->status, 400);
  EXPECT_EQ(body_of(kind)["field"], "kind");
  auto twice = s.request("POST", p + "/lesion_measurements", inv, {{"label", "T1"}, {"kind", "target"}, {"day", 60}, {"longest_diameter_mm", 31}});
  EXPECT_EQ(twice->status, 400);
  EXPECT_EQ(body_of(twice)["field"], "day");

  // Platelets 40 x10^9/L: CTCAE v5.0 "Platelet count decreased" grade 3 (<50,000-25,000/mm3).
  auto lab = s.request("POST", p + "/labs", inv, {{"day", 30}, {"test", "platelets"}, {"value", 40}, {"unit", "10^9/L"}});
  ASSERT_EQ(lab->status, 201) << lab->body;
  EXPECT_EQ(body_of(lab)["ctcae"]["grade"], 3) << lab->body;
  auto ae = s.request("POST", p + "/adverse_events", inv, {{"term", "fatigue"}, {"grade", 2}, {"onset_day", 14}, {"resolved_day", 30}});
  ASSERT_EQ(ae->status, 201) << ae->body;
  auto fu = s.request("POST", p + "/followup_events", inv, {{"kind", "death"}, {"day", 400}});
  ASSERT_EQ(fu->status, 201) << fu->body;
  auto second_death = s.request("POST", p + "/followup_events", inv, {{"kind", "death"}, {"day", 410}});
  EXPECT_EQ(second_death->status, 400);
  EXPECT_EQ(body_of(second_death)["field"], "kind");

  // The patient page shows all of it with versions and the lab's grade.
  const json rec = body_of(s.request("GET", p, inv));
  EXPECT_EQ(rec["status"], "deceased");
  EXPECT_EQ(rec["version"], 1);
  EXPECT_EQ(rec["baseline"]["version"], 1);
  EXPECT_EQ(rec["treatments"].size(), 1u);
  EXPECT_EQ(rec["lesion_measurements"].size(), 2u);
  EXPECT_EQ(rec["labs"][0]["ctcae"]["grade"], 3);
  EXPECT_EQ(rec["adverse_events"][0]["version"], 1);
}

TEST_P(RecordRoutes, ImpossibleValuesAreRefusedNamingTheFieldAndNothingIsWritten) {
  TestServer s(GetParam());
  const auto admin = s.login(s.admin().username, s.admin().password);
  const long long id = new_patient(s, admin);
  const std::string p = "/api/patients/" + std::to_string(id);
  const long long before = audit_count(s);
  // ECOG 7: the catalogue's 0-4 (the import's message, word for word).
  auto ecog = s.request("PUT", p + "/baseline", admin, {{"ecog", 7}});
  ASSERT_EQ(ecog->status, 400);
  json b = body_of(ecog);
  EXPECT_EQ(b["error"], "bad_field");
  EXPECT_EQ(b["field"], "ecog");
  EXPECT_EQ(b["value"], "7");
  EXPECT_EQ(b["message"], "an integer from 0 to 4");
  // Several problems: all listed, the first named.
  auto many = s.request("POST", p + "/treatments", admin, {{"kind", "laser"}, {"start_day", 0}, {"lung_shunt_fraction_pct", 140}});
  b = body_of(many);
  EXPECT_EQ(many->status, 400);
  EXPECT_EQ(b["problems"].size(), 2u) << b.dump();
  // Lab unit of another test, and a value outside what the clinical layer accepts.
  auto unit = s.request("POST", p + "/labs", admin, {{"day", 3}, {"test", "platelets"}, {"value", 100}, {"unit", "mmol/L"}});
  EXPECT_EQ(body_of(unit)["field"], "unit");
  auto bili = s.request("POST", p + "/labs", admin, {{"day", 3}, {"test", "bilirubin"}, {"value", 900}, {"unit", "mg/dL"}});
  EXPECT_EQ(bili->status, 400);
  EXPECT_EQ(body_of(bili)["field"], "value");
  // Missing required field, unknown field, date order, a study day too far.
  auto missing = s.request("POST", p + "/adverse_events", admin, {{"term", "nausea"}, {"onset_day", 3}});
  EXPECT_EQ(body_of(missing)["error"], "missing_field");
  EXPECT_EQ(body_of(missing)["field"], "grade");
  auto unknown = s.request("POST", p + "/adverse_events", admin, {{"term", "nausea"}, {"grade", 1}, {"onset_day", 3}, {"colour", "red"}});
  EXPECT_EQ(body_of(unknown)["error"], "unknown_field");
  auto order = s.request("POST", p + "/adverse_events", admin, {{"term", "nausea"}, {"grade", 1}, {"onset_day", 10}, {"resolved_day", 2}});
  EXPECT_EQ(body_of(order)["field"], "resolved_day");
  auto far = s.request("POST", p + "/followup_events", admin, {{"kind", "last_contact"}, {"day", 99999}});
  EXPECT_EQ(body_of(far)["field"], "day");
  // Text holding an identifier (a date): refused, the text not repeated.
  auto ident = s.request("POST", p + "/adverse_events", admin, {{"term", "fall on 12/03/2024"}, {"grade", 1}, {"onset_day", 3}});
  EXPECT_EQ(ident->status, 400);
  EXPECT_EQ(body_of(ident)["field"], "term");
  EXPECT_EQ(ident->body.find("12/03/2024"), std::string::npos);
  // A new patient: the index date must be a real date not in the future.
  auto future = s.request("POST", "/api/patients", admin, {{"site", "Rennes"}, {"index_date", "2999-01-01"}});
  EXPECT_EQ(body_of(future)["field"], "index_date");
  EXPECT_EQ(future->body.find("2999"), std::string::npos);
  EXPECT_EQ(audit_count(s), before);
}

TEST_P(RecordRoutes, ReadOnlyRolesAre403AndOtherSitesAre404) {
  TestServer s(GetParam());
  {
    auto lease = s.http().state().pool().acquire();
    registry::Transaction tx(*lease, "test");
    lease->execute("INSERT INTO sites (study_id, code) VALUES ((SELECT id FROM studies WHERE code = 'DOSISPHERE'), 'Lyon')");
    tx.commit();
  }
  s.add_user("lyon_dm", Role::data_manager, {"Lyon"}, pw);
  const auto admin = s.login(s.admin().username, s.admin().password);
  const long long id = new_patient(s, admin);  // at Rennes
  const std::string p = "/api/patients/" + std::to_string(id);
  for (Role r : {Role::physicist, Role::statistician, Role::monitor})
    s.add_user(std::string("ro_") + role_name(r), r, r == Role::monitor ? std::vector<std::string>{} : std::vector<std::string>{"Rennes"}, pw);
  const long long before = audit_count(s);
  for (Role r : {Role::physicist, Role::statistician, Role::monitor}) {
    const std::string name = std::string("ro_") + role_name(r);
    const auto l = s.login(name, pw);
    auto w = s.request("POST", p + "/labs", l, {{"day", 1}, {"test", "sodium"}, {"value", 140}, {"unit", "mmol/L"}});
    EXPECT_EQ(w->status, 403) << name;
    EXPECT_EQ(body_of(w)["error"], "role_not_allowed");
  }
  const auto lyon = s.login("lyon_dm", pw);
  auto hidden = s.request("POST", p + "/labs", lyon, {{"day", 1}, {"test", "sodium"}, {"value", 140}, {"unit", "mmol/L"}});
  EXPECT_EQ(hidden->status, 404);
  auto edit = s.request("PATCH", p, lyon, {{"version", 1}, {"reason", "x"}, {"sex", "male"}});
  EXPECT_EQ(edit->status, 404);
  // A Lyon user cannot create a patient at Rennes nor move one there.
  auto elsewhere = s.request("POST", "/api/patients", lyon, {{"site", "Rennes"}, {"index_date", "2024-01-10"}});
  EXPECT_EQ(elsewhere->status, 400);
  EXPECT_EQ(body_of(elsewhere)["field"], "site");
  EXPECT_EQ(audit_count(s), before);
}

TEST_P(RecordRoutes, EditsNeedAReasonAndTheCurrentVersionAndAreAudited) {
  TestServer s(GetParam());
  s.add_user("dm", Role::data_manager, {"Rennes"}, pw);
  const auto dm = s.login("dm", pw), admin = s.login(s.admin().username, s.admin().password);
  const long long id = new_patient(s, dm);
  const std::string p = "/api/patients/" + std::to_string(id);
  auto tr = s.request("POST", p + "/treatments", dm, {{"kind", "sirt"}, {"start_day", 0}, {"planned_activity_gbq", 2.5}});
  ASSERT_EQ(tr->status, 201);
  const long long tid = body_of(tr)["id"];
  const std::string t = p + "/treatments/" + std::to_string(tid);
  const long long v1 = body_of(tr)["version"];
  const long long before = audit_count(s);

  auto no_reason = s.request("PATCH", t, dm, {{"version", v1}, {"planned_activity_gbq", 3.1}});
  EXPECT_EQ(no_reason->status, 400);
  EXPECT_EQ(body_of(no_reason)["error"], "missing_reason");
  EXPECT_EQ(body_of(no_reason)["field"], "reason");
  auto blank = s.request("PATCH", t, dm, {{"version", v1}, {"reason", "   "}, {"planned_activity_gbq", 3.1}});
  EXPECT_EQ(body_of(blank)["error"], "missing_reason");
  auto no_version = s.request("PATCH", t, dm, {{"reason", "typo"}, {"planned_activity_gbq", 3.1}});
  EXPECT_EQ(body_of(no_version)["field"], "version");
  EXPECT_EQ(audit_count(s), before);

  auto ok = s.request("PATCH", t, dm, {{"version", v1}, {"reason", "vial activity misread"}, {"planned_activity_gbq", 3.1}});
  ASSERT_EQ(ok->status, 200) << ok->body;
  const json okb = body_of(ok);
  EXPECT_EQ(okb["version"], v1 + 1);
  EXPECT_EQ(okb["changed"], json::array({"planned_activity_gbq"}));
  EXPECT_DOUBLE_EQ(okb["record"]["planned_activity_gbq"].get<double>(), 3.1);

  // A second editor still holding version v1: 409 with both versions, nothing written.
  auto stale = s.request("PATCH", t, admin, {{"version", v1}, {"reason", "other fix"}, {"planned_activity_gbq", 9.9}});
  ASSERT_EQ(stale->status, 409) << stale->body;
  EXPECT_EQ(body_of(stale)["yours"], v1);
  EXPECT_EQ(body_of(stale)["current"], v1 + 1);
  EXPECT_DOUBLE_EQ(std::stod(scalar(s, "SELECT planned_activity_gbq FROM treatments WHERE id = ?", {std::to_string(tid)})), 3.1);

  // The patient's own fields and the baseline edit the same way.
  auto sex = s.request("PATCH", p, dm, {{"version", 1}, {"reason", "entered wrongly"}, {"sex", "male"}});
  ASSERT_EQ(sex->status, 200) << sex->body;
  EXPECT_EQ(body_of(sex)["version"], 2);
  ASSERT_EQ(s.request("PUT", p + "/baseline", dm, {{"ecog", 1}})->status, 200);
  auto base_no_reason = s.request("PUT", p + "/baseline", dm, {{"version", 1}, {"ecog", 2}});
  EXPECT_EQ(body_of(base_no_reason)["error"], "missing_reason");
  auto base = s.request("PUT", p + "/baseline", dm, {{"version", 1}, {"reason", "re-assessed"}, {"ecog", 2}});
  EXPECT_EQ(body_of(base)["version"], 2);

  // The audit trail: who, when, old -> new, why; filterable by patient, table and user.
  auto audit = s.request("GET", "/api/audit?table=treatments&patient=" + std::to_string(id) + "&user=dm", admin);
  ASSERT_EQ(audit->status, 200);
  const json e = body_of(audit)["entries"];
  ASSERT_EQ(e.size(), 2u) << e.dump();  // the insert and the one edit (the refused ones left nothing)
  EXPECT_EQ(e[0]["action"], "UPDATE");
  EXPECT_EQ(e[0]["actor"], "dm");
  EXPECT_EQ(e[0]["reason"], "vial activity misread");
  ASSERT_EQ(e[0]["changes"].size(), 1u);
  EXPECT_EQ(e[0]["changes"][0]["field"], "planned_activity_gbq");
  EXPECT_DOUBLE_EQ(e[0]["changes"][0]["old"].get<double>(), 2.5);
  EXPECT_DOUBLE_EQ(e[0]["changes"][0]["new"].get<double>(), 3.1);
  EXPECT_TRUE(e[1]["reason"].is_null());
  const json all = body_of(s.request("GET", "/api/audit?patient=" + std::to_string(id), admin));
  EXPECT_EQ(all["total"], 6);  // patient insert + update, treatment insert + update, baseline insert + update
  // The trail stays append-only with the new column.
  auto lease = s.http().state().pool().acquire();
  registry::Transaction tx(*lease, "test");
  EXPECT_THROW(lease->execute("UPDATE audit_log SET reason = 'rewritten' WHERE reason IS NOT NULL"), Error);
}

// XSS payloads and SQL-injection strings in every free-text field (lesion
// label and organ, drug, adverse-event term) are stored and answered as JSON
// strings, byte for byte; the tables are intact.
TEST_P(RecordRoutes, HostileTextIsStoredAndReturnedVerbatimAsJsonData) {
  TestServer s(GetParam());
  const auto admin = s.login(s.admin().username, s.admin().password);
  const long long id = new_patient(s, admin);
  const std::string p = "/api/patients/" + std::to_string(id);
  const std::vector<std::string> payloads = {"<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "\"><svg onload=alert(1)>",
                                             "'; DROP TABLE patients; --", "x' OR '1'='1", "1; DELETE FROM audit_log"};
  int n = 0;
  for (const auto& text : payloads) {
    ++n;
    auto m = s.request("POST", p + "/lesion_measurements", admin,
                       {{"label", text}, {"organ", text}, {"kind", "target"}, {"day", n}, {"longest_diameter_mm", 20}});
    ASSERT_EQ(m->status, 201) << text << ": " << m->body;
    EXPECT_EQ(m->get_header_value("Content-Type"), "application/json; charset=utf-8");
    auto t = s.request("POST", p + "/treatments", admin, {{"kind", "systemic"}, {"start_day", n}, {"drug", text}});
    ASSERT_EQ(t->status, 201) << text << ": " << t->body;
    EXPECT_EQ(body_of(t)["record"]["drug"], text);
    auto a = s.request("POST", p + "/adverse_events", admin, {{"term", text}, {"grade", 1}, {"onset_day", n}});
    ASSERT_EQ(a->status, 201) << text << ": " << a->body;
    EXPECT_EQ(body_of(a)["record"]["term"], text);
  }
  const json rec = body_of(s.request("GET", p, admin));
  std::set<std::string> labels, organs, drugs, terms;
  for (const auto& l : rec["lesions"]) labels.insert(l["label"].get<std::string>()), organs.insert(l["organ"].get<std::string>());
  for (const auto& t : rec["treatments"]) drugs.insert(t["drug"].get<std::string>());
  for (const auto& a : rec["adverse_events"]) terms.insert(a["term"].get<std::string>());
  const std::set<std::string> want(payloads.begin(), payloads.end());
  EXPECT_EQ(labels, want);
  EXPECT_EQ(organs, want);
  EXPECT_EQ(drugs, want);
  EXPECT_EQ(terms, want);
  EXPECT_EQ(scalar(s, "SELECT COUNT(*) FROM patients"), "57");
  EXPECT_GT(audit_count(s), 20);
}

}  // namespace
}  // namespace sirtkit::server
