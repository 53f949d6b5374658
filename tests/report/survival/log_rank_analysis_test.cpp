#include "report/survival/log_rank_analysis.h"

#include <gtest/gtest.h>

#include <string>

namespace sirtkit::report {
namespace {

TEST(LogRankAnalysisRender, AGroupWithoutEventsIsWarnedInBothForms) {
  LogRankAnalysis lr;
  lr.groups = {"arm=A", "arm=B"};
  lr.result.n = {5, 4};
  lr.result.observed = {3, 0};
  lr.result.expected = {2, 1};
  lr.result.chisq = 2.5;
  lr.result.df = 1;
  lr.result.p_value = 0.1138;
  lr.rho = 1;
  const std::string text = log_rank_text(lr);
  // (O - E)^2 / E of arm=A: (3 - 2)^2 / 2 = 0.5.
  EXPECT_NE(text.find("Fleming-Harrington G-rho (rho = 1)"), std::string::npos) << text;
  EXPECT_NE(text.find("0.500\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  warning: arm=B has no events\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Chisq = 2.5000 on 1 df, p = 0.1138"), std::string::npos) << text;
  const auto j = log_rank_json(lr);
  ASSERT_EQ(j["warnings"].size(), 1u);
  EXPECT_EQ(j["warnings"][0], "arm=B has no events");
  EXPECT_EQ(j["groups"][1]["n"], 4);
  EXPECT_FALSE(j.contains("trend"));
}

}  // namespace
}  // namespace sirtkit::report
