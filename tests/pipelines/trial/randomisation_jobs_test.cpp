// sirtkit randomise behind the command line and the server: a scheme from a TOML file,
// eligibility before allocation, one final allocation per patient, the audit trail, and
// the auditor's replay from the seed (SQLite; the store layer is tested on both stores).

#include "pipelines/trial/randomisation_jobs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "../../clinical/expect_bad_input.h"
#include "registry/store/schema.h"
#include "stats/trial/randomisation.h"

namespace sirtkit::pipelines {
namespace {

namespace fs = std::filesystem;

const char* rules_toml = R"(name = "test trial"
source = "tests"
[[criterion]]
id = "ecog_0_1"
field = "ecog"
operator = "<="
threshold = 1

[[criterion]]
id = "child_pugh_a"
field = "child_pugh_class"
operator = "in"
values = ["A"]

[[criterion]]
id = "lung_dose"
type = "exclusion"
field = "lung_dose"
operator = ">"
threshold = 30
unit = "Gy"
required = false
)";

// A data correction, as the registry's editors make it: inside an audited transaction.
void edit(registry::Store& store, const std::string& sql) {
  registry::Transaction tx(store, "data manager");
  store.execute(sql);
  tx.commit();
}

class RandomisationJobs : public ::testing::Test {
 protected:
  fs::path dir;
  void SetUp() override {
    static int n = 0;
    dir = fs::temp_directory_path() / ("sirtkit-randomise-" + std::to_string(getpid()) + "-" + std::to_string(++n));
    fs::remove_all(dir);
    fs::create_directories(dir);
    write("rules.toml", rules_toml);
  }
  void TearDown() override { fs::remove_all(dir); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir / name) << text; }

  // Study S, sites R01 and R02, `n` patients P001... alternating site and sex, ECOG 0, Child-Pugh A.
  std::unique_ptr<registry::Store> registry_with(int n, const std::string& file = "reg.sqlite") {
    auto store = registry::open_store((dir / file).string(), true);
    registry::migrate(*store, "test");
    registry::Transaction tx(*store, "setup");
    const std::string study = std::to_string(store->insert_returning_id("INSERT INTO studies (code) VALUES ('S')", {}));
    const std::string r1 = std::to_string(store->insert_returning_id("INSERT INTO sites (study_id, code) VALUES (?, 'R01')", {study}));
    const std::string r2 = std::to_string(store->insert_returning_id("INSERT INTO sites (study_id, code) VALUES (?, 'R02')", {study}));
    for (int i = 1; i <= n; ++i) {
      char name[8];
      std::snprintf(name, sizeof name, "P%03d", i);
      const std::string id = std::to_string(store->insert_returning_id(
          "INSERT INTO patients (study_id, site_id, pseudonym, index_date_shifted, sex, age_years) VALUES (?, ?, ?, '2020-01-01', ?, 60)",
          {study, i % 3 ? r1 : r2, std::string(name), std::string(i % 2 ? "male" : "female")}));
      store->execute("INSERT INTO baseline (patient_id, ecog, child_pugh_class, bclc_stage) VALUES (?, 0, 'A', ?)",
                     {id, std::string(i % 4 ? "B" : "C")});
    }
    tx.commit();
    return store;
  }
  std::string scheme_toml(const std::string& method_lines, const std::string& seed = "") {
    return "code = \"S-R\"\nstudy = \"S\"\narms = [\"SD\", \"PD\"]\nratio = [1, 1]\n" + method_lines +
           "eligibility = \"rules.toml\"\n" + (seed.empty() ? "" : "seed = \"" + seed + "\"\n") +
           "[[factor]]\nname = \"site\"\n[[factor]]\nname = \"sex\"\nlevels = [\"male\", \"female\"]\n";
  }
  RandomiseOutcome allocate(registry::Store& store, const std::string& pseudonym, std::map<std::string, std::string> values = {},
                            const std::string& actor = "alice") {
    RandomiseRequest rq;
    rq.pseudonym = pseudonym;
    rq.values = std::move(values);
    rq.actor = actor;
    return randomise_patient(store, rq);
  }
};

