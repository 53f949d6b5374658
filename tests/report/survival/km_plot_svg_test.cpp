// The Kaplan-Meier SVG read back: one step path per group whose height at a
// time is S(t), one + per censoring time (subjects counted in data-n), the
// number-at-risk table equal to R's summary(survfit, times = ticks)$n.risk,
// medians and the log-rank p as given.

#include "report/survival/km_plot_svg.h"

#include <gtest/gtest.h>

#include <cmath>

#include "../../stats/survival_golden.h"
#include "report/svg_to_png.h"
#include "../svg_parse.h"

namespace sirtkit::report {
namespace {

using testing::elements_of_class;
using testing::path_points;
using testing::with_attr;

// lung by sex, as R: survfit(Surv(time, status) ~ sex, data = lung).
std::vector<KmPlotCurve> lung_by_sex() {
  const auto f = stats::testing::load_frame("lung");
  std::vector<KmPlotCurve> curves;
  for (int sex : {1, 2}) {
    std::vector<double> t;
    std::vector<int> s;
    for (std::size_t i = 0; i < f.rows(); ++i)
      if (f.num("sex", i) == sex) {
        t.push_back(f.num("time", i));
        s.push_back(static_cast<int>(f.num("status", i)));
      }
    curves.push_back({"sex=" + std::to_string(sex), stats::kaplan_meier(t, s)});
  }
  return curves;
}

// Linear maps from the drawn axes: time -> x from the tick lines, S -> y from the grid lines.
struct Axes {
  double x0, x_per_time, y0, y_per_s;
  double x(double t) const { return x0 + x_per_time * t; }
  double s(double y) const { return (y - y0) / y_per_s; }
};

Axes read_axes(const std::string& svg) {
  const auto ticks = elements_of_class(svg, "km-xtickline");
  const auto grid = elements_of_class(svg, "km-ygrid");
  EXPECT_GE(ticks.size(), 2u);
  EXPECT_EQ(grid.size(), 6u);
  const auto& a = ticks.front();
  const auto& b = ticks.back();
  Axes ax;
  ax.x0 = a.num("x1") - a.num("data-time") * (b.num("x1") - a.num("x1")) / (b.num("data-time") - a.num("data-time"));
  ax.x_per_time = (b.num("x1") - a.num("x1")) / (b.num("data-time") - a.num("data-time"));
  ax.y0 = grid.front().num("y1");  // S = 0
  ax.y_per_s = grid.back().num("y1") - grid.front().num("y1");
  EXPECT_EQ(grid.front().attr.at("data-value"), "0.0");
  EXPECT_EQ(grid.back().attr.at("data-value"), "1.0");
  return ax;
}

// Height of a step path at x: the last point at or left of x (right-continuous steps).
double path_y_at(const std::vector<testing::Point>& pts, double x) {
  double y = pts.front().second;
  for (const auto& p : pts)
    if (p.first <= x + 0.02) y = p.second;  // coordinates are written to 0.01 px
  return y;
}

TEST(KmPlotSvg, OneStepPathPerGroupAndItsHeightIsS) {
  const auto curves = lung_by_sex();
  const std::string svg = km_plot_svg(curves, {.time_label = "Days"});
  const auto paths = elements_of_class(svg, "km-curve");
  ASSERT_EQ(paths.size(), 2u);
  const Axes ax = read_axes(svg);
  // R: summary(fit, times = 365.25)$surv = 0.3360878 0.5264630 (statistics-methods.md §1.8).
  const double r_surv_365[] = {0.336088, 0.526463};
  for (int g = 0; g < 2; ++g) {
    EXPECT_EQ(paths[g].attr.at("data-group"), curves[g].label);
    const auto pts = path_points(paths[g].attr.at("d"));
    // One drop (V) per distinct event time.
    std::size_t event_times = 0;
    for (auto e : curves[g].curve.n_event) event_times += e > 0;
    EXPECT_EQ(std::count(paths[g].attr.at("d").begin(), paths[g].attr.at("d").end(), 'V'), static_cast<long>(event_times));
    // Coordinates are written to 0.01 px on a 360 px panel: S to about 3e-5.
    EXPECT_NEAR(ax.s(path_y_at(pts, ax.x(365.25))), r_surv_365[g], 1e-4);
    EXPECT_NEAR(ax.s(pts.front().second), 1.0, 1e-4);  // starts at S = 1
    EXPECT_NEAR(pts.front().first, ax.x(0), 0.02);
    // Ends at the group's last observed time.
    EXPECT_NEAR(pts.back().first, ax.x(std::min(curves[g].curve.time.back(), 1022.0)), 0.02);
    // Every event time: the path is at S(t) just right of t.
    for (std::size_t i = 0; i < curves[g].curve.size(); ++i)
      if (curves[g].curve.n_event[i] > 0)
        EXPECT_NEAR(ax.s(path_y_at(pts, ax.x(curves[g].curve.time[i]))), curves[g].curve.surv[i], 1e-4) << curves[g].curve.time[i];
  }
}

TEST(KmPlotSvg, CensorMarksOnePerCensoringTimeCountingEverySubject) {
  const auto curves = lung_by_sex();
  const std::string svg = km_plot_svg(curves);
  const auto marks = elements_of_class(svg, "km-censor");
  // R: sum(status == 0) by sex = 26, 37; distinct censoring times (sum(fit$n.censor > 0)) = 25, 36.
  const int r_censored[] = {26, 37}, r_censor_times[] = {25, 36};
  const Axes ax = read_axes(svg);
  for (int g = 0; g < 2; ++g) {
    const auto mine = with_attr(marks, "data-group", curves[g].label);
    EXPECT_EQ(static_cast<int>(mine.size()), r_censor_times[g]);
    int subjects = 0;
    for (const auto& m : mine) {
      subjects += std::stoi(m.attr.at("data-n"));
      // The + is centred on the curve at the censoring time: its horizontal bar starts 4 px left.
      const auto pts = path_points(m.attr.at("d"));
      EXPECT_NEAR(pts[0].first + 4, ax.x(m.num("data-time")), 0.02);
    }
    EXPECT_EQ(subjects, r_censored[g]);
  }
}

TEST(KmPlotSvg, NumberAtRiskEqualsRAtTheAxisTicks) {
  const auto curves = lung_by_sex();
  const std::string svg = km_plot_svg(curves);
  const auto ticks = km_time_ticks(curves);
  ASSERT_EQ(ticks, (std::vector<double>{0, 200, 400, 600, 800, 1000}));  // lung: last time 1022 days
  // R: summary(survfit(Surv(time, status) ~ sex, lung), times = seq(0, 1000, 200))$n.risk
  //   sex=1: 138 78 31 13 6 2;  sex=2: 90 66 26 11 2 (1000 is after the last sex=2 time: 0 at risk)
  const std::vector<std::vector<int>> r_n_risk{{138, 78, 31, 13, 6, 2}, {90, 66, 26, 11, 2, 0}};
  const auto cells = elements_of_class(svg, "km-risk");
  const auto xticks = elements_of_class(svg, "km-xtickline");
  ASSERT_EQ(cells.size(), 12u);
  for (int g = 0; g < 2; ++g) {
    const auto row = with_attr(cells, "data-group", curves[g].label);
    ASSERT_EQ(row.size(), 6u);
    const auto fit_counts = stats::km_number_at_risk(curves[g].curve, ticks);
    for (std::size_t k = 0; k < 6; ++k) {
      EXPECT_EQ(row[k].num("data-time"), ticks[k]);
      EXPECT_EQ(std::stoi(row[k].text), r_n_risk[g][k]) << curves[g].label << " t=" << ticks[k];
      EXPECT_EQ(std::stoi(row[k].text), fit_counts[k]);
      EXPECT_NEAR(row[k].num("x"), xticks[k].num("x1"), 0.01);  // under its tick
    }
  }
}

TEST(KmPlotSvg, OptionalBandsMediansAndTestP) {
  const auto curves = lung_by_sex();
  const std::string plain = km_plot_svg(curves);
  EXPECT_TRUE(elements_of_class(plain, "km-ci").empty());
  EXPECT_TRUE(elements_of_class(plain, "km-median").empty());
  EXPECT_TRUE(elements_of_class(plain, "km-test").empty());

  // R: survdiff(Surv(time, status) ~ sex, lung) p = 0.0013111645.
  KmPlotOptions o;
  o.confidence_bands = true;
  o.median_lines = true;
  o.test_p = 0.0013111645;
  const std::string svg = km_plot_svg(curves, o);
  EXPECT_EQ(elements_of_class(svg, "km-ci").size(), 2u);
  const auto medians = elements_of_class(svg, "km-median");
  ASSERT_EQ(medians.size(), 2u);
  // R: median 270 (sex=1) and 426 (sex=2) days.
  EXPECT_EQ(medians[0].num("data-median"), 270);
  EXPECT_EQ(medians[1].num("data-median"), 426);
  const Axes ax = read_axes(svg);
  const auto m0 = path_points(medians[0].attr.at("d"));
  EXPECT_NEAR(ax.s(m0[0].second), 0.5, 1e-4);
  EXPECT_NEAR(m0[1].first, ax.x(270), 0.02);
  const auto test = elements_of_class(svg, "km-test");
  ASSERT_EQ(test.size(), 1u);
  EXPECT_EQ(test[0].text, "Log-rank p = 0.0013");
  EXPECT_NO_THROW(svg_to_png(svg));  // well-formed XML with every option on

  // The band brackets the curve: at 365.25 days its top is S's upper limit (R: 0.432943 for sex=1).
  const auto band = path_points(elements_of_class(svg, "km-ci")[0].attr.at("d"));
  double top_at = 0;
  for (std::size_t i = 0; i + 1 < band.size() && band[i].first <= ax.x(365.25); ++i) top_at = band[i].second;
  EXPECT_NEAR(ax.s(top_at), 0.432943, 1e-4);
}

TEST(KmPlotSvg, LabelsAreEscapedAndPValuesFormatted) {
  auto curves = lung_by_sex();
  curves[0].label = "arm=Y-90 & <sorafenib>";
  const std::string svg = km_plot_svg(curves);
  EXPECT_NE(svg.find("arm=Y-90 &amp; &lt;sorafenib&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<sorafenib>"), std::string::npos);
  EXPECT_NO_THROW(svg_to_png(svg));  // well-formed XML
  EXPECT_EQ(plot_p_value(0.00001), "p < 0.0001");
  EXPECT_EQ(plot_p_value(0.041749), "p = 0.0417");
}

TEST(KmPlotSvg, AxisEndClipsCurvesAndRiskTimes) {
  const auto curves = lung_by_sex();
  KmPlotOptions o;
  o.max_time = 365.25;
  o.risk_times = {0, 90, 180, 270, 365.25};
  const std::string svg = km_plot_svg(curves, o);
  const Axes ax = read_axes(svg);
  for (const auto& p : elements_of_class(svg, "km-curve"))
    for (const auto& pt : path_points(p.attr.at("d"))) EXPECT_LE(pt.first, ax.x(365.25) + 0.02);
  const auto cells = with_attr(elements_of_class(svg, "km-risk"), "data-group", "sex=1");
  ASSERT_EQ(cells.size(), 5u);
  // R: summary(fit, times = c(0, 90, 180, 270, 365.25))$n.risk for sex=1.
  const int r_n_risk[] = {138, 117, 89, 59, 35};
  for (int k = 0; k < 5; ++k) EXPECT_EQ(std::stoi(cells[k].text), r_n_risk[k]);
}

}  // namespace
}  // namespace sirtkit::report
