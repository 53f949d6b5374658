// sirtkit randomise init | allocate | list --replay, run as a user would: exit codes
// (0 allocated, 3 refused, 2 bad input), the seed never printed, the audit replay.

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "registry/store/schema.h"
#include "registry/store/store.h"
#include "run_sirtkit.h"

namespace sirtkit::cli_test {
namespace {

namespace fs = std::filesystem;

class RandomiseCli : public ::testing::Test {
 protected:
  fs::path dir;
  std::string db;
  void SetUp() override {
    dir = fresh_dir("sirtkit_randomise_cli");
    fs::create_directories(dir);
    db = (dir / "study.sqlite").string();
    auto store = registry::open_store(db, true);
    registry::migrate(*store, "test");
    registry::Transaction tx(*store, "setup");
    const std::string study = std::to_string(store->insert_returning_id("INSERT INTO studies (code) VALUES ('T')", {}));
    const std::string site = std::to_string(store->insert_returning_id("INSERT INTO sites (study_id, code) VALUES (?, 'R01')", {study}));
    for (int i = 1; i <= 5; ++i) {
      const std::string id = std::to_string(store->insert_returning_id(
          "INSERT INTO patients (study_id, site_id, pseudonym, index_date_shifted, sex) VALUES (?, ?, ?, '2020-01-01', 'male')",
          {study, site, "P" + std::to_string(i)}));
      store->execute("INSERT INTO baseline (patient_id, ecog, bclc_stage) VALUES (?, ?, 'B')", {id, std::string(i == 5 ? "2" : "0")});
    }
    tx.commit();
    std::ofstream(dir / "rules.toml") << "name = \"ECOG 0-1\"\n[[criterion]]\nid = \"ecog_0_1\"\nfield = \"ecog\"\noperator = \"<=\"\nthreshold = 1\n";
    std::ofstream(dir / "scheme.toml") << "code = \"T-R\"\nstudy = \"T\"\narms = [\"A\", \"B\"]\nratio = [2, 1]\nmethod = \"minimisation\"\n"
                                          "p = 0.8\neligibility = \"rules.toml\"\n[[factor]]\nname = \"site\"\n[[factor]]\nname = \"bclc\"\n"
                                          "field = \"bclc_stage\"\nlevels = [\"A\", \"B\", \"C\"]\n";
  }
  void TearDown() override { fs::remove_all(dir); }
  std::string seed() {
    auto store = registry::open_store(db, false);
    return *store->scalar("SELECT seed FROM randomisation_seeds");
  }
};

TEST_F(RandomiseCli, InitAllocateListReplay) {
  const auto init = run("randomise init " + db + " " + (dir / "scheme.toml").string());
  ASSERT_EQ(init.code, 0) << init.out;
  EXPECT_NE(init.out.find("SHA-256"), std::string::npos) << init.out;
  EXPECT_EQ(init.out.find(seed()), std::string::npos) << "the seed was printed";

  const auto first = run("randomise allocate " + db + " --patient P1 --actor alice");
  ASSERT_EQ(first.code, 0) << first.out;
  EXPECT_NE(first.out.find("randomised to arm"), std::string::npos) << first.out;
  const auto j = nlohmann::json::parse(run("randomise allocate " + db + " --patient P2 --actor bob --json", false).out);
  EXPECT_EQ(j["status"], "allocated");
  EXPECT_EQ(j["allocation"]["sequence"], 2);
  EXPECT_EQ(j["allocation"]["levels"], "site=R01;bclc=B");
  EXPECT_EQ(j["allocation"]["allocated_by"], "bob");

  // Final: refused with exit 3, naming the existing allocation.
  const auto again = run("randomise allocate " + db + " --patient P1 --actor bob");
  EXPECT_EQ(again.code, 3) << again.out;
  EXPECT_NE(again.out.find("already randomised to arm"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("by alice"), std::string::npos) << again.out;
  // Not eligible: exit 3 naming the criterion.
  const auto no = run("randomise allocate " + db + " --patient P5");
  EXPECT_EQ(no.code, 3) << no.out;
  EXPECT_NE(no.out.find("ecog_0_1"), std::string::npos) << no.out;
  // A level that is not one of the factor's: bad input, exit 2.
  const auto bad = run("randomise allocate " + db + " --patient P3 --level bclc=Z");
  EXPECT_EQ(bad.code, 2) << bad.out;
  EXPECT_NE(bad.out.find("one of A, B, C"), std::string::npos) << bad.out;

  const auto list = run("randomise list " + db + " --scheme T-R --replay");
  EXPECT_EQ(list.code, 0) << list.out;
  EXPECT_NE(list.out.find("2 allocations"), std::string::npos) << list.out;
  EXPECT_NE(list.out.find("all 2 allocations reproduced"), std::string::npos) << list.out;
  EXPECT_EQ(list.out.find(seed()), std::string::npos);

  // Someone swaps an arm behind sirtkit's back: the replay says which, exit 3.
  {
    auto store = registry::open_store(db, false);
    store->execute_script("DROP TRIGGER randomisation_allocations_no_update");
    store->execute(
        "UPDATE randomisation_allocations SET arm_id = (SELECT a2.id FROM arms a2 WHERE a2.id <> randomisation_allocations.arm_id) "
        "WHERE sequence = 1");
  }
  const auto replay = run("randomise list " + db + " --scheme T-R --replay --json", false);
  EXPECT_EQ(replay.code, 3) << replay.out;
  const auto r = nlohmann::json::parse(replay.out);
  EXPECT_EQ(r["replay"]["mismatches"], nlohmann::json::array({1}));
}

TEST_F(RandomiseCli, BadSchemeFileIsRefusedAndWritesNothing) {
  std::ofstream(dir / "bad.toml") << "code = \"X\"\nstudy = \"T\"\narms = [\"A\", \"B\"]\nratio = [2, 1]\nmethod = \"blocks\"\n"
                                     "block_sizes = [4]\neligibility = \"rules.toml\"\n";
  const auto r = run("randomise init " + db + " " + (dir / "bad.toml").string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("block_sizes"), std::string::npos) << r.out;
  auto store = registry::open_store(db, false);
  EXPECT_EQ(store->count("randomisation_schemes"), 0);
  EXPECT_EQ(store->count("arms"), 0);
}

}  // namespace
}  // namespace sirtkit::cli_test
