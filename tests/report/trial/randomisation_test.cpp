#include "report/trial/randomisation.h"

#include <gtest/gtest.h>

#include <string>

namespace sirtkit::report {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

Allocation first() { return {1, 42, "T-R", "P001", "R01", "A", "site=R01", "2026-01-02T03:04:05.000Z", "alice"}; }

// Who may not be told an earlier allocation's arm (the server's other roles)
// is told neither in the text nor in the JSON.
TEST(RandomisationRender, ExistingAllocationShownOnlyWhenAllowed) {
  RandomiseOutcome o;
  o.status = RandomiseOutcome::Status::already_randomised;
  o.allocation = first();
  EXPECT_TRUE(has(outcome_text(o, true), "already randomised to arm A (scheme T-R, allocation 1,")) << outcome_text(o, true);
  EXPECT_FALSE(has(outcome_text(o, false), "arm A"));
  EXPECT_EQ(outcome_json(o, true)["allocation"]["arm"], "A");
  EXPECT_FALSE(outcome_json(o, false).contains("allocation"));
  EXPECT_EQ(outcome_json(o, false)["status"], "already_randomised");
}

TEST(RandomisationRender, NotEligibleListsTheFailingCriteria) {
  RandomiseOutcome o;
  o.status = RandomiseOutcome::Status::not_eligible;
  o.rules = "ECOG 0-1";
  o.criteria = {{"ecog_0_1", clinical::Verdict::fail, true, "inclusion: ecog = 3 <= 1: false"}};
  const std::string t = outcome_text(o, true);
  EXPECT_TRUE(has(t, "not eligible (ECOG 0-1):\n")) << t;
  EXPECT_TRUE(has(t, "ecog_0_1                         inclusion: ecog = 3 <= 1: false\n")) << t;
  const auto j = outcome_json(o, true);
  EXPECT_FALSE(j.contains("allocation"));
  EXPECT_EQ(j["criteria"][0]["id"], "ecog_0_1");
}

TEST(RandomisationRender, ReplayMismatchesNamed) {
  AllocationList l{"T-R", {first()}, ReplayResult{"T-R", "abc", 5, {2, 4}}};
  EXPECT_FALSE(l.ok());
  const std::string t = allocation_list_text(l);
  EXPECT_TRUE(has(t, "Scheme T-R: 1 allocations\n")) << t;
  EXPECT_TRUE(has(t, "Replay from the seed (SHA-256 abc): 2 of 5 allocations differ: #2, #4\n")) << t;
  const auto j = allocation_list_json(l);
  EXPECT_FALSE(j["replay"]["ok"].get<bool>());
  EXPECT_EQ(j["replay"]["mismatches"][1], 4);
  EXPECT_EQ(j["allocations"][0]["pseudonym"], "P001");
  l.replay.reset();
  EXPECT_TRUE(l.ok());
  EXPECT_FALSE(allocation_list_json(l).contains("replay"));
}

TEST(RandomisationRender, SchemeSummary) {
  SchemeSummary s{"T-R", "T", stats::RandomisationMethod::minimisation, {"A", "B"}, {2, 1}, {{"site", 3}, {"bclc", 3}}, "abc", "now"};
  const std::string t = scheme_text(s);
  EXPECT_TRUE(has(t, ": minimisation, arms A:B, ratio 2:1\nfactors: site (3 levels) bclc (3 levels)\n")) << t;
  EXPECT_TRUE(has(t, "SHA-256 abc\n")) << t;
  EXPECT_EQ(scheme_json(s)["ratio"][0], 2);
}

}  // namespace
}  // namespace sirtkit::report
