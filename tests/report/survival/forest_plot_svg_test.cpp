// The forest plot read back: one square and whisker per estimable row at its
// HR and CI on the log axis, the overall HR as a diamond, the reference line
// at HR = 1, the interaction p in the factor's heading; for a Cox model one
// row per term. Numbers are the R goldens of statistics-methods.md §1.8.

#include "report/survival/forest_plot_svg.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "../../stats/survival_golden.h"
#include "report/svg_to_png.h"
#include "../svg_parse.h"

namespace sirtkit::report {
namespace {

using testing::elements_of_class;
using testing::path_points;

// veteran, trt 2 vs 1 within celltype (R: coxph(Surv(time, status) ~ trt) per celltype; anova for the interaction).
std::vector<ForestRow> veteran_rows() {
  const auto f = stats::testing::load_frame("veteran");
  const auto lv = stats::testing::levels(f, "celltype");  // adeno, large, smallcell, squamous
  std::vector<double> time, trt;
  std::vector<int> status, sub;
  for (std::size_t r = 0; r < f.rows(); ++r) {
    time.push_back(f.num("time", r));
    status.push_back(static_cast<int>(f.num("status", r)));
    trt.push_back(f.num("trt", r) == 2 ? 1.0 : 0.0);
    sub.push_back(stats::testing::level_code(lv, f.at("celltype", r)));
  }
  const auto a = stats::subgroup_analysis(time, status, trt, sub, static_cast<int>(lv.size()));
  auto rows = forest_rows(a, "celltype", lv);
  rows.push_back(forest_row(a.overall, "All patients", ForestRow::Kind::overall));
  return rows;
}

// HR -> x from the labelled ticks of the log axis.
struct LogAxis {
  double x_at_1, x_per_log;
  double x(double hr) const { return x_at_1 + x_per_log * std::log(hr); }
};

LogAxis read_axis(const std::string& svg) {
  const auto ticks = elements_of_class(svg, "forest-xtick");
  EXPECT_GE(ticks.size(), 2u);
  const auto& a = ticks.front();
  const auto& b = ticks.back();
  LogAxis ax;
  ax.x_per_log = (b.num("x") - a.num("x")) / std::log(b.num("data-value") / a.num("data-value"));
  ax.x_at_1 = a.num("x") - ax.x_per_log * std::log(a.num("data-value"));
  return ax;
}

TEST(ForestPlotSvg, VeteranSubgroupsPointsWhiskersDiamondAndInteraction) {
  const auto rows = veteran_rows();
  const std::string svg = forest_plot_svg(rows, {.title = "Treatment effect by cell type"});
  const LogAxis ax = read_axis(svg);
  const auto points = elements_of_class(svg, "forest-point");
  const auto whiskers = elements_of_class(svg, "forest-ci");
  ASSERT_EQ(points.size(), 4u);
  ASSERT_EQ(whiskers.size(), 4u);
  struct Golden {
    const char* level;
    double hr, lo, hi;
  };
  // R (statistics-methods.md §1.8), levels in R's factor order.
  const Golden golden[] = {{"adeno", 1.2296, 0.5270, 2.8685},
                           {"large", 1.5356, 0.6917, 3.4092},
                           {"smallcell", 1.6521, 0.8630, 3.1627},
                           {"squamous", 0.5444, 0.2508, 1.1815}};
  for (int k = 0; k < 4; ++k) {
    SCOPED_TRACE(golden[k].level);
    EXPECT_EQ(points[k].attr.at("data-label"), golden[k].level);
    EXPECT_NEAR(points[k].num("data-hr"), golden[k].hr, 5e-5);
    // The square's centre is at log(HR); the whisker spans log(lower)..log(upper). Coordinates have 0.01 px.
    EXPECT_NEAR(points[k].num("x") + points[k].num("width") / 2, ax.x(golden[k].hr), 0.05);
    EXPECT_NEAR(whiskers[k].num("x1"), ax.x(golden[k].lo), 0.05);
    EXPECT_NEAR(whiskers[k].num("x2"), ax.x(golden[k].hi), 0.05);
  }
  // More events, larger square: smallcell (45 events) > adeno (26).
  EXPECT_GT(points[2].num("width"), points[0].num("width"));

  const auto diamonds = elements_of_class(svg, "forest-diamond");
  ASSERT_EQ(diamonds.size(), 1u);
  const auto d = path_points(diamonds[0].attr.at("d"));
  ASSERT_EQ(d.size(), 4u);
  // R: overall HR 1.0179 (0.7144, 1.4504).
  EXPECT_NEAR(d[0].first, ax.x(0.7144), 0.05);
  EXPECT_NEAR(d[1].first, ax.x(1.0179), 0.05);
  EXPECT_NEAR(d[2].first, ax.x(1.4504), 0.05);

  const auto ref = elements_of_class(svg, "forest-reference");
  ASSERT_EQ(ref.size(), 1u);
  EXPECT_NEAR(ref[0].num("x1"), ax.x(1.0), 0.02);

  // R: anova(~ trt + celltype, ~ trt * celltype) chi2 8.2162 on 3 df, p 0.04175
  // (pchisq(8.2162, 3, lower.tail = FALSE) = 0.041749), printed to 4 decimals.
  const auto inter = elements_of_class(svg, "forest-interaction");
  ASSERT_EQ(inter.size(), 1u);
  EXPECT_EQ(inter[0].text, "interaction p = 0.0417");

  // The table columns show n and events as R counts them (squamous 35 / 31).
  EXPECT_NE(svg.find(">35</text>"), std::string::npos);
  EXPECT_NE(svg.find(">31</text>"), std::string::npos);
  EXPECT_NE(svg.find("0.54 (0.25\u20131.18)"), std::string::npos);
  EXPECT_NO_THROW(svg_to_png(svg));  // well-formed
}

TEST(ForestPlotSvg, CoxModelOneRowPerTerm) {
  // R: coxph(Surv(time, status) ~ age + sex + ph.ecog, lung): HR 1.0111 (0.9929, 1.0297),
  // 0.5754 (0.4142, 0.7994), 1.5900 (1.2727, 1.9864).
  const auto f = stats::testing::load_frame("lung");
  std::vector<double> time;
  std::vector<int> status;
  std::vector<std::array<double, 3>> x;
  for (std::size_t r = 0; r < f.rows(); ++r) {
    const double a = f.num("age", r), s = f.num("sex", r), e = f.num("ph.ecog", r);
    if (std::isnan(a) || std::isnan(s) || std::isnan(e)) continue;
    time.push_back(f.num("time", r));
    status.push_back(static_cast<int>(f.num("status", r)));
    x.push_back({a, s, e});
  }
  Eigen::MatrixXd m(static_cast<Eigen::Index>(x.size()), 3);
  for (std::size_t i = 0; i < x.size(); ++i)
    for (int j = 0; j < 3; ++j) m(static_cast<Eigen::Index>(i), j) = x[i][j];
  const auto fit = stats::cox_fit(time, status, m);
  const auto rows = forest_rows(fit, {"age", "sex", "ph.ecog"});
  const std::string svg = forest_plot_svg(rows, {.title = "Cox model"});
  const auto points = elements_of_class(svg, "forest-point");
  ASSERT_EQ(points.size(), 3u);
  EXPECT_TRUE(elements_of_class(svg, "forest-diamond").empty());
  const double hr[] = {1.0111, 0.5754, 1.5900}, lo[] = {0.9929, 0.4142, 1.2727};
  const LogAxis ax = read_axis(svg);
  const auto whiskers = elements_of_class(svg, "forest-ci");
  for (int k = 0; k < 3; ++k) {
    EXPECT_NEAR(points[k].num("data-hr"), hr[k], 5e-5);
    EXPECT_NEAR(whiskers[k].num("x1"), ax.x(lo[k]), 0.05);
  }
  EXPECT_EQ(svg.find(">Events<"), std::string::npos);  // no counts column for model terms
  // ph.ecog p = 4.5e-05 is printed as <0.001, escaped, so the SVG stays well-formed XML (librsvg parses it).
  EXPECT_NE(svg.find(">&lt;0.001</text>"), std::string::npos);
  EXPECT_NO_THROW(svg_to_png(svg));
}

TEST(ForestPlotSvg, NotEstimableRowsHaveNoPointAndWideIntervalsAreClipped) {
  std::vector<ForestRow> rows(3);
  rows[0].label = "no events";
  rows[0].estimable = false;
  rows[0].n = 4;
  rows[0].events = 0;
  rows[1].label = "wide";
  rows[1].hr = 3;
  rows[1].lower = 0.001;
  rows[1].upper = 5000;
  rows[1].n = 6;
  rows[1].events = 2;
  rows[2].label = "ordinary";
  rows[2].hr = 0.8;
  rows[2].lower = 0.6;
  rows[2].upper = 1.1;
  const std::string svg = forest_plot_svg(rows);
  EXPECT_EQ(elements_of_class(svg, "forest-point").size(), 2u);
  EXPECT_NE(svg.find("not estimable"), std::string::npos);
  const auto axis = forest_axis(rows);
  EXPECT_DOUBLE_EQ(axis.low, 0.01);
  EXPECT_DOUBLE_EQ(axis.high, 100);
  // The clipped whisker ends at the axis limits.
  const LogAxis ax = read_axis(svg);
  const auto w = elements_of_class(svg, "forest-ci")[0];
  EXPECT_NEAR(w.num("x1"), ax.x(0.01), 0.05);
  EXPECT_NEAR(w.num("x2"), ax.x(100), 0.05);
}

// A subgroup whose bound or p is not finite (monotone likelihood) has it as
// the JSON gives it, null: NaN in the row, not drawn; the finite HR stays.
TEST(ForestPlotSvg, SubgroupRowsKeepFiniteNumbersOnly) {
  stats::SubgroupEffect e;
  e.n = 12;
  e.events = 5;
  e.estimable = true;
  e.hr = 4.5;
  e.hr_lower = 0.7;
  e.hr_upper = std::numeric_limits<double>::infinity();
  e.p_value = std::nan("");
  const ForestRow r = forest_row(e, "level");
  EXPECT_EQ(r.hr, 4.5);
  EXPECT_EQ(r.lower, 0.7);
  EXPECT_TRUE(std::isnan(r.upper));
  EXPECT_TRUE(std::isnan(r.p));
  EXPECT_EQ(r.n, 12);
  stats::SubgroupAnalysis a;
  a.levels = {e, stats::SubgroupEffect{}};
  a.interaction_df = 1;
  a.interaction_p = std::numeric_limits<double>::infinity();
  const auto rows = forest_rows(a, "sex", {"F", "M"});
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].kind, ForestRow::Kind::heading);
  EXPECT_TRUE(std::isnan(rows[0].p));
  EXPECT_EQ(rows[2].label, "M");
  EXPECT_FALSE(rows[2].estimable);
  EXPECT_TRUE(std::isnan(rows[2].hr));
}

TEST(ForestPlotSvg, AxisCoversEveryIntervalAndOne) {
  std::vector<ForestRow> rows(1);
  rows[0].hr = 2.5;
  rows[0].lower = 1.3;
  rows[0].upper = 4.2;
  const auto a = forest_axis(rows);
  EXPECT_DOUBLE_EQ(a.low, 0.5);  // 1 is always inside, with a labelled step below it
  EXPECT_DOUBLE_EQ(a.high, 5);
  EXPECT_EQ(a.ticks, (std::vector<double>{0.5, 1, 2, 5}));
}

}  // namespace
}  // namespace sirtkit::report
