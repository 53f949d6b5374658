// POST /api/patients/{id}/randomise on a real server over HTTP, SQLite and PostgreSQL:
// only investigators of the patient's site and admins allocate; an allocation is final;
// an ineligible patient is refused naming the criterion; and no role can read the seed
// (hence the next allocation) through any GET route or any answer.

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>

#include "pipelines/trial/randomisation_jobs.h"
#include "../server_fixture.h"

namespace sirtkit::server {
namespace {

using nlohmann::json;
using testing::body_of;
using testing::TestServer;

const std::string pw = "a password for tests";

class RandomiseRoutes : public ::testing::TestWithParam<registry::Dialect> {};
INSTANTIATE_TEST_SUITE_P(Stores, RandomiseRoutes, ::testing::Values(registry::Dialect::sqlite, registry::Dialect::postgres),
                         registry::testing::store_name);

struct Trial {
  std::string seed_hex;
  std::vector<long long> rennes, lyon;  // patients without an arm, ECOG 0, Child-Pugh A
  long long ineligible = 0;             // Rennes, ECOG 3
};

// Adds site Lyon, 6 unrandomised patients at Rennes, 4 at Lyon and one ineligible at
// Rennes to the demo study, and a permuted-block scheme stratified by site.
Trial set_up(TestServer& s) {
  Trial t;
  auto lease = s.http().state().pool().acquire();
  {
    registry::Transaction tx(*lease, "test");
    const std::string study = *lease->scalar("SELECT id FROM studies WHERE code = 'DOSISPHERE'");
    lease->execute("INSERT INTO sites (study_id, code) VALUES (?, 'Lyon')", {study});
    auto add = [&](const std::string& site, const std::string& name, int ecog) {
      const std::string site_id = *lease->scalar("SELECT id FROM sites WHERE code = ?", {site});
      const long long id = lease->insert_returning_id(
          "INSERT INTO patients (study_id, site_id, pseudonym, index_date_shifted, sex) VALUES (?, ?, ?, '2021-03-01', 'female')",
          {study, site_id, name});
      lease->execute("INSERT INTO baseline (patient_id, ecog, child_pugh_class) VALUES (?, ?, 'A')", {std::to_string(id), std::to_string(ecog)});
      return id;
    };
    for (int i = 0; i < 6; ++i) t.rennes.push_back(add("Rennes", "RND-R" + std::to_string(i), 0));
    for (int i = 0; i < 4; ++i) t.lyon.push_back(add("Lyon", "RND-L" + std::to_string(i), 0));
    t.ineligible = add("Rennes", "RND-X", 3);
    tx.commit();
  }
  const auto dir = registry::testing::scratch_dir() / ("randomise-" + std::to_string(reinterpret_cast<std::uintptr_t>(&s)));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "rules.toml") << "name = \"ECOG 0-1\"\n[[criterion]]\nid = \"ecog_0_1\"\nfield = \"ecog\"\noperator = \"<=\"\nthreshold = 1\n";
  std::ofstream(dir / "scheme.toml") << "code = \"D-R\"\nstudy = \"DOSISPHERE\"\narms = [\"SD\", \"PD\"]\nmethod = \"blocks\"\n"
                                        "block_sizes = [2, 4]\neligibility = \"rules.toml\"\n[[factor]]\nname = \"site\"\n";
  const auto scheme = pipelines::create_randomisation_scheme(*lease, dir / "scheme.toml", "statistician");
  t.seed_hex = stats::random_seed_hex(scheme.scheme.seed);
  return t;
}

std::string path_of(long long id) { return "/api/patients/" + std::to_string(id) + "/randomise"; }

TEST_P(RandomiseRoutes, InvestigatorsOfTheSiteAndAdminsAllocateOnce) {
  TestServer s(GetParam());
  const Trial t = set_up(s);
  s.add_user("inv_rennes", Role::investigator, {"Rennes"}, pw);
  s.add_user("inv_lyon", Role::investigator, {"Lyon"}, pw);
  const auto rennes = s.login("inv_rennes", pw), lyon = s.login("inv_lyon", pw);
  const auto admin = s.login(s.admin().username, s.admin().password);

  auto r = s.request("POST", path_of(t.rennes[0]), rennes);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json a = body_of(r);
  EXPECT_EQ(a["status"], "allocated");
  const std::string arm = a["allocation"]["arm"];
  EXPECT_TRUE(arm == "SD" || arm == "PD");
  EXPECT_EQ(a["allocation"]["sequence"], 1);
  EXPECT_EQ(a["allocation"]["allocated_by"], "inv_rennes");
  EXPECT_EQ(a["allocation"]["levels"], "site=Rennes");
  // The patient's record now shows the arm.
  EXPECT_EQ(body_of(s.request("GET", "/api/patients/" + std::to_string(t.rennes[0]), rennes))["arm"], arm);

  // A Rennes patient is not visible to the Lyon investigator: 404, nothing allocated.
  auto hidden = s.request("POST", path_of(t.rennes[1]), lyon);
  EXPECT_EQ(hidden->status, 404) << hidden->body;
  EXPECT_EQ(s.request("POST", path_of(t.lyon[0]), lyon)->status, 200);
  EXPECT_EQ(s.request("POST", path_of(t.rennes[1]), admin)->status, 200);

  // Final: a second attempt is refused and names the existing allocation (authorised roles only reach it).
  auto again = s.request("POST", path_of(t.rennes[0]), admin);
  EXPECT_EQ(again->status, 409);
  EXPECT_EQ(body_of(again)["error"], "already_randomised");
  EXPECT_EQ(body_of(again)["allocation"]["arm"], arm);
  EXPECT_EQ(body_of(again)["allocation"]["sequence"], 1);

  // Ineligible: 422 naming the criterion; nothing allocated.
  auto no = s.request("POST", path_of(t.ineligible), rennes);
  EXPECT_EQ(no->status, 422) << no->body;
  EXPECT_EQ(body_of(no)["error"], "not_eligible");
  EXPECT_EQ(body_of(no)["criteria"][0]["id"], "ecog_0_1");

  // A patient given an arm outside randomisation (the demo cohort's) is refused.
  auto lease = s.http().state().pool().acquire();
  const std::string demo = *lease->scalar("SELECT MIN(id) FROM patients WHERE arm_id IS NOT NULL AND pseudonym NOT LIKE 'RND-%'");
  EXPECT_EQ(s.request("POST", "/api/patients/" + demo + "/randomise", admin)->status, 400);
  // A typo in the body is refused, not ignored.
  EXPECT_EQ(s.request("POST", path_of(t.rennes[2]), rennes, json{{"level", json::object()}})->status, 400);

  EXPECT_EQ(*lease->scalar("SELECT COUNT(*) FROM randomisation_allocations"), "3");
  EXPECT_EQ(*lease->scalar("SELECT COUNT(*) FROM audit_log WHERE table_name = 'randomisation_allocations' AND actor = 'inv_rennes'"), "1");
  EXPECT_TRUE(pipelines::replay_randomisation(*lease, "D-R").ok());
}

TEST_P(RandomiseRoutes, NoRoleCanReadTheSeedOrTheNextAllocation) {
  TestServer s(GetParam());
  const Trial t = set_up(s);
  for (Role role : all_roles()) s.add_user(std::string("u_") + role_name(role), role, {"Rennes"}, pw);
  const auto inv = s.login("u_investigator", pw);
  ASSERT_EQ(s.request("POST", path_of(t.rennes[0]), inv)->status, 200);
  const std::string patient = "/api/patients/" + std::to_string(t.rennes[0]);
  int reads = 0;
  for (Role role : all_roles()) {
    const auto login = s.login(std::string("u_") + role_name(role), pw);
    ASSERT_EQ(login.status, 200);
    for (const std::string get : {"/api/me", "/api/patients?limit=1000", patient.c_str(), "/api/audit?limit=1000",
                                  "/api/audit?table=randomisation_schemes", "/api/audit?table=randomisation_seeds", "/api/users"}) {
      auto r = s.request("GET", get, login);
      ASSERT_TRUE(r);
      EXPECT_EQ(r->body.find(t.seed_hex), std::string::npos) << role_name(role) << " GET " << get;
      ++reads;
    }
    // Randomising is for investigators and admins only; every other role is refused before anything is read.
    auto post = s.request("POST", path_of(t.rennes[1]), login);
    const bool allowed = role == Role::admin || role == Role::investigator;
    if (!allowed) {
      EXPECT_EQ(post->status, 403) << role_name(role);
      EXPECT_EQ(body_of(post)["error"], "role_not_allowed");
    }
    EXPECT_EQ(post->body.find(t.seed_hex), std::string::npos);
    // The answer holds the arm, never the method's state (probabilities, scores, block).
    for (const char* hidden : {"probabilit", "score", "block", "seed"})
      EXPECT_EQ(post->body.find(hidden), std::string::npos) << role_name(role) << ": " << hidden;
  }
  EXPECT_EQ(reads, 7 * 6);
  // The auditor's view of the scheme: its creation with the seed's SHA-256, not the seed.
  const auto admin = s.login(s.admin().username, s.admin().password);
  const json audit = body_of(s.request("GET", "/api/audit?table=randomisation_schemes", admin));
  ASSERT_EQ(audit["entries"].size(), 1u) << audit.dump();
}

}  // namespace
}  // namespace sirtkit::server

