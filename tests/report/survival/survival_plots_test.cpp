#include "report/survival/survival_plots.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

namespace sirtkit::report {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

stats::KmCurve two_deaths(std::int64_t n) {
  stats::KmCurve c;
  c.n = n;
  c.events = 2;
  c.time = {5, 10};
  c.n_risk = {n, n - 1};
  c.n_event = {1, 1};
  c.n_censor = {0, n - 2};
  c.surv = {1 - 1.0 / n, (1 - 1.0 / n) * (1 - 1.0 / (n - 1))};
  c.se_log_surv = {0.1, 0.2};
  c.lower = {0.5, 0.3};
  c.upper = {1, 1};
  return c;
}

KmAnalysis grouped() {
  KmAnalysis km;
  km.time_unit = "months";
  km.curves = {{"all", two_deaths(8)}, {"sex=Male", two_deaths(4)}, {"sex=Female", two_deaths(4)}};
  return km;
}

// With groups the plot draws them, not the curve of all subjects; the axis
// carries the time unit; the p given is shown.
TEST(SurvivalPlotsRender, KmPlotDrawsTheGroupsWithTheTimeUnit) {
  KmPlotRequest plot;
  plot.time_column = "AVAL";
  plot.group_column = "sex";
  plot.test_p = 0.0123;
  const auto files = km_plot_files(grouped(), plot);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].first, "km.svg");
  EXPECT_EQ(files[1].first, "km.png");
  EXPECT_EQ(files[1].second.substr(1, 3), "PNG");
  const std::string& svg = files[0].second;
  EXPECT_TRUE(has(svg, "Kaplan-Meier estimate by sex")) << svg.substr(0, 400);
  EXPECT_TRUE(has(svg, "AVAL (months)"));
  EXPECT_TRUE(has(svg, "class=\"km-curve\" data-group=\"sex=Male\""));
  EXPECT_TRUE(has(svg, "class=\"km-curve\" data-group=\"sex=Female\""));
  EXPECT_FALSE(has(svg, "data-group=\"all\""));
  EXPECT_EQ(km_plot_groups_with_events(grouped()), 2u);
}

// Case weights below 1 (IPT weights): the plot still steps at each death and
// marks each censoring (the weighted counts, 0.4 each, are not whole numbers),
// and its risk table gives the summed weights, not truncated ones.
TEST(SurvivalPlotsRender, KmPlotOfWeightedCurvesStepsAtEveryEventAndShowsTheWeightedRisk) {
  KmAnalysis plain = grouped(), weighted = grouped();
  for (auto& g : weighted.curves) {
    auto& c = g.curve;
    for (std::size_t i = 0; i < c.size(); ++i) {
      c.weighted_n_risk.push_back(0.4 * static_cast<double>(c.n_risk[i]));
      c.weighted_n_event.push_back(0.4 * static_cast<double>(c.n_event[i]));
      c.weighted_n_censor.push_back(0.4 * static_cast<double>(c.n_censor[i]));
    }
  }
  KmPlotRequest plot;
  plot.time_column = "AVAL";
  plot.group_column = "sex";
  const std::string a = km_plot_files(plain, plot)[0].second, b = km_plot_files(weighted, plot)[0].second;
  auto curve_paths = [](const std::string& svg) {
    std::string out;
    for (std::size_t at = svg.find("class=\"km-curve\""); at != std::string::npos; at = svg.find("class=\"km-curve\"", at + 1))
      out += svg.substr(at, svg.find("/>", at) - at) + "\n";
    return out;
  };
  EXPECT_FALSE(curve_paths(a).empty());
  EXPECT_EQ(curve_paths(a), curve_paths(b));  // same steps: the surv values are the same
  EXPECT_TRUE(has(b, "Number at risk (sum of case weights)"));
  EXPECT_TRUE(has(b, ">1.6</text>")) << "4 at risk at time 0, weight 0.4 each";
  EXPECT_FALSE(has(a, "sum of case weights"));
  EXPECT_TRUE(has(a, ">4</text>"));
}

TEST(SurvivalPlotsRender, SubgroupForestLevelsUnderTheirHeading) {
  SubgroupEffects s;
  s.conf_level = 0.9;
  SubgroupsBy g;
  g.by = "celltype";
  g.effect = "trt=2 vs 1";
  g.levels = {"celltype=large", "celltype=small"};
  g.analysis.levels = {{20, 15, true, 0.1, 0.2, 1.5, 0.9, 2.5, 0.04}, {10, 8, false}};
  g.analysis.overall = {30, 23, true, 0.05, 0.1, 1.05, 0.8, 1.4, 0.6};
  g.analysis.interaction_df = 1;
  g.analysis.interaction_p = 0.03;
  s.subgroups = {g};
  const auto files = subgroup_forest_files(s, "trt");
  const std::string& svg = files.at(0).second;
  EXPECT_EQ(files[0].first, "forest.svg");
  EXPECT_TRUE(has(svg, "Hazard ratio of trt=2 vs trt=1 by subgroup")) << svg.substr(0, 600);
  EXPECT_TRUE(has(svg, "data-label=\"large\" data-hr=\"1.5\""));
  EXPECT_TRUE(has(svg, "favours trt=2"));
  EXPECT_TRUE(has(svg, "favours trt=1"));
  EXPECT_TRUE(has(svg, "forest-interaction\" data-p=\"0.03\""));
  EXPECT_TRUE(has(svg, "class=\"forest-diamond\" data-label=\"Overall\" data-hr=\"1.05\""));
  EXPECT_TRUE(has(svg, ">not estimable</text>"));  // the level without a hazard ratio
  EXPECT_FALSE(has(svg, "data-label=\"small\""));
}

TEST(SurvivalPlotsRender, CoxForestOfTheNullModelIsNothing) {
  CoxAnalysis cox;
  cox.null_model = true;
  EXPECT_TRUE(cox_forest_files(cox).empty());
  cox.null_model = false;
  cox.terms = {"age"};
  cox.n = 228;
  cox.nevent = 165;
  cox.fit.hr = Eigen::VectorXd::Constant(1, 1.02);
  cox.fit.hr_lower = Eigen::VectorXd::Constant(1, 1.0);
  cox.fit.hr_upper = Eigen::VectorXd::Constant(1, 1.04);
  cox.fit.p_value = Eigen::VectorXd::Constant(1, 0.04);
  const auto files = cox_forest_files(cox);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_TRUE(has(files[0].second, "Cox model hazard ratios (n = 228, 165 events)"));
  EXPECT_TRUE(has(files[0].second, "data-label=\"age\" data-hr=\"1.02\""));
}

}  // namespace
}  // namespace sirtkit::report
