// Randomisation schemes and allocations in the registry, on both stores: the seed is kept
// out of the audit trail, allocations are audited and append-only, one per patient.

#include "registry/store/randomisation_store.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "../store_fixture.h"

namespace sirtkit::registry {
namespace {

using testing::StoreTest;

class RandomisationStoreTest : public StoreTest {
 protected:
  StoredRandomisationScheme scheme_in(Store& store) {
    Transaction tx(store, "setup");
    const auto study = std::to_string(store.insert_returning_id("INSERT INTO studies (code) VALUES (?)", {"S"}));
    store.execute("INSERT INTO sites (study_id, code) VALUES (?, 'R01')", {study});
    for (const char* p : {"P1", "P2"})
      store.execute("INSERT INTO patients (study_id, pseudonym, index_date_shifted) VALUES (?, ?, '2020-01-01')", {study, p});
    StoredRandomisationScheme s;
    s.code = "S-R";
    s.study = "S";
    s.scheme.arms = {"SD", "PD"};
    s.scheme.ratio = {1, 1};
    s.scheme.method = stats::RandomisationMethod::permuted_blocks;
    s.scheme.block_sizes = {2, 4};
    s.scheme.factors = {{"site", {"R01"}, 1}, {"sex", {"M", "F"}, 1}};
    s.factor_fields = {"site", "sex"};
    s.eligibility_rules = "name = \"x\"\n";
    for (std::size_t i = 0; i < 32; ++i) s.scheme.seed[i] = static_cast<std::uint8_t>(0xa0 + i % 16);
    insert_randomisation_scheme(store, s);
    tx.commit();
    return s;
  }
  long long patient(Store& store, const std::string& pseudonym) {
    return std::stoll(*store.scalar("SELECT id FROM patients WHERE pseudonym = ?", {pseudonym}));
  }
};
SIRTKIT_BOTH_STORES(RandomisationStoreTest);

TEST_P(RandomisationStoreTest, SchemeRoundTripsAndTheSeedStaysOutOfTheAuditTrail) {
  auto store = migrated_store();
  const auto written = scheme_in(*store);
  const auto read = find_randomisation_scheme(*store, "S-R");
  ASSERT_TRUE(read);
  EXPECT_EQ(read->scheme.arms, written.scheme.arms);
  EXPECT_EQ(read->scheme.block_sizes, (std::vector<int>{2, 4}));
  EXPECT_EQ(read->scheme.factors[1].levels, (std::vector<std::string>{"M", "F"}));
  EXPECT_EQ(read->factor_fields, written.factor_fields);
  EXPECT_EQ(read->scheme.seed, written.scheme.seed);
  EXPECT_EQ(read->seed_sha256, stats::random_seed_sha256_hex(written.scheme.seed));
  EXPECT_FALSE(find_randomisation_scheme(*store, "other"));
  // The arms were created in the study.
  EXPECT_EQ(*store->scalar("SELECT COUNT(*) FROM arms"), "2");
  // The scheme's creation is audited with the seed's SHA-256; the seed itself is nowhere in it.
  const std::string seed_hex = stats::random_seed_hex(written.scheme.seed);
  const auto audit = store->query("SELECT table_name, new_row FROM audit_log");
  bool scheme_audited = false;
  for (const auto& row : audit.rows) {
    if (!row[1]) continue;
    EXPECT_EQ(row[1]->find(seed_hex), std::string::npos) << *row[0];
    scheme_audited |= *row[0] == "randomisation_schemes" && row[1]->find(written.seed_sha256) != std::string::npos;
  }
  EXPECT_TRUE(scheme_audited);
  // A second scheme with the same code is refused.
  Transaction tx(*store, "t");
  StoredRandomisationScheme again = written;
  EXPECT_THROW(insert_randomisation_scheme(*store, again), Error);
}

TEST_P(RandomisationStoreTest, AllocationsAreAuditedFinalAndSetTheArm) {
  auto store = migrated_store();
  const auto s = scheme_in(*store);
  const long long p1 = patient(*store, "P1");
  {
    Transaction tx(*store, "alice");
    insert_allocation(*store, s.id, {1, p1, "", "", "", "PD", "site=R01;sex=F", "2026-12-05T07:00:00.000Z", "alice"});
    tx.commit();
  }
  const auto all = scheme_allocations(*store, s.id);
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].pseudonym, "P1");
  EXPECT_EQ(all[0].arm, "PD");
  EXPECT_EQ(all[0].scheme, "S-R");
  EXPECT_EQ(all[0].allocated_by, "alice");
  ASSERT_TRUE(patient_allocation(*store, p1));
  EXPECT_FALSE(patient_allocation(*store, patient(*store, "P2")));
  EXPECT_EQ(*store->scalar("SELECT a.code FROM patients p JOIN arms a ON a.id = p.arm_id WHERE p.id = ?", {std::to_string(p1)}), "PD");
  // Who and when, for the allocation and for the patient's arm.
  EXPECT_EQ(*store->scalar("SELECT COUNT(*) FROM audit_log WHERE table_name = 'randomisation_allocations' AND action = 'INSERT' AND actor = 'alice'"),
            "1");
  EXPECT_EQ(*store->scalar("SELECT COUNT(*) FROM audit_log WHERE table_name = 'patients' AND action = 'UPDATE' AND actor = 'alice'"), "1");
  // Final: no second allocation of the patient, no change, no deletion, not of the seed either.
  for (const std::string sql : {"UPDATE randomisation_allocations SET arm_id = arm_id", "DELETE FROM randomisation_allocations",
                                "UPDATE randomisation_seeds SET seed = seed", "DELETE FROM randomisation_schemes"}) {
    Transaction tx(*store, "mallory");
    EXPECT_THROW(store->execute(sql), Error) << sql;
  }
  Transaction tx(*store, "alice");
  EXPECT_THROW(insert_allocation(*store, s.id, {2, p1, "", "", "", "SD", "site=R01;sex=F", "2026-12-05T07:01:00.000Z", "alice"}), Error);
}

TEST_P(RandomisationStoreTest, SequenceNumbersAreUniqueWithinAScheme) {
  auto store = migrated_store();
  const auto s = scheme_in(*store);
  Transaction tx(*store, "alice");
  insert_allocation(*store, s.id, {1, patient(*store, "P1"), "", "", "", "PD", "site=R01;sex=F", "t", "alice"});
  // Two concurrent allocations computing the same next number cannot both be stored.
  EXPECT_THROW(insert_allocation(*store, s.id, {1, patient(*store, "P2"), "", "", "", "SD", "site=R01;sex=M", "t", "bob"}), Error);
}

}  // namespace
}  // namespace sirtkit::registry