namespace sirtkit::server {
namespace {

// The patient page's eligibility: the verdict an allocation would reach first, per scheme.
TEST_P(RandomiseRoutes, EligibilityIsShownPerSchemeFromTheRegistryRecord) {
  TestServer s(GetParam());
  const Trial t = set_up(s);
  s.add_user("dm_rennes", Role::data_manager, {"Rennes"}, pw);
  const auto dm = s.login("dm_rennes", pw);
  const auto eligibility = [&](long long id) { return s.request("GET", "/api/patients/" + std::to_string(id) + "/eligibility", dm); };
  auto ok = eligibility(t.rennes[0]);
  ASSERT_EQ(ok->status, 200) << ok->body;
  const json e = body_of(ok);
  ASSERT_EQ(e["schemes"].size(), 1u) << e;
  EXPECT_EQ(e["schemes"][0]["scheme"], "D-R");
  EXPECT_EQ(e["schemes"][0]["rules"], "ECOG 0-1");
  EXPECT_EQ(e["schemes"][0]["verdict"], "eligible");
  const json no = body_of(eligibility(t.ineligible));
  EXPECT_EQ(no["schemes"][0]["verdict"], "not eligible");
  ASSERT_EQ(no["schemes"][0]["criteria"].size(), 1u);
  EXPECT_EQ(no["schemes"][0]["criteria"][0]["id"], "ecog_0_1");
  EXPECT_EQ(no["schemes"][0]["criteria"][0]["verdict"], "fail");
  // The allocation agrees: refused for the same criterion.
  s.add_user("inv_rennes", Role::investigator, {"Rennes"}, pw);
  auto refused = s.request("POST", path_of(t.ineligible), s.login("inv_rennes", pw));
  EXPECT_EQ(refused->status, 422);
  EXPECT_EQ(eligibility(t.lyon[0])->status, 404);  // another site
  EXPECT_EQ(eligibility(999999)->status, 404);
}

}  // namespace
}  // namespace sirtkit::server