TEST_F(RandomisationJobs, BlocksAllocateReplayAndStayBalancedPerStratum) {
  auto store = registry_with(48);
  write("scheme.toml", scheme_toml("method = \"blocks\"\nblock_sizes = [2, 4]\n"));
  const auto s = create_randomisation_scheme(*store, dir / "scheme.toml", "statistician");
  EXPECT_EQ(s.scheme.factors[0].levels, (std::vector<std::string>{"R01", "R02"}));  // the study's sites
  std::map<std::string, int> diff;
  for (int i = 1; i <= 48; ++i) {
    char name[8];
    std::snprintf(name, sizeof name, "P%03d", i);
    const auto o = allocate(*store, name);
    ASSERT_EQ(o.status, RandomiseOutcome::Status::allocated) << name;
    EXPECT_EQ(o.allocation.sequence, i);
    int& d = diff[o.allocation.levels];
    d += o.allocation.arm == "SD" ? 1 : -1;
    EXPECT_LE(std::abs(d), 2) << o.allocation.levels;  // half the largest block
  }
  EXPECT_EQ(diff.size(), 4u);
  const auto listed = list_randomisation(*store, "S-R");
  ASSERT_EQ(listed.size(), 48u);
  EXPECT_EQ(listed[0].pseudonym, "P001");
  EXPECT_EQ(listed[0].levels, "site=R01;sex=male");
  EXPECT_EQ(listed[0].allocated_by, "alice");
  const auto rr = replay_randomisation(*store, "S-R");
  EXPECT_EQ(rr.allocations, 48);
  EXPECT_TRUE(rr.ok());
  // Every allocation is in the audit trail with who and when; the seed is not.
  EXPECT_EQ(*store->scalar("SELECT COUNT(*) FROM audit_log WHERE table_name = 'randomisation_allocations' AND actor = 'alice' AND at <> ''"),
            "48");
  EXPECT_EQ(*store->scalar("SELECT COUNT(*) FROM audit_log WHERE new_row LIKE ?", {"%" + stats::random_seed_hex(s.scheme.seed) + "%"}),
            "0");
}

TEST_F(RandomisationJobs, TheSameSeedAndSequenceGiveTheSameAllocationsElsewhere) {
  const std::string seed(64, '5');
  std::vector<std::string> arms[2];
  for (int r = 0; r < 2; ++r) {
    auto store = registry_with(30, "reg" + std::to_string(r) + ".sqlite");
    write("scheme.toml", scheme_toml("method = \"minimisation\"\nimbalance = \"variance\"\np = 0.8\n", seed));
    create_randomisation_scheme(*store, dir / "scheme.toml", "statistician");
    for (int i = 1; i <= 30; ++i) {
      char name[8];
      std::snprintf(name, sizeof name, "P%03d", i);
      arms[r].push_back(allocate(*store, name).allocation.arm);
    }
  }
  EXPECT_EQ(arms[0], arms[1]);
  // And they are what the engine gives for that seed and sequence.
  stats::RandomisationScheme s;
  s.arms = {"SD", "PD"};
  s.ratio = {1, 1};
  s.method = stats::RandomisationMethod::minimisation;
  s.imbalance = stats::ImbalanceMeasure::variance;
  s.factors = {{"site", {"R01", "R02"}, 1}, {"sex", {"male", "female"}, 1}};
  s.seed = stats::parse_random_seed(seed, "test");
  std::vector<std::vector<int>> seq;
  for (int i = 1; i <= 30; ++i) seq.push_back({i % 3 ? 0 : 1, i % 2 ? 0 : 1});
  const auto replayed = stats::replay_allocations(s, seq);
  for (int i = 0; i < 30; ++i) EXPECT_EQ(s.arms[static_cast<std::size_t>(replayed[static_cast<std::size_t>(i)].arm)], arms[0][static_cast<std::size_t>(i)]);
}

TEST_F(RandomisationJobs, AnAllocationIsFinal) {
  auto store = registry_with(4);
  write("scheme.toml", scheme_toml("method = \"blocks\"\nblock_sizes = [4]\n"));
  create_randomisation_scheme(*store, dir / "scheme.toml", "statistician");
  const auto first = allocate(*store, "P002");
  ASSERT_EQ(first.status, RandomiseOutcome::Status::allocated);
  const auto again = allocate(*store, "P002", {}, "bob");
  EXPECT_EQ(again.status, RandomiseOutcome::Status::already_randomised);
  EXPECT_EQ(again.allocation.arm, first.allocation.arm);
  EXPECT_EQ(again.allocation.allocated_by, "alice");
  // Only an authorised reader is told which arm.
  EXPECT_NE(outcome_text(again, true).find("arm " + first.allocation.arm), std::string::npos);
  EXPECT_EQ(outcome_text(again, false).find(first.allocation.arm), std::string::npos);
  EXPECT_FALSE(outcome_json(again, false).contains("allocation"));
  EXPECT_EQ(list_randomisation(*store, "S-R").size(), 1u);
}

