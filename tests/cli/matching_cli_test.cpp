// sirtkit match and iptw run as a user would, against the MatchIt 4.5.1 and R
// goldens of tests/data/matching (matching.R, iptw.R): with plain flags (the
// default rule, matchit-4.5.1) the same matched sets, weights, subclasses and
// balance table as matchit() + summary(), with a warning counting where that
// differs from true nearest neighbours (--rule exact); the IPT weights and balance as iptw.R; the matched
// cohort written to matched.csv then analysed by sirtkit cox --weights
// weights --cluster subclass gives coxph's coefficient and robust SE; and bad
// input (non-binary treatment, missing, constant or separating covariate) is
// refused with exit 2 naming the file, column and value.

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "run_sirtkit.h"

namespace {

using sirtkit::cli_test::run;

std::string src(const std::string& f) { return std::string(SIRTKIT_SOURCE_DIR) + "/" + f; }

nlohmann::json golden(const std::string& name) {
  std::ifstream in(src("tests/data/matching/" + name + ".expected.json"));
  return nlohmann::json::parse(in);
}

double num(const nlohmann::json& j) { return j.is_null() ? NAN : j.get<double>(); }

// 1e-6 relative (the hidden goldens' tolerance), or 1e-9 absolute near zero; null == NaN.
::testing::AssertionResult close(const nlohmann::json& a, const nlohmann::json& e) {
  const double x = num(a), y = num(e);
  if (std::isnan(x) && std::isnan(y)) return ::testing::AssertionSuccess();
  if (std::fabs(x - y) <= 1e-6 * std::fabs(y) || std::fabs(x - y) < 1e-9) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << a.dump() << " vs " << e.dump();
}

nlohmann::json as_array(const nlohmann::json& j) { return j.is_array() ? j : nlohmann::json::array({j}); }

void expect_table(const nlohmann::json& got, const nlohmann::json& want, bool pairs) {
  const auto& terms = want["terms"];
  ASSERT_EQ(got.size(), terms.size());
  for (std::size_t k = 0; k < terms.size(); ++k) {
    SCOPED_TRACE(terms[k].get<std::string>());
    EXPECT_EQ(got[k]["term"], terms[k]);
    for (const char* f : {"means_treated", "means_control", "smd", "variance_ratio", "ecdf_mean", "ecdf_max"})
      EXPECT_TRUE(close(got[k][f], want[f][k])) << f;
    if (pairs) EXPECT_TRUE(close(got[k]["pair_distance"], want["pair_distance"][k]));
  }
}

TEST(MatchCli, SameMatchedSetsAndBalanceAsMatchIt451) {
  const auto all = golden("matching");
  ASSERT_GT(all["cases"].size(), 2u);
  for (const auto& g : all["cases"]) {
    SCOPED_TRACE(g["name"].get<std::string>());
    const auto r = run("match " + src(g["file"]) + " " + g["cli"].get<std::string>() + " --json", false);
    ASSERT_EQ(r.code, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    for (std::size_t k = 0; k < g["model"]["coef"].size(); ++k) {
      EXPECT_EQ(j["model"]["terms"][k], g["model"]["terms"][k]);
      EXPECT_TRUE(close(j["model"]["coef"][k], g["model"]["coef"][k]));
      EXPECT_TRUE(close(j["model"]["se"][k], g["model"]["se"][k]));
    }
    EXPECT_TRUE(close(j["method"]["caliper"], g["caliper"]));
    ASSERT_EQ(j["matches"].size(), g["treated_rows"].size());
    std::size_t differing = 0;
    for (std::size_t t = 0; t < j["matches"].size(); ++t) {
      EXPECT_EQ(j["matches"][t]["treated_row"], g["treated_rows"][t]);
      nlohmann::json want = nlohmann::json::array();
      for (const auto& c : as_array(g["matches"][t]))
        if (!c.is_null()) want.push_back(c);
      differing += j["matches"][t]["control_rows"] != want;
    }
    EXPECT_EQ(differing, 0u);
    for (std::size_t i = 0; i < g["weights"].size(); ++i) {
      EXPECT_TRUE(close(j["rows"]["distance"][i], g["distance"][i])) << i;
      EXPECT_TRUE(close(j["rows"]["weights"][i], g["weights"][i])) << i;
      EXPECT_EQ(j["rows"]["subclass"][i], g["subclass"].is_array() ? g["subclass"][i] : nlohmann::json()) << i;
    }
    expect_table(j["balance_all"], g["balance_all"], false);
    expect_table(j["balance_matched"], g["balance_matched"], true);
    EXPECT_EQ(j["n"]["matched_treated"].get<double>(), g["nn"]["matched_treated"].get<double>());
    EXPECT_EQ(j["n"]["matched_control"].get<double>(), g["nn"]["matched_control"].get<double>());
    EXPECT_TRUE(close(j["n"]["ess_control"], g["nn"]["ess_control"]));
  }
}

TEST(MatchCli, MatchedCohortCoxWithClusteredRobustSeAsCoxph) {
  const auto all = golden("matching");
  const auto g = all["cases"][6];  // sim_default
  ASSERT_EQ(g["name"], "sim_default");
  const auto dir = sirtkit::cli_test::fresh_dir("sirtkit_match_cli");
  auto r = run("match " + src(g["file"]) + " " + g["cli"].get<std::string>() + " --out " + dir.string(), false);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_TRUE(std::filesystem::exists(dir / "love_plot.svg"));
  r = run("cox " + (dir / "matched.csv").string() + " --time time --event status --covariates sirt --weights weights --cluster subclass --json",
          false);
  ASSERT_EQ(r.code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  // The coefficient and the robust SE (clustered on the matched set) as coxph(weights =, cluster = subclass).
  EXPECT_TRUE(close(j["coef"][0], g["cox"]["coef"])) << j.dump();
  EXPECT_TRUE(close(j["robust_se"][0], g["cox"]["robust_se"])) << j.dump();
  EXPECT_TRUE(close(j["se"][0], g["cox"]["naive_se"])) << j.dump();
  std::filesystem::remove_all(dir);
}

TEST(IptwCli, WeightsModelAndBalanceAsR) {
  const auto all = golden("iptw");
  ASSERT_GT(all["cases"].size(), 2u);
  for (const auto& g : all["cases"]) {
    SCOPED_TRACE(g["name"].get<std::string>());
    const auto dir = sirtkit::cli_test::fresh_dir("sirtkit_iptw_cli");
    const auto r = run("iptw " + src(g["file"]) + " " + g["cli"].get<std::string>() + " --json --out " + dir.string(), false);
    ASSERT_EQ(r.code, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_TRUE(close(j["model"]["deviance"], g["model"]["deviance"]));
    for (std::size_t i = 0; i < g["weights"].size(); ++i) {
      EXPECT_TRUE(close(j["rows"]["weights"][i], g["weights"][i])) << i;
      EXPECT_TRUE(close(j["rows"]["propensity"][i], g["propensity"][i])) << i;
    }
    EXPECT_TRUE(close(j["n"]["ess_treated"], g["ess_treated"]));
    EXPECT_TRUE(close(j["n"]["ess_control"], g["ess_control"]));
    expect_table(j["balance_all"], g["balance_all"], false);
    expect_table(j["balance_weighted"], g["balance_weighted"], false);
    // weighted.csv: every input row with the same weights, read back by cox --weights.
    if (g.contains("cox")) {
      const auto c = run("cox " + (dir / "weighted.csv").string() + " --time time --event status --covariates sirt --weights weights --json", false);
      ASSERT_EQ(c.code, 0) << c.out;
      const auto cj = nlohmann::json::parse(c.out);
      EXPECT_TRUE(close(cj["coef"][0], g["cox"]["coef"])) << cj.dump();
      EXPECT_TRUE(close(cj["robust_se"][0], g["cox"]["robust_se"])) << cj.dump();
    }
    std::filesystem::remove_all(dir);
  }
}

TEST(MatchCli, ExactRuleMatchesOnExactDistancesAsMatchItsMatrixPath) {
  // --rule exact: the same treated units matched, each to a control at the
  // same distance as MatchIt's unrounded distance-matrix path picks (matching.R,
  // "nearest"); only controls with identical distances may be swapped (the
  // two MatchIt paths order such ties differently); every pair within the caliper.
  const auto all = golden("matching");
  ASSERT_GT(all["nearest"].size(), 2u);
  for (const auto& g : all["nearest"]) {
    SCOPED_TRACE(g["name"].get<std::string>());
    const auto r = run("match " + src(g["file"]) + " " + g["cli"].get<std::string>() + " --rule exact --json", false);
    ASSERT_EQ(r.code, 0) << r.out;
    const auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["method"]["rule"], "exact");
    EXPECT_FALSE(j.contains("rule_differences"));
    const auto& d = j["rows"]["distance"];
    std::map<std::size_t, std::size_t> got;
    for (const auto& m : j["matches"])
      if (!m["control_rows"].empty()) got[m["treated_row"].get<std::size_t>()] = m["control_rows"][0].get<std::size_t>();
    ASSERT_EQ(got.size(), g["treated_rows"].size());
    std::size_t swapped = 0;
    for (std::size_t k = 0; k < g["treated_rows"].size(); ++k) {
      const std::size_t t = g["treated_rows"][k], c = g["control_rows"][k];
      ASSERT_TRUE(got.count(t)) << t;
      EXPECT_EQ(d[got[t] - 1].get<double>(), d[c - 1].get<double>()) << "treated row " << t;
      swapped += got[t] != c;
      if (!j["method"]["caliper"].is_null())
        EXPECT_LE(std::fabs(d[t - 1].get<double>() - d[got[t] - 1].get<double>()), j["method"]["caliper"].get<double>());
    }
    EXPECT_LE(swapped, 12u);
  }
}

std::size_t count_containing(const nlohmann::json& warnings, const std::string& text) {
  std::size_t n = 0;
  for (const auto& w : warnings) n += w.get<std::string>().find(text) != std::string::npos ? 1 : 0;
  return n;
}

TEST(MatchCli, DefaultRuleWarnsWhereItDiffersFromTrueNearestNeighbours) {
  // For every golden case: the treated units whose controls differ between the
  // default (MatchIt 4.5.1) run and a --rule exact run, and the default's pairs
  // farther apart than the caliper, counted here from the two outputs, are the
  // counts the default run reports (JSON and the warning text).
  const auto all = golden("matching");
  std::size_t cases_differing = 0, cases_outside = 0;
  for (const auto& g : all["cases"]) {
    SCOPED_TRACE(g["name"].get<std::string>());
    const std::string cmd = "match " + src(g["file"]) + " " + g["cli"].get<std::string>();
    const auto a = run(cmd + " --json", false), b = run(cmd + " --rule exact --json", false);
    ASSERT_EQ(a.code, 0) << a.out;
    ASSERT_EQ(b.code, 0) << b.out;
    const auto ja = nlohmann::json::parse(a.out), jb = nlohmann::json::parse(b.out);
    EXPECT_EQ(ja["method"]["rule"], "matchit-4.5.1");
    ASSERT_EQ(ja["matches"].size(), jb["matches"].size());
    std::size_t differing = 0, outside = 0;
    const auto& d = ja["rows"]["distance"];
    for (std::size_t t = 0; t < ja["matches"].size(); ++t) {
      const auto& m = ja["matches"][t];
      differing += m["control_rows"] != jb["matches"][t]["control_rows"];
      if (!ja["method"]["caliper"].is_null())
        for (const auto& c : m["control_rows"])
          outside += std::fabs(d[m["treated_row"].get<std::size_t>() - 1].get<double>() - d[c.get<std::size_t>() - 1].get<double>()) >
                     ja["method"]["caliper"].get<double>();
    }
    const auto& rd = ja["rule_differences"];
    EXPECT_EQ(rd["treated_with_different_controls"].get<std::size_t>(), differing);
    EXPECT_EQ(count_containing(ja["warnings"], "got a different control"), differing > 0 ? 1u : 0u) << ja["warnings"];
    for (const auto& w : ja["warnings"])
      if (w.get<std::string>().find("got a different control") != std::string::npos)
        EXPECT_EQ(w.get<std::string>().rfind(std::to_string(differing) + " of ", 0), 0u) << w;
    EXPECT_EQ(count_containing(ja["warnings"], "--rule exact"), (differing > 0 ? 1u : 0u) + (outside > 0 ? 1u : 0u)) << ja["warnings"];
    if (ja["method"]["caliper"].is_null()) {
      EXPECT_TRUE(rd["pairs_outside_caliper"].is_null());
    } else {
      EXPECT_EQ(rd["pairs_outside_caliper"].get<std::size_t>(), outside);
      EXPECT_EQ(rd["unmatched_treated_with_rule_exact"], jb["n"]["unmatched_treated"]);
    }
    cases_differing += differing > 0;
    cases_outside += outside > 0;
    // The text summary carries the same warnings.
    if (differing > 0) {
      const auto text = run(cmd, false);
      EXPECT_NE(text.out.find("warning: " + std::to_string(differing) + " of "), std::string::npos) << text.out;
    }
  }
  EXPECT_GT(cases_differing, 0u);  // lalonde on the probability scale: 6 of 185 pairs differ (docs/matching.md)
  EXPECT_GT(cases_outside, 0u);
}

TEST(MatchCli, CompatFlagIsTheDefaultRule) {
  const auto all = golden("matching");
  const auto& g = all["cases"][0];
  const std::string cmd = "match " + src(g["file"]) + " " + g["cli"].get<std::string>() + " --json";
  const auto a = run(cmd, false), b = run(cmd + " --compat matchit-4.5.1", false);
  ASSERT_EQ(a.code, 0) << a.out;
  ASSERT_EQ(b.code, 0) << b.out;
  EXPECT_EQ(nlohmann::json::parse(a.out)["matches"], nlohmann::json::parse(b.out)["matches"]);
  EXPECT_NE(run(cmd + " --compat matchit-4.5.1 --rule exact", false).code, 0);
}

std::filesystem::path write_csv(const std::string& name, const std::string& text) {
  const auto p = std::filesystem::temp_directory_path() / ("sirtkit_match_cli_" + name + ".csv");
  std::ofstream(p) << text;
  return p;
}

TEST(MatchCli, LogicalTreatmentMatchesAsZeroOne) {
  // treat written FALSE/TRUE (a logical column, which MatchIt accepts) gives the same matches as 0/1.
  std::ifstream in(src("tests/data/matching/lalonde.csv"));
  std::string text, line;
  std::getline(in, line);
  text = line + "\n";
  while (std::getline(in, line)) text += (line[0] == '1' ? "TRUE" : "FALSE") + line.substr(1) + "\n";
  const auto p = write_csv("logical", text);
  const std::string args = " --treatment treat --covariates age,educ,race,married,nodegree,re74,re75 --ratio 2 --json";
  const auto a = run("match " + p.string() + args, false), b = run("match " + src("tests/data/matching/lalonde.csv") + args, false);
  ASSERT_EQ(a.code, 0) << a.out;
  ASSERT_EQ(b.code, 0) << b.out;
  EXPECT_EQ(nlohmann::json::parse(a.out)["matches"], nlohmann::json::parse(b.out)["matches"]);
  std::filesystem::remove(p);
}

TEST(MatchCli, BadInputIsRefusedNamingFileColumnAndValue) {
  const auto bad_treat = write_csv("treat", "treat,age\n1,30\n2,40\n0,50\n1,20\n0,60\n");
  auto r = run("match " + bad_treat.string() + " --treatment treat --covariates age");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("line 3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("treat = 2"), std::string::npos) << r.out;
  const auto missing = write_csv("missing", "treat,age\n1,30\n0,NA\n0,50\n1,20\n0,60\n");
  r = run("iptw " + missing.string() + " --treatment treat --covariates age");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("line 3: age"), std::string::npos) << r.out;
  r = run("iptw " + missing.string() + " --treatment treat --covariates weight");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("weight"), std::string::npos) << r.out;
  const auto constant = write_csv("constant", "treat,age,sex\n1,30,1\n0,40,1\n0,50,1\n1,20,1\n0,60,1\n");
  r = run("match " + constant.string() + " --treatment treat --covariates age,sex");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("sex"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("varies"), std::string::npos) << r.out;
  const auto separated = write_csv("separated", "treat,age\n1,70\n0,40\n0,50\n1,80\n0,60\n1,75\n");
  r = run("match " + separated.string() + " --treatment treat --covariates age");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("age"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("separation"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(separated.string()), std::string::npos) << r.out;
  const auto dir = sirtkit::cli_test::fresh_dir("sirtkit_match_cli_bad");
  std::filesystem::remove_all(dir);
  r = run("match " + separated.string() + " --treatment treat --covariates age --out " + dir.string());
  EXPECT_FALSE(std::filesystem::exists(dir / "matched.csv"));
  for (const auto& p : {bad_treat, missing, constant, separated}) std::filesystem::remove(p);
}

}  // namespace
