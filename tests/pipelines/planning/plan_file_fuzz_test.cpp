// Fuzzing the plan-file reader: random byte flips, deletions and
// duplications of the demo plan must either parse or raise sirtkit::Error —
// never crash, hang or throw anything else.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>
#include <unistd.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "pipelines/planning/phantom.h"
#include "pipelines/planning/plan_file.h"

namespace sirtkit::pipelines {

TEST(PlanFileFuzz, MutatedPlansParseOrFailCleanly) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("sirtkit_fuzz_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  write_phantom(dir);
  const std::string plan = read_text_file(dir / "plan.toml");
  std::mt19937 rng(12345);
  const std::string alphabet = "[]=\".\n#0123456789eE-+_ abcxyz{},'\\\t";
  int parsed = 0, refused = 0;
  for (int round = 0; round < 400; ++round) {
    std::string text = plan;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      const std::size_t at = rng() % text.size();
      switch (rng() % 3) {
        case 0: text[at] = alphabet[rng() % alphabet.size()]; break;
        case 1: text.erase(at, 1 + rng() % 12); break;
        default: text.insert(at, text.substr(rng() % text.size(), 1 + rng() % 20)); break;
      }
    }
    write_file_atomic(dir / "fuzz.toml", text);
    try {
      read_plan_file(dir / "fuzz.toml");
      ++parsed;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("fuzz.toml"), std::string::npos) << e.what();
      ++refused;
    }
  }
  EXPECT_GT(refused, 100);  // most mutations break something, and each is named
  EXPECT_EQ(parsed + refused, 400);
}

}  // namespace sirtkit::pipelines
