// A process killed in the middle of an import leaves the registry as it was
// before: the importer is forked and SIGKILLed at random writes inside its
// transaction (and at random times), then integrity and row counts are checked.
// Both stores; the PostgreSQL server rolls back the dead client's transaction.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <random>
#include <thread>

#include "registry/redcap/redcap_import.h"
#include "registry/store/schema.h"
#include "../redcap/redcap_fixture.h"
#include "../store_fixture.h"

namespace sirtkit::registry {
namespace {

using testing::StoreTest;

const auto key = PseudonymKey::from_bytes("kill-test-key-0123456789abcdef-0123");

DataDictionary dictionary() { return DataDictionary::from_table(io::CsvTable::parse(testing::redcap_dictionary_csv(), "dict.csv")); }

struct Counts {
  std::vector<long long> n;
  bool operator==(const Counts&) const = default;
};

Counts counts(Store& s) {
  Counts c;
  for (const auto& t : data_tables()) c.n.push_back(s.count(t.name));
  c.n.push_back(s.count("audit_log"));
  c.n.push_back(s.count("registry_meta"));
  return c;
}

class KillTest : public StoreTest {};
SIRTKIT_BOTH_STORES(KillTest);

// Runs the import in a child; `kill_at_write` >= 0: the child kills itself with
// SIGKILL just before that write; `kill_after_ms` >= 0: the parent kills it then.
int run_child(const std::string& loc, const io::CsvTable& data, long kill_at_write, int kill_after_ms) {
  const pid_t pid = fork();
  if (pid == 0) {
    try {
      auto s = open_store(loc, false);
      ImportOptions o;
      o.study = "KILL";
      if (kill_at_write >= 0)
        o.on_write = [kill_at_write](std::size_t n) {
          if (static_cast<long>(n) == kill_at_write) raise(SIGKILL);
        };
      import_redcap(*s, data, dictionary(), key, o);
    } catch (...) {
      _exit(3);
    }
    _exit(0);
  }
  if (kill_after_ms >= 0) {
    std::this_thread::sleep_for(std::chrono::milliseconds(kill_after_ms));
    kill(pid, SIGKILL);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

void expect_intact(Store& s, const std::string& when) {
  if (s.dialect() == Dialect::sqlite) EXPECT_EQ(*s.scalar("PRAGMA integrity_check"), "ok") << when;
  EXPECT_NO_THROW(require_current_schema(s)) << when;
}

TEST_P(KillTest, KilledImporterLeavesRegistryAsBefore) {
  const std::string loc = fresh_location();
  {
    auto s = open(loc);
    migrate(*s, "test");
    ImportOptions o;
    o.study = "KILL";
    import_redcap(*s, io::CsvTable::parse(testing::synthetic_export(5).csv(), "first.csv"), dictionary(), key, o);
  }
  // 200 new patients: 11 writes each (patient, baseline, lesion, 2 measurements,
  // treatment, 2 labs, adverse event, 2 follow-up) + the hook before COMMIT.
  {
    testing::RedcapExport all = testing::synthetic_export(205);
    const std::string csv = all.csv();
    // Drop the 5 already imported (first 5*9 data rows).
    std::size_t pos = csv.find('\n') + 1, cut = pos;
    for (int i = 0; i < 45; ++i) cut = csv.find('\n', cut) + 1;
    const std::string rest = csv.substr(0, pos) + csv.substr(cut);
    const io::CsvTable data = io::CsvTable::parse(rest, "big.csv");
    const long writes = 200 * 11;

    auto s = open(loc, false);
    const Counts before = counts(*s);
    s.reset();
    std::mt19937 rng(20261123);  // fixed seed: the same kill points on every run
    std::uniform_int_distribution<long> at(0, writes);
    std::vector<long> points{0, writes};  // first write and just before COMMIT
    for (int i = 0; i < 6; ++i) points.push_back(at(rng));
    for (long p : points) {
      const int st = run_child(loc, data, p, -1);
      ASSERT_TRUE(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL) << "child was not killed at write " << p << " (status " << st << ")";
      auto after = open(loc, false);
      expect_intact(*after, "after kill at write " + std::to_string(p));
      EXPECT_EQ(counts(*after), before) << "kill at write " << p << " changed the registry";
    }
    // Kills at random times: before, during or after the commit; the registry
    // holds either the old or the complete new state, never a part.
    std::uniform_int_distribution<int> ms(0, 120);
    bool saw_complete = false;
    for (int i = 0; i < 4 && !saw_complete; ++i) {
      run_child(loc, data, -1, ms(rng));
      auto after = open(loc, false);
      expect_intact(*after, "after timed kill");
      const Counts c = counts(*after);
      if (c == before) continue;
      EXPECT_EQ(after->count("patients"), 205) << "partial import visible";
      EXPECT_EQ(after->count("followup_events"), 205 * 2);
      saw_complete = true;
    }
    // Finally an unkilled import succeeds (no lock or journal left behind) unless a timed run already completed it.
    if (!saw_complete) {
      const int st = run_child(loc, data, -1, -1);
      ASSERT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0) << "import after the kills failed, status " << st;
    }
    auto done = open(loc, false);
    expect_intact(*done, "after the final import");
    EXPECT_EQ(done->count("patients"), 205);
    EXPECT_EQ(done->count("lesion_measurements"), 205 * 2);
    long long rows = 0;
    for (const auto& t : data_tables()) rows += done->count(t.name);
    EXPECT_EQ(done->count("audit_log"), rows);  // every surviving row audited once, no audit of rolled-back rows
  }
}

}  // namespace
}  // namespace sirtkit::registry