TEST_F(RandomisationJobs, IneligiblePatientsAreRefusedNamingTheCriterion) {
  auto store = registry_with(3);
  write("scheme.toml", scheme_toml("method = \"blocks\"\nblock_sizes = [2]\n"));
  create_randomisation_scheme(*store, dir / "scheme.toml", "statistician");
  edit(*store, "UPDATE baseline SET ecog = 2 WHERE patient_id = (SELECT id FROM patients WHERE pseudonym = 'P001')");
  const auto o = allocate(*store, "P001");
  EXPECT_EQ(o.status, RandomiseOutcome::Status::not_eligible);
  ASSERT_EQ(o.criteria.size(), 1u);
  EXPECT_EQ(o.criteria[0].id, "ecog_0_1");
  EXPECT_NE(outcome_text(o, true).find("ecog_0_1"), std::string::npos);
  // A value given for the allocation counts too: the exclusion on the simulated lung dose.
  const auto lung = allocate(*store, "P002", {{"lung_dose", "35 Gy"}});
  EXPECT_EQ(lung.status, RandomiseOutcome::Status::not_eligible);
  ASSERT_EQ(lung.criteria.size(), 1u);
  EXPECT_EQ(lung.criteria[0].id, "lung_dose");
  // A missing required value: undetermined, refused, naming it.
  edit(*store, "UPDATE baseline SET child_pugh_class = NULL WHERE patient_id = (SELECT id FROM patients WHERE pseudonym = 'P003')");
  const auto u = allocate(*store, "P003");
  EXPECT_EQ(u.status, RandomiseOutcome::Status::undetermined);
  ASSERT_EQ(u.criteria.size(), 1u);
  EXPECT_EQ(u.criteria[0].id, "child_pugh_a");
  EXPECT_EQ(list_randomisation(*store, "S-R").size(), 0u);
  EXPECT_EQ(*store->scalar("SELECT COUNT(*) FROM patients WHERE arm_id IS NOT NULL"), "0");
  // Eligible with a lung dose under the limit.
  EXPECT_EQ(allocate(*store, "P002", {{"lung_dose", "12 Gy"}}).status, RandomiseOutcome::Status::allocated);
}

TEST_F(RandomisationJobs, ReplayFindsATamperedAllocationAndNoNewOneIsMade) {
  auto store = registry_with(6);
  write("scheme.toml", scheme_toml("method = \"blocks\"\nblock_sizes = [2, 4]\n"));
  create_randomisation_scheme(*store, dir / "scheme.toml", "statistician");
  for (const char* p : {"P001", "P002", "P003", "P004"}) ASSERT_EQ(allocate(*store, p).status, RandomiseOutcome::Status::allocated);
  // Someone with the file and sqlite3 drops the guard and swaps the arm of allocation 2.
  store->execute_script("DROP TRIGGER randomisation_allocations_no_update");
  store->execute(
      "UPDATE randomisation_allocations SET arm_id = (SELECT id FROM arms WHERE id <> randomisation_allocations.arm_id AND study_id = "
      "(SELECT study_id FROM arms a WHERE a.id = randomisation_allocations.arm_id)) WHERE sequence = 2");
  const auto rr = replay_randomisation(*store, "S-R");
  EXPECT_EQ(rr.mismatches, (std::vector<long long>{2}));
  EXPECT_BAD_INPUT(allocate(*store, "P005"), "allocation", "2", "replay");
}

TEST_F(RandomisationJobs, RefusesBadSchemesAndLevels) {
  auto store = registry_with(2);
  write("bad.toml", scheme_toml("method = \"blocks\"\nblock_sizes = [3]\n"));
  EXPECT_BAD_INPUT(create_randomisation_scheme(*store, dir / "bad.toml", "s"), "block_sizes", "3");
  write("bad2.toml", "code = \"X\"\nstudy = \"S\"\narms = [\"A\", \"B\"]\nmethod = \"simple\"\neligibility = \"rules.toml\"\n[[factor]]\nname = \"smoker\"\n");
  EXPECT_BAD_INPUT(create_randomisation_scheme(*store, dir / "bad2.toml", "s"), "levels", "factor smoker");
  write("bad3.toml", scheme_toml("method = \"simple\"\n") + "[[factor]]\nname = \"risk\"\nlevels = [\"low\", \"high\"]\n");
  create_randomisation_scheme(*store, dir / "bad3.toml", "s");
  // A factor without a registry field needs its level at allocation.
  EXPECT_BAD_INPUT(allocate(*store, "P001"), "factor risk", "--level risk=LEVEL");
  RandomiseRequest rq;
  rq.pseudonym = "P001";
  rq.actor = "alice";
  rq.levels = {{"risk", "medium"}};
  EXPECT_BAD_INPUT(randomise_patient(*store, rq), "factor risk", "medium", "one of low, high");
  rq.levels = {{"risk", "high"}};
  EXPECT_EQ(randomise_patient(*store, rq).status, RandomiseOutcome::Status::allocated);
  rq.pseudonym = "nobody";
  EXPECT_BAD_INPUT(randomise_patient(*store, rq), "patient", "(not shown)");
}

}  // namespace
}  // namespace sirtkit::pipelines
