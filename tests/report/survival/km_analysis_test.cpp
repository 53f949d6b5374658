#include "report/survival/km_analysis.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sirtkit::report {
namespace {

// Four subjects, times 1, 2, 3, 4 with an event at 1 and 3: S = 3/4 after 1,
// 3/4 * 1/2 = 3/8 after 3; median 3 (S first <= 0.5 at 3).
KmAnalysis four_subjects(const std::string& unit) {
  const std::vector<double> t{1, 2, 3, 4};
  const std::vector<int> s{1, 0, 1, 0};
  KmAnalysis km;
  km.file = "four.csv";
  km.rows_read = km.rows_used = km.rows_used_all = 4;
  km.time_unit = unit;
  KmCurveView v;
  v.label = "all";
  v.curve = stats::kaplan_meier(t, s);
  v.median = stats::km_median(v.curve);
  const std::vector<double> at{2.5, 9};
  v.at_times = stats::km_at_times(v.curve, at);
  km.curves.push_back(v);
  km.follow_up = stats::reverse_km_median_follow_up(t, s);
  km.warnings = {"a warning"};
  return km;
}

TEST(KmAnalysisRender, TextCarriesTheUnitAndTheLandmarks) {
  const std::string text = km_text(four_subjects("months"));
  EXPECT_NE(text.find("times in months"), std::string::npos) << text;
  EXPECT_NE(text.find("median 3 months"), std::string::npos) << text;
  EXPECT_NE(text.find("t=2.5 months at risk 2      S=0.7500"), std::string::npos) << text;
  EXPECT_NE(text.find("t=9 months   beyond last follow-up"), std::string::npos) << text;
  EXPECT_NE(text.find("  warning: a warning\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Median follow-up (reverse Kaplan-Meier): "), std::string::npos) << text;
  EXPECT_NE(km_text(four_subjects("")).find("time unit not given (--time-unit)"), std::string::npos);
}

TEST(KmAnalysisRender, JsonHoldsEveryRowAndNullForNa) {
  const auto j = km_json(four_subjects(""));
  EXPECT_TRUE(j["time_unit"].is_null());
  EXPECT_TRUE(j["start"].is_null());
  const auto& c = j["curves"][0];
  ASSERT_EQ(c["table"].size(), 4u);
  EXPECT_DOUBLE_EQ(c["table"][2]["surv"].get<double>(), 0.375);
  EXPECT_DOUBLE_EQ(c["median"]["median"].get<double>(), 3);
  EXPECT_TRUE(c["at_times"][1]["surv"].is_null());  // beyond the last time: NA, not extended
  EXPECT_TRUE(c["at_times"][1]["beyond_follow_up"].get<bool>());
  EXPECT_EQ(j["warnings"].size(), 1u);
}

TEST(KmAnalysisRender, StartStopRowsHaveNoFollowUp) {
  KmAnalysis km = four_subjects("days");
  km.start_column = "entry";
  km.follow_up.reset();
  EXPECT_TRUE(km_json(km)["reverse_km_median_followup"].is_null());
  EXPECT_NE(km_text(km).find("not computed for (start, stop] rows"), std::string::npos);
}

}  // namespace
}  // namespace sirtkit::report
