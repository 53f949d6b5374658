// The command line as a newcomer meets it: no command prints the usage, a
// mistyped command is named and the closest one suggested (edit distance), at
// every level of nested commands; --version and the generated man page and
// completions come from the same command tree.

#include <gtest/gtest.h>

#include <regex>

#include "run_sirtkit.h"

namespace {

using sirtkit::cli_test::run;

TEST(Usage, NoCommandPrintsTheUsage) {
  auto r = run("", false);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("Subcommands:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("km"), std::string::npos);
  r = run("calc", false);  // a command that groups subcommands, given none
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("mird"), std::string::npos) << r.out;
}

TEST(Usage, UnknownCommandSuggestsTheClosest) {
  auto r = run("kmm lung.csv");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("'kmm' is not a command of sirtkit"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Did you mean 'sirtkit km'?"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("A subcommand is required"), std::string::npos) << r.out;
  r = run("registy init x.sqlite");
  EXPECT_NE(r.out.find("Did you mean 'sirtkit registry'?"), std::string::npos) << r.out;
  r = run("calc mirdd --dose-gy 120");  // nested
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("'mirdd' is not a command of sirtkit calc. Did you mean 'sirtkit calc mird'?"), std::string::npos) << r.out;
  r = run("score child-pug");
  EXPECT_NE(r.out.find("Did you mean 'sirtkit score child-pugh'?"), std::string::npos) << r.out;
}

TEST(Usage, NothingNearIsNotSuggested) {
  const auto r = run("frobnicate");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("'frobnicate' is not a command of sirtkit"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Did you mean"), std::string::npos) << r.out;
}

TEST(Usage, VersionIsTheProjectVersion) {
  const auto r = run("--version", false);
  EXPECT_EQ(r.code, 0);
  // The project version of CMakeLists.txt, and git describe when built from a checkout.
  const std::string cmake = sirtkit::cli_test::slurp(std::string(SIRTKIT_SOURCE_DIR) + "/CMakeLists.txt");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(cmake, m, std::regex(R"(project\(sirtkit VERSION ([0-9.]+))")));
  EXPECT_TRUE(std::regex_match(r.out, std::regex("sirtkit " + std::regex_replace(m[1].str(), std::regex(R"(\.)"), R"(\.)") +
                                                 R"(( \(git [0-9A-Za-z.-]+\))?\n)")))
      << r.out;
}

TEST(Usage, ManPageAndCompletionsListEveryCommand) {
  const auto help = run("--help", false).out;
  const auto man = run("__docs man", false), bash = run("__docs bash", false), zsh = run("__docs zsh", false);
  ASSERT_EQ(man.code, 0);
  ASSERT_EQ(bash.code, 0);
  ASSERT_EQ(zsh.code, 0);
  // Options of a nested command reach all three.
  EXPECT_NE(man.out.find(".SS \"sirtkit calc mird\""), std::string::npos);
  EXPECT_NE(man.out.find("\\fB\\-\\-dose\\-gy\\fR"), std::string::npos);
  EXPECT_NE(bash.out.find("\"calc mird\") subs=\"\"; flags=\""), std::string::npos);
  EXPECT_NE(bash.out.find("--dose-gy"), std::string::npos);
  EXPECT_NE(zsh.out.find("_sirtkit_calc_mird()"), std::string::npos);
  // The hidden generator itself is in none of them, nor in --help.
  EXPECT_EQ(help.find("__docs"), std::string::npos);
  EXPECT_EQ(man.out.find(".SS \"sirtkit __docs"), std::string::npos);
  EXPECT_EQ(bash.out.find("\"__docs\")"), std::string::npos);
  EXPECT_EQ(zsh.out.find("__docs)"), std::string::npos);
}

}  // namespace

namespace {

// Every reader says the same thing about a file that is not there (exit 4):
// CSV tables, clinical CSVs, score CSVs, plan files, NIfTI images and key files.
TEST(Usage, OneMissingFileMessage) {
  const std::string none = "/nonexistent/sirtkit-missing";
  const std::pair<std::string, std::string> cases[] = {
      {"km " + none + ".csv --json", none + ".csv: no such file"},
      {"ctcae " + none + ".csv", none + ".csv: no such file"},
      {"score child-pugh --csv " + none + ".csv", none + ".csv: no such file"},
      {"plan " + none + ".toml", none + ".toml: no such file"},
      {"dvh " + none + ".nii.gz --labels " + none + ".nii.gz --voi t=1", none + ".nii.gz: no such file"},
      {"registry import x.sqlite --data a.csv --dictionary b.csv --key " + none + ".key --study S", ": no such file"},
  };
  for (const auto& [args, message] : cases) {
    const auto r = sirtkit::cli_test::run(args);
    EXPECT_EQ(r.code, 4) << args << "\n" << r.out;
    EXPECT_NE(r.out.find(message), std::string::npos) << args << "\n" << r.out;
    for (const char* old : {"file not found", "cannot open for reading", "no such key file"})
      EXPECT_EQ(r.out.find(old), std::string::npos) << args << "\n" << r.out;
  }
}

}  // namespace
