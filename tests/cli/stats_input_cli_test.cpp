// Issue 11 section D: statistics input that must not be misread, run through
// the CLI as a user would. R goldens: tests/data/survival/input/stats_input.R
// (R 4.2.2, survival 3.5-3) wrote stats_input.expected.json, lung_r12.csv
// (survival::lung as R ships it, status 1 = censored / 2 = dead) and
// spaces.csv (a group level " B" beside "B").

#include <gtest/gtest.h>

#include "run_sirtkit.h"

#include <cmath>
#include <filesystem>
#include <iterator>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using nlohmann::json;
using sirtkit::cli_test::run;

std::string input(const std::string& name) { return std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/survival/input/" + name; }

const json& golden() {
  static const json g = [] {
    std::ifstream in(input("stats_input.expected.json"));
    return json::parse(in);
  }();
  return g;
}

bool rel(double a, double e, double tol) { return std::fabs(a - e) <= tol * std::max(1.0, std::fabs(e)); }

std::string temp_file(const std::string& name, const std::string& bytes) {
  const auto path = std::filesystem::temp_directory_path() / ("sirtkit_stats_input_" + name);
  std::ofstream(path, std::ios::binary) << bytes;
  return path.string();
}

json json_of(const std::string& args) {
  const auto r = run(args + " --json", false);
  EXPECT_EQ(r.code, 0) << args << "\n" << r.out;
  try {
    return json::parse(r.out);
  } catch (...) {
    ADD_FAILURE() << "not JSON: " << r.out;
    return json();
  }
}

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// ---- 13. encodings ---------------------------------------------------------

// Two arms, one written in ISO-8859-1 ("H\xF4pital" = Hôpital): line 2 is its first row.
std::string latin1_csv() {
  std::string s = "time,status,arm,age,site,r1,r2\n";
  const char* arms[] = {"Clinic", "H\xF4pital"};
  for (int i = 0; i < 24; ++i)
    s += std::to_string(3 + (i * 7) % 29) + "," + std::to_string(i % 3 != 0) + "," + arms[(i + 1) % 2] + "," +
         std::to_string(50 + (i * 5) % 23) + "," + (i % 2 ? "north" : "south") + "," + (i % 3 ? "PR" : "SD") + "," +
         (i % 4 ? "PR" : "SD") + "\n";
  return s;
}

const std::vector<std::string>& commands_reading_csv() {
  static const std::vector<std::string> c{
      "km {} --group arm",
      "logrank {} --group arm",
      "cox {} --group arm --covariates age",
      "cox {} --covariates age,arm --univariable",
      "subgroups {} --group arm --by site",
      "kappa {} --rater1 arm --rater2 r2",
      "compare {} --value age --by arm",
      "table1 {} --by arm --vars age,r1",
  };
  return c;
}

std::string with_file(std::string pattern, const std::string& file) { return pattern.replace(pattern.find("{}"), 2, file); }

TEST(StatsInputCli, Latin1BytesAreBadInputNamingLineAndColumnInEveryCommand) {
  const std::string csv = temp_file("latin1.csv", latin1_csv());
  for (const auto& c : commands_reading_csv()) {
    const auto out_dir = sirtkit::cli_test::fresh_dir("sirtkit_stats_input_latin1_out");
    const bool has_out = c.rfind("compare", 0) != 0;  // compare prints only
    const auto r = run(with_file(c, csv) + " --json" + (has_out ? " --out " + out_dir.string() : ""));
    EXPECT_EQ(r.code, 2) << c << "\n" << r.out;
    EXPECT_TRUE(has(r.out, "line 2, column 3 (arm)")) << c << "\n" << r.out;
    EXPECT_TRUE(has(r.out, "0xF4")) << c << "\n" << r.out;
    EXPECT_TRUE(has(r.out, "--encoding latin1")) << c << "\n" << r.out;
    EXPECT_FALSE(has(r.out, "internal")) << c << "\n" << r.out;
    EXPECT_FALSE(std::filesystem::exists(out_dir)) << c << ": output left behind";
  }
}

TEST(StatsInputCli, EncodingLatin1TranscodesInEveryCommand) {
  const std::string csv = temp_file("latin1.csv", latin1_csv());
  for (const auto& c : commands_reading_csv()) {
    const auto r = run(with_file(c, csv) + " --json --encoding latin1", false);
    ASSERT_EQ(r.code, 0) << c << "\n" << r.out;
    const json j = json::parse(r.out);  // valid JSON: every label is UTF-8 now
    EXPECT_TRUE(has(r.out, "H\xC3\xB4pital")) << c << "\n" << r.out;
  }
  // The same numbers as the file saved as UTF-8.
  std::string utf8 = latin1_csv();
  for (auto p = utf8.find('\xF4'); p != std::string::npos; p = utf8.find('\xF4', p)) utf8.replace(p, 1, "\xC3\xB4");
  const auto a = json_of("logrank " + csv + " --group arm --encoding windows-1252");
  const auto b = json_of("logrank " + temp_file("utf8.csv", utf8) + " --group arm");
  EXPECT_EQ(a["chisq"], b["chisq"]);
  EXPECT_EQ(a["groups"], b["groups"]);
}

// The plot of `km --out` carries the log-rank p of the same file read the same
// way: with --encoding latin1 it is drawn (the second reading once ignored the
// option and refused the file).
TEST(StatsInputCli, KmPlotOfALatin1FileCarriesTheLogRankP) {
  const std::string csv = temp_file("latin1.csv", latin1_csv());
  const auto out_dir = sirtkit::cli_test::fresh_dir("sirtkit_stats_input_latin1_plot");
  const auto r = run("km " + csv + " --group arm --encoding latin1 --out " + out_dir.string(), false);
  ASSERT_EQ(r.code, 0) << r.out;
  std::ifstream in(out_dir / "km.svg");
  const std::string svg((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_TRUE(has(svg, "class=\"km-test\"")) << svg.substr(0, 300);
  EXPECT_TRUE(has(svg, "H\xC3\xB4pital"));
}

// ---- 14. spaces, singular variance, text in a numeric covariate -------------

TEST(StatsInputCli, LevelWithLeadingSpaceIsItsOwnGroupAsInReadCsv) {
  const auto& g = golden();
  const auto j = json_of("logrank " + input("spaces.csv") + " --group arm");
  ASSERT_EQ(j["groups"].size(), g["spaces_levels"].get<std::size_t>());
  EXPECT_TRUE(rel(j["chisq"], g["spaces_chisq"], 1e-9)) << j["chisq"] << " vs R " << g["spaces_chisq"];
  EXPECT_EQ(j["df"], g["spaces_df"]);
  // R's level order: " B" (space first), "A", "B".
  EXPECT_EQ(j["groups"][0]["group"], "arm= B");
  EXPECT_EQ(j["groups"][0]["n"], g["spaces_n"][0]);
  EXPECT_EQ(j["groups"][2]["n"], g["spaces_n"][2]);
  ASSERT_FALSE(j["warnings"].empty());
  EXPECT_TRUE(has(j["warnings"][0].get<std::string>(), "\" B\" has surrounding spaces")) << j["warnings"];
  const auto text = run("logrank " + input("spaces.csv") + " --group arm");
  EXPECT_TRUE(has(text.out, "sirtkit: warning: arm level \" B\"")) << text.out;  // on stderr as well
}

TEST(StatsInputCli, NumbersWithSpacesAreNumbersAndBlankNumbersMissing) {
  ASSERT_EQ(golden()["spaces_age_is_numeric"], 1);  // read.csv: " 61" and "62 " are numbers
  const std::string plain = "time,status,age\n5,1,61\n8,0,62\n9,1,70\n12,1,55\n15,0,58\n20,1,66\n22,1,49\n30,0,80\n4,1,50\n";
  std::string spaced = plain;
  for (auto p = spaced.find(",6"); p != std::string::npos; p = spaced.find(",6", p + 2)) spaced.replace(p, 2, ", 6");
  spaced += "25,1, \n";  // a blank age: missing, as R's read.csv makes it NA
  const auto a = json_of("cox " + temp_file("plain.csv", plain) + " --covariates age");
  const auto b = json_of("cox " + temp_file("spaced.csv", spaced) + " --covariates age");
  EXPECT_EQ(a["coef"], b["coef"]);
  EXPECT_EQ(b["rows_dropped"], 1);
}

TEST(StatsInputCli, SingularLogRankVarianceIsRefusedAsRRefusesIt) {
  // Everyone has the event at one time: survdiff's solve() stops ("exactly singular").
  const auto r = run("logrank " + temp_file("singular.csv", "time,status,g\n5,1,A\n5,1,B\n5,1,A\n5,1,B\n") + " --group g");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_TRUE(has(r.out, "singular")) << r.out;
  EXPECT_FALSE(has(r.out, "Chisq")) << r.out;
  // Only one group has anyone at risk at an event time: R prints Chisq = 0 on 0 df.
  const auto r2 = run("logrank " + temp_file("oneexp.csv", "time,status,g\n1,0,A\n2,0,A\n3,0,A\n10,1,B\n11,1,B\n12,1,B\n") +
                      " --group g");
  EXPECT_EQ(r2.code, 2) << r2.out;
  EXPECT_TRUE(has(r2.out, "expected count")) << r2.out;
}

TEST(StatsInputCli, TextCellInNumericCovariateIsNamed) {
  const std::string csv = temp_file("textcell.csv",
                                    "time,status,age,patient_id\n5,1,61,11\n8,0,62,12\n9,1,unknown,13\n12,1,55,x14\n15,0,58,15\n");
  const auto r = run("cox " + csv + " --covariates age");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_TRUE(has(r.out, "line 4, column age")) << r.out;
  EXPECT_TRUE(has(r.out, "unknown")) << r.out;
  EXPECT_TRUE(has(r.out, "--factor")) << r.out;
  // " NA" is text to read.csv, not missing: named, not dropped in silence.
  const auto r2 = run("cox " + temp_file("spacena.csv", "time,status,age\n5,1,61\n8,0, NA\n9,1,70\n12,1,55\n") + " --covariates age");
  EXPECT_EQ(r2.code, 2) << r2.out;
  EXPECT_TRUE(has(r2.out, "line 3, column age")) << r2.out;
  // An identifier column's value is never shown.
  const auto r3 = run("cox " + csv + " --covariates patient_id");
  EXPECT_EQ(r3.code, 2) << r3.out;
  EXPECT_TRUE(has(r3.out, "line 5, column patient_id")) << r3.out;
  EXPECT_FALSE(has(r3.out, "x14")) << r3.out;
}

// ---- 15. R's 1/2 status coding and analyses without events -----------------

TEST(StatsInputCli, LungWithRStatusCodingMatchesR) {
  const auto& g = golden();
  const std::string lung = input("lung_r12.csv");
  const auto refused = run("km " + lung);
  EXPECT_EQ(refused.code, 2) << refused.out;
  EXPECT_TRUE(has(refused.out, "--event-coding r12")) << refused.out;
  const auto km = json_of("km " + lung + " --event-coding r12 --times 180,365");
  const auto& all = km["curves"][0];
  EXPECT_EQ(all["n"], g["lung_n"]);
  EXPECT_EQ(all["events"], g["lung_events"]);
  EXPECT_EQ(all["median"]["median"], g["lung_median"]);
  for (int k = 0; k < 2; ++k) {
    EXPECT_TRUE(rel(all["at_times"][k]["surv"], g["lung_surv_180_365"][k], 1e-10));
    EXPECT_TRUE(rel(all["at_times"][k]["lower"], g["lung_lower_180_365"][k], 1e-10));
    EXPECT_TRUE(rel(all["at_times"][k]["upper"], g["lung_upper_180_365"][k], 1e-10));
  }
  EXPECT_TRUE(km["warnings"].empty()) << km["warnings"];
  const auto lr = json_of("logrank " + lung + " --event-coding r12 --group sex");
  EXPECT_TRUE(rel(lr["chisq"], g["lung_logrank_sex_chisq"], 1e-9));
  const auto cox = json_of("cox " + lung + " --event-coding r12 --covariates age,sex");
  for (int k = 0; k < 2; ++k) {
    EXPECT_TRUE(rel(cox["coef"][k], g["lung_cox_coef"][k], 1e-6));
    EXPECT_TRUE(rel(cox["se"][k], g["lung_cox_se"][k], 1e-6));
  }
}

TEST(StatsInputCli, NoEventAndSameStatusEverywhereAreWarnedLoudly) {
  const std::string lung = input("lung_r12.csv");
  // CNSR on R's 1/2 codes: every row is "censored". Answered, but never silently.
  const auto km = json_of("km " + lung + " --event-coding cnsr");
  EXPECT_EQ(km["curves"][0]["events"], 0);
  ASSERT_EQ(km["warnings"].size(), 1u) << km["warnings"];
  const std::string w = km["warnings"][0];
  EXPECT_TRUE(has(w, "no events: all 228 rows are censored")) << w;
  EXPECT_TRUE(has(w, "--event-coding r12")) << w;
  const auto text = run("km " + lung + " --event-coding cnsr");
  EXPECT_EQ(text.code, 0);
  EXPECT_TRUE(has(text.out, "sirtkit: warning: no events")) << text.out;
  // Tests need events: refused, with the same hint.
  const auto lr = run("logrank " + lung + " --event-coding cnsr --group sex");
  EXPECT_EQ(lr.code, 2) << lr.out;
  EXPECT_TRUE(has(lr.out, "--event-coding r12")) << lr.out;
  // Every row an event.
  const auto all = json_of("km " + temp_file("allevents.csv", "time,status\n1,1\n2,1\n3,1\n"));
  ASSERT_EQ(all["warnings"].size(), 1u);
  EXPECT_TRUE(has(all["warnings"][0].get<std::string>(), "every one of the 3 rows is an event")) << all["warnings"];
}

// ---- 16. concordance standard error, extend = TRUE ------------------------

TEST(StatsInputCli, CoxConcordanceStandardErrorMatchesR) {
  const auto& g = golden();
  const std::string lung = input("lung_r12.csv");
  const auto a = json_of("cox " + lung + " --event-coding r12 --covariates age,sex");
  EXPECT_TRUE(rel(a["concordance"], g["lung_cox_concordance"], 1e-12));
  EXPECT_TRUE(rel(a["concordance_se"], g["lung_cox_concordance_se"], 1e-9)) << a["concordance_se"];
  const auto b = json_of("cox " + lung + " --event-coding r12 --covariates age,ph.ecog --strata sex --ties breslow");
  EXPECT_TRUE(rel(b["concordance"], g["lung_cox_strata_concordance"], 1e-12));
  EXPECT_TRUE(rel(b["concordance_se"], g["lung_cox_strata_concordance_se"], 1e-9)) << b["concordance_se"];
  const auto text = run("cox " + lung + " --event-coding r12 --covariates age,sex");
  EXPECT_TRUE(has(text.out, "Concordance = 0.603  (se = 0.025)")) << text.out;
}

TEST(StatsInputCli, KmExtendCarriesTheLastValuePastAGroupsEndAsR) {
  const auto& g = golden();
  const std::string args = "km " + input("lung_r12.csv") + " --event-coding r12 --group sex --times 100,900,1100";
  const auto plain = json_of(args);
  EXPECT_TRUE(plain["curves"][1]["at_times"][2]["beyond_follow_up"].get<bool>());
  EXPECT_TRUE(plain["curves"][1]["at_times"][2]["surv"].is_null());
  const auto ext = json_of(args + " --extend");
  for (int s = 0; s < 2; ++s)
    for (int t = 0; t < 3; ++t) {
      const auto& a = ext["curves"][1 + s]["at_times"][t];
      const std::size_t k = static_cast<std::size_t>(3 * s + t);
      EXPECT_EQ(a["n_risk"], g["lung_extend_n_risk"][k]) << s << " " << t;
      EXPECT_TRUE(rel(a["surv"], g["lung_extend_surv"][k], 1e-10)) << s << " " << t;
      EXPECT_TRUE(rel(a["lower"], g["lung_extend_lower"][k], 1e-10)) << s << " " << t;
      EXPECT_TRUE(rel(a["upper"], g["lung_extend_upper"][k], 1e-10)) << s << " " << t;
      EXPECT_EQ(a["extended"].get<bool>(), t == 2);
    }
}

}  // namespace
