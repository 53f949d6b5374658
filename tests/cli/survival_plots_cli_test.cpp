// sirtkit km / subgroups / cox --out write their plots (SVG + PNG) beside the
// JSON; bad input exits 2 and writes nothing.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "run_sirtkit.h"

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <sys/wait.h>

namespace {

namespace fs = std::filesystem;

using sirtkit::cli_test::run;
using Run = sirtkit::cli_test::CliRun;

std::string survival(const std::string& name) { return std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/survival/" + name; }

fs::path fresh_dir(const std::string& name) { return sirtkit::cli_test::fresh_dir("sirtkit_plots_cli_" + name); }

using sirtkit::cli_test::slurp;

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

void expect_png(const fs::path& p) {
  const std::string png = slurp(p);
  ASSERT_GE(png.size(), 24u) << p;
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << p;
  EXPECT_EQ(png.substr(12, 4), "IHDR");
}

TEST(PlotsCli, KmWritesSvgAndPngBesideTheJson) {
  const auto dir = fresh_dir("km");
  const auto r = run("km " + survival("lung.csv") + " --group sex --ci-bands --median-lines --time-label Days --out " + dir.string());
  ASSERT_EQ(r.code, 0) << r.out;
  ASSERT_TRUE(fs::exists(dir / "km.json"));
  const std::string svg = slurp(dir / "km.svg");
  EXPECT_EQ(count(svg, "class=\"km-curve\""), 2u);  // one per sex
  EXPECT_EQ(count(svg, "class=\"km-ci\""), 2u);
  EXPECT_EQ(count(svg, "class=\"km-median\""), 2u);
  EXPECT_NE(svg.find("Log-rank p = 0.0013"), std::string::npos);  // R survdiff: p 0.0013111645
  EXPECT_NE(svg.find(">Days</text>"), std::string::npos);
  expect_png(dir / "km.png");
}

TEST(PlotsCli, KmOfStartStopRowsCountsLateEntriesAtRiskAsR) {
  // Stanford heart transplant (start, stop] rows. R: s <- summary(survfit(Surv(start, stop,
  // event) ~ transplant, heart), times = c(0, 500, 1000, 1500), extend = TRUE); s$n.risk
  // is 103 1 1 0 and 11 22 8 3: the transplanted enter late, so 11 are at risk at 0.
  const auto dir = fresh_dir("km_counting");
  const auto r = run("km " + survival("heart.csv") + " --start start --time stop --event event --group transplant --out " +
                     dir.string());
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string svg = slurp(dir / "km.svg");
  EXPECT_EQ(count(svg, "class=\"km-curve\""), 2u);
  const std::array<std::array<int, 4>, 2> r_n_risk{{{103, 1, 1, 0}, {11, 22, 8, 3}}};
  const std::array<int, 4> times{0, 500, 1000, 1500};
  for (int g = 0; g < 2; ++g)
    for (int k = 0; k < 4; ++k) {
      const std::string cell = fmt::format("data-group=\"transplant={}\" data-time=\"{}\"", g, times[k]);
      const auto at = svg.find(cell);
      ASSERT_NE(at, std::string::npos) << cell;
      const auto value = svg.substr(svg.find('>', at) + 1);
      EXPECT_EQ(std::stoi(value), r_n_risk[g][k]) << cell;
    }
  EXPECT_EQ(svg.find("Log-rank"), std::string::npos);  // survdiff takes right-censored rows only
  expect_png(dir / "km.png");
}

TEST(PlotsCli, NoOutNoPlotFiles) {
  const auto r = run("km " + survival("aml.csv") + " --json");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out.find("<svg"), std::string::npos);
}

TEST(PlotsCli, SubgroupsAndCoxWriteForestPlots) {
  const auto dir = fresh_dir("forest");
  auto r = run("subgroups " + survival("veteran.csv") + " --group trt --by celltype --out " + dir.string());
  ASSERT_EQ(r.code, 0) << r.out;
  std::string svg = slurp(dir / "forest.svg");
  EXPECT_EQ(count(svg, "class=\"forest-point\""), 4u);    // four cell types
  EXPECT_EQ(count(svg, "class=\"forest-diamond\""), 1u);  // overall
  EXPECT_NE(svg.find("interaction p = 0.0417"), std::string::npos);  // R anova LRT 8.2162 on 3 df
  expect_png(dir / "forest.png");
  ASSERT_TRUE(fs::exists(dir / "subgroups.json"));

  const auto cox_dir = fresh_dir("cox");
  r = run("cox " + survival("lung.csv") + " --covariates age,sex,ph.ecog --out " + cox_dir.string());
  ASSERT_EQ(r.code, 0) << r.out;
  svg = slurp(cox_dir / "forest.svg");
  EXPECT_EQ(count(svg, "class=\"forest-point\""), 3u);  // one per term
  EXPECT_NE(svg.find("data-label=\"ph.ecog\" data-hr=\"1.58999"), std::string::npos);  // R: HR 1.5900
  expect_png(cox_dir / "forest.png");
}

TEST(PlotsCli, BadInputWritesNoFile) {
  const auto csv = fs::temp_directory_path() / "sirtkit_plots_cli_bad.csv";
  std::ofstream(csv) << "time,status,arm\n5,1,A\n-3,0,B\n7,1,B\n";
  const auto dir = fresh_dir("bad");
  for (const std::string cmd : {"km", "subgroups", "cox"}) {
    const std::string extra = cmd == "subgroups" ? " --group arm --by arm" : cmd == "cox" ? " --group arm" : " --group arm";
    const auto r = run(cmd + " " + csv.string() + extra + " --out " + dir.string());
    EXPECT_EQ(r.code, 2) << cmd << ": " << r.out;
    EXPECT_NE(r.out.find("line 3"), std::string::npos) << r.out;
    EXPECT_TRUE(!fs::exists(dir) || fs::is_empty(dir)) << cmd;
  }
}

}  // namespace
