// GET /api/patients and /api/patients/{id}: site scoping, filters, the
// statistician's de-identified view, and errors that name the field; on
// SQLite and on a real PostgreSQL server.

#include <gtest/gtest.h>

#include <regex>

#include "../server_fixture.h"

namespace sirtkit::server {
namespace {

using testing::body_of;
using testing::TestServer;
using nlohmann::json;

const std::string pw = "a password for tests";

class PatientRoutes : public ::testing::TestWithParam<registry::Dialect> {};
INSTANTIATE_TEST_SUITE_P(Stores, PatientRoutes, ::testing::Values(registry::Dialect::sqlite, registry::Dialect::postgres),
                         registry::testing::store_name);

// Moves the first `n` demo patients (by pseudonym) to a second site "Lyon".
void add_second_site(TestServer& s, int n) {
  auto lease = s.http().state().pool().acquire();
  registry::Transaction tx(*lease, "test");
  const std::string study = *lease->scalar("SELECT id FROM studies WHERE code = 'DOSISPHERE'");
  lease->execute("INSERT INTO sites (study_id, code) VALUES (?, 'Lyon')", {study});
  const std::string lyon = *lease->scalar("SELECT id FROM sites WHERE code = 'Lyon'");
  const auto ids = lease->query("SELECT id FROM patients ORDER BY pseudonym LIMIT " + std::to_string(n));
  for (const auto& row : ids.rows) lease->execute("UPDATE patients SET site_id = ? WHERE id = ?", {lyon, *row[0]});
  tx.commit();
}

long long sql_count(TestServer& s, const std::string& sql) {
  auto lease = s.http().state().pool().acquire();
  return std::stoll(*lease->scalar(sql));
}

TEST_P(PatientRoutes, SiteUsersSeeOnlyTheirSitesAdminAndMonitorSeeAll) {
  TestServer s(GetParam());
  add_second_site(s, 10);
  s.add_user("rennes_inv", Role::investigator, {"Rennes"}, pw);
  s.add_user("lyon_dm", Role::data_manager, {"Lyon"}, pw);
  s.add_user("mon", Role::monitor, {}, pw);
  const auto admin = s.login(s.admin().username, s.admin().password);
  const auto rennes = s.login("rennes_inv", pw), lyon = s.login("lyon_dm", pw), mon = s.login("mon", pw);
  EXPECT_EQ(body_of(s.request("GET", "/api/patients", admin))["total"], 56);
  EXPECT_EQ(body_of(s.request("GET", "/api/patients", mon))["total"], 56);
  EXPECT_EQ(body_of(s.request("GET", "/api/patients", rennes))["total"], 46);
  const json l = body_of(s.request("GET", "/api/patients", lyon));
  EXPECT_EQ(l["total"], 10);
  for (const auto& p : l["patients"]) EXPECT_EQ(p["site"], "Lyon");
  // A Rennes patient by id: visible to Rennes and the monitor, 404 for Lyon (as if it did not exist).
  const long long rennes_id = sql_count(s, "SELECT MIN(p.id) FROM patients p JOIN sites s ON s.id = p.site_id WHERE s.code = 'Rennes'");
  const std::string path = "/api/patients/" + std::to_string(rennes_id);
  EXPECT_EQ(s.request("GET", path, rennes)->status, 200);
  EXPECT_EQ(s.request("GET", path, mon)->status, 200);
  auto hidden = s.request("GET", path, lyon);
  EXPECT_EQ(hidden->status, 404);
  EXPECT_EQ(body_of(hidden)["error"], "not_found");
  // Asking for the other site by filter gives nothing, not the other site's patients.
  EXPECT_EQ(body_of(s.request("GET", "/api/patients?site=Rennes", lyon))["total"], 0);
}

TEST_P(PatientRoutes, FiltersAndSearchMatchTheRegistry) {
  TestServer s(GetParam());
  const auto a = s.login(s.admin().username, s.admin().password);
  EXPECT_EQ(body_of(s.request("GET", "/api/patients?arm=personalised", a))["total"], 28);
  EXPECT_EQ(body_of(s.request("GET", "/api/patients?arm=standard", a))["total"], 28);
  const long long dead = sql_count(s, "SELECT COUNT(DISTINCT patient_id) FROM followup_events WHERE kind = 'death'");
  ASSERT_GT(dead, 0);
  EXPECT_EQ(body_of(s.request("GET", "/api/patients?status=deceased", a))["total"], dead);
  EXPECT_EQ(body_of(s.request("GET", "/api/patients?status=alive", a))["total"], 56 - dead);
  // Search by a part of one pseudonym, lower case.
  std::string pseudonym;
  {
    auto lease = s.http().state().pool().acquire();
    pseudonym = *lease->scalar("SELECT pseudonym FROM patients ORDER BY pseudonym LIMIT 1");
  }
  std::string part = pseudonym.substr(pseudonym.size() - 8);
  for (auto& c : part) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const json found = body_of(s.request("GET", "/api/patients?search=" + part, a));
  ASSERT_GE(found["total"].get<int>(), 1);
  EXPECT_EQ(found["patients"][0]["pseudonym"], pseudonym);
  // Paging.
  const json page = body_of(s.request("GET", "/api/patients?limit=5&offset=50", a));
  EXPECT_EQ(page["total"], 56);
  EXPECT_EQ(page["patients"].size(), 5u);
  EXPECT_EQ(body_of(s.request("GET", "/api/patients?limit=5&offset=55", a))["patients"].size(), 1u);
}

TEST_P(PatientRoutes, PatientRecordHoldsEveryTableWithNumbersAsNumbers) {
  TestServer s(GetParam());
  const auto a = s.login(s.admin().username, s.admin().password);
  const long long id = sql_count(s, "SELECT MIN(patient_id) FROM treatments WHERE kind = 'sirt'");
  auto r = s.request("GET", "/api/patients/" + std::to_string(id), a);
  ASSERT_EQ(r->status, 200) << r->body;
  const json p = body_of(r);
  EXPECT_EQ(p["id"], id);
  ASSERT_TRUE(p["baseline"].is_object());
  EXPECT_TRUE(p["baseline"]["ecog"].is_number_integer());
  ASSERT_FALSE(p["treatments"].empty());
  EXPECT_EQ(p["treatments"][0]["kind"], "sirt");
  const long long n_lab = sql_count(s, "SELECT COUNT(*) FROM labs WHERE patient_id = " + std::to_string(id));
  EXPECT_EQ(static_cast<long long>(p["labs"].size()), n_lab);
  EXPECT_EQ(p["lesions"].size(), 1u);
  EXPECT_GE(p["lesion_measurements"].size(), 1u);
  EXPECT_TRUE(p["lesion_measurements"][0]["longest_diameter_mm"].is_number());
  EXPECT_TRUE(p.contains("adverse_events"));
  EXPECT_FALSE(p["followup_events"].empty());
  EXPECT_TRUE(p.contains("index_date_shifted"));
}

TEST_P(PatientRoutes, StatisticianGetsNoDates) {
  TestServer s(GetParam());
  s.add_user("stat", Role::statistician, {"Rennes"}, pw);
  const auto st = s.login("stat", pw);
  const std::string list = s.request("GET", "/api/patients", st)->body;
  const long long id = sql_count(s, "SELECT MIN(id) FROM patients");
  const std::string one = s.request("GET", "/api/patients/" + std::to_string(id), st)->body;
  EXPECT_EQ(body_of(s.request("GET", "/api/patients", st))["total"], 56);
  for (const std::string& body : {list, one}) {
    EXPECT_EQ(body.find("index_date_shifted"), std::string::npos);
    // No calendar date at all (YYYY-MM-DD) in a de-identified answer.
    EXPECT_FALSE(std::regex_search(body, std::regex(R"(\d{4}-\d{2}-\d{2})"))) << body.substr(0, 200);
  }
}

TEST(PatientRoutesErrors, BadFiltersNameTheFieldAndNeverEchoFreeText) {
  TestServer s;
  const auto a = s.login(s.admin().username, s.admin().password);
  auto bad_status = s.request("GET", "/api/patients?status=sleeping", a);
  EXPECT_EQ(bad_status->status, 400);
  EXPECT_EQ(body_of(bad_status)["field"], "status");
  EXPECT_EQ(body_of(bad_status)["value"], "sleeping");
  auto bad_limit = s.request("GET", "/api/patients?limit=0", a);
  EXPECT_EQ(bad_limit->status, 400);
  EXPECT_EQ(body_of(bad_limit)["field"], "limit");
  auto bad_id = s.request("GET", "/api/patients/abc", a);
  EXPECT_EQ(bad_id->status, 400);
  EXPECT_EQ(body_of(bad_id)["field"], "id");
  EXPECT_EQ(s.request("GET", "/api/patients/999999", a)->status, 404);
  // A hostile search string is a parameter, not SQL, and is not repeated back.
  auto inj = s.request("GET", "/api/patients?search=%27%20OR%201%3D1%20--", a);
  EXPECT_EQ(inj->status, 200);
  EXPECT_EQ(body_of(inj)["total"], 0);
  auto longer = s.request("GET", "/api/patients?status=%3Cscript%3E", a);
  EXPECT_EQ(longer->status, 400);
  EXPECT_FALSE(body_of(longer).contains("value"));
}

}  // namespace
}  // namespace sirtkit::server
