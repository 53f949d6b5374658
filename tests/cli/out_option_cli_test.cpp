// Every command that prints a result also writes it with --out DIR (issue 16:
// "--out only on some commands"): DIR/<name>.json holds exactly what --json
// prints, the text is still printed, and an existing folder sirtkit did not
// write is refused.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "run_sirtkit.h"

namespace sirtkit::cli_test {
namespace {

namespace fs = std::filesystem;

const std::string kExamples = std::string(SIRTKIT_SOURCE_DIR) + "/examples/";

struct Case {
  std::string args;
  std::string file;
};

const std::vector<Case> kCases{
    {"proportion --x 12 --n 28", "proportion.json"},
    {"fisher --table 8,20/18,10", "fisher.json"},
    {"chisq --table 8,20/18,10", "chisq.json"},
    {"compare " + kExamples + "stats/patients.csv --value age --by arm", "compare.json"},
    {"score child-pugh --bilirubin 1.2mg/dL --albumin 35g/L --inr 1.3 --ascites none --encephalopathy none", "score.json"},
    {"ctcae " + kExamples + "clinical/labs.csv", "ctcae.json"},
    {"response recist " + kExamples + "clinical/lesions.csv --at-days 90,180", "response.json"},
    {"eligible " + kExamples + "clinical/eligibility/dosisphere01.toml " + kExamples + "clinical/eligibility/dosisphere01_patients.csv",
     "eligibility.json"},
    {"ae-table " + kExamples + "clinical/adverse_events.csv", "ae_table.json"},
};

TEST(OutOption, WritesWhatJsonPrintsAndStillPrintsTheText) {
  for (const Case& c : kCases) {
    const fs::path dir = fresh_dir("sirtkit_out_option");
    const CliRun json = run(c.args + " --json", false);
    ASSERT_EQ(json.code, 0) << c.args << "\n" << json.out;
    const CliRun text = run(c.args + " --out " + dir.string(), false);
    ASSERT_EQ(text.code, 0) << c.args << "\n" << text.out;
    EXPECT_NE(text.out.front(), '{') << c.args << ": the readable text, not the JSON";
    ASSERT_TRUE(fs::exists(dir / c.file)) << c.args;
    EXPECT_EQ(nlohmann::json::parse(slurp(dir / c.file)), nlohmann::json::parse(json.out)) << c.args;
    fs::remove_all(dir);
  }
}

TEST(OutOption, AFolderSirtkitDidNotWriteIsRefusedAndKept) {
  const fs::path dir = fresh_dir("sirtkit_out_option_foreign");
  fs::create_directories(dir);
  { std::ofstream(dir / "notes.txt") << "mine"; }
  const CliRun r = run("fisher --table 8,20/18,10 --out " + dir.string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_EQ(slurp(dir / "notes.txt"), "mine");
  EXPECT_FALSE(fs::exists(dir / "fisher.json"));
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sirtkit::cli_test
