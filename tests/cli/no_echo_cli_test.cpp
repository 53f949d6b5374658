// Values from identifier, date and text columns never appear in a message or
// an output (issue 12 item 4): a marker is planted in such a cell of each
// clinical CSV command with a different error each time (stray quote,
// unterminated quote, bad date, bad code, bad number, duplicate identifier),
// and the command must refuse the file (exit 2), name the line, and print the
// marker nowhere, on stdout or stderr.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "run_sirtkit.h"

namespace {

using sirtkit::cli_test::run;

// Letters only, so no identifier pattern hides it: only an echo would show it.
const std::string marker = "QZXMARKQZX";

std::string write_case(const std::string& name, const std::string& text) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const auto dir = sirtkit::cli_test::fresh_dir(std::string("sirtkit_no_echo_") + info->name());
  std::filesystem::create_directories(dir);
  const auto p = dir / name;
  std::ofstream(p) << text;
  return p.string();
}

struct Case {
  std::string what, command, file, text, line;
};

void expect_refused_without_marker(const std::vector<Case>& cases) {
  for (const auto& c : cases) {
    const std::string path = write_case(c.file, c.text);
    const auto r = run(c.command + " " + path + " --json");
    EXPECT_EQ(r.code, 2) << c.what << ": " << r.out;
    EXPECT_EQ(r.out.find(marker), std::string::npos) << c.what << " echoes the planted value: " << r.out;
    EXPECT_EQ(r.out.find("QZX"), std::string::npos) << c.what << ": " << r.out;
    EXPECT_NE(r.out.find(c.line), std::string::npos) << c.what << " does not name " << c.line << ": " << r.out;
  }
}

}  // namespace

TEST(NoEchoCli, CtcaeLabsFile) {
  const std::string head = "patient_id,date,test,value,unit,lln,uln\n";
  const std::string ok = "P1,2024-01-01,platelets,150,10^9/L,150,400\n";
  expect_refused_without_marker({
      {"stray quote in an id", "ctcae", "labs.csv", head + ok + "P1 \"" + marker + "\",2024-02-01,platelets,90,10^9/L,150,400\n", "line 3"},
      {"unterminated quote", "ctcae", "labs.csv", head + ok + "P1,\"" + marker + ",platelets,90,10^9/L,150,400\n", "line 3"},
      {"text after a closing quote", "ctcae", "labs.csv", head + ok + "\"P1\"" + marker + ",2024-02-01,platelets,90,10^9/L,150,400\n", "line 3"},
      {"bad date", "ctcae", "labs.csv", head + ok + "P1,2024-02-" + marker + ",platelets,90,10^9/L,150,400\n", "line 3"},
      {"impossible date", "ctcae", "labs.csv", head + ok + "P1,2024-02-30,platelets,90,10^9/L,150,400\n", "line 3"},
      {"bad test code", "ctcae", "labs.csv", head + ok + "P1,2024-02-01," + marker + ",90,10^9/L,150,400\n", "line 3"},
      {"bad unit", "ctcae", "labs.csv", head + ok + "P1,2024-02-01,platelets,90," + marker + ",150,400\n", "line 3"},
      {"text in a value", "ctcae", "labs.csv", head + ok + "P1,2024-02-01,platelets," + marker + ",10^9/L,150,400\n", "line 3"},
  });
}

TEST(NoEchoCli, ResponseLesionsFile) {
  const std::string head = "patient_id,date,lesion_id,kind,organ,diameter_mm,status\n";
  const std::string base = "P1,2024-01-01,T1,target,liver,40,\n";
  expect_refused_without_marker({
      {"bad kind", "response recist", "lesions.csv", head + base + "P1,2024-03-01,T1," + marker + ",liver,30,\n", "line 3"},
      {"bad status", "response recist", "lesions.csv", head + base + "P1,2024-03-01,T1,target,liver,," + marker + "\n", "line 3"},
      {"text diameter", "response recist", "lesions.csv", head + base + "P1,2024-03-01,T1,target,liver," + marker + ",\n", "line 3"},
      {"duplicate lesion label", "response recist", "lesions.csv",
       head + "P1,2024-01-01," + marker + ",target,liver,40,\nP1,2024-01-01," + marker + ",target,liver,30,\n", "line 3"},
      {"follow-up lesion unseen at baseline", "response recist", "lesions.csv",
       head + base + "P1,2024-03-01," + marker + ",target,liver,30,\n", "line 3"},
      {"bad date", "response recist", "lesions.csv", head + base + "P1," + marker + ",T1,target,liver,30,\n", "line 3"},
      {"too many targets in one organ (organ text)", "response recist", "lesions.csv",
       head + "P1,2024-01-01,T1,target," + marker + ",40,\nP1,2024-01-01,T2,target," + marker + ",30,\nP1,2024-01-01,T3,target," + marker +
           ",30,\n",
       "line 4"},
  });
}

TEST(NoEchoCli, LiradsAndAdverseEventFiles) {
  const std::string head = "patient_id,date,observation_id,category,viable_mm\n";
  expect_refused_without_marker({
      {"bad category", "response lirads", "lirads.csv", head + "P1,2024-04-15,O1," + marker + ",\n", "line 2"},
      {"duplicate observation", "response lirads", "lirads.csv",
       head + "P1,2024-04-15," + marker + ",LR-TR Nonviable,\nP1,2024-04-15," + marker + ",LR-TR Nonviable,\n", "line 3"},
      {"text viable size", "response lirads", "lirads.csv", head + "P1,2024-04-15,O1,LR-TR Viable," + marker + "\n", "line 2"},
      {"bad grade", "ae-table", "ae.csv", "patient_id,term,grade,onset\nP1,Fatigue," + marker + ",2024-01-17\n", "line 2"},
  });
}
