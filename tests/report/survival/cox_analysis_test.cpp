#include "report/survival/cox_analysis.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

namespace sirtkit::report {
namespace {

CoxAnalysis one_term() {
  CoxAnalysis c;
  c.file = "x.csv";
  c.terms = {"age"};
  c.fit.p = 1;
  c.fit.coef = Eigen::VectorXd::Constant(1, std::log(2.0));
  c.fit.hr = Eigen::VectorXd::Constant(1, 2.0);
  c.fit.se = Eigen::VectorXd::Constant(1, 0.5);
  c.fit.z = Eigen::VectorXd::Constant(1, std::log(2.0) / 0.5);
  c.fit.p_value = Eigen::VectorXd::Constant(1, 0.0);
  c.fit.hr_lower = Eigen::VectorXd::Constant(1, std::nan(""));
  c.fit.hr_upper = Eigen::VectorXd::Constant(1, 5.0);
  c.fit.df = 1;
  c.fit.loglik_init = -10;
  c.fit.loglik = -8;
  c.concordance_se = std::nan("");
  return c;
}

TEST(CoxAnalysisRender, NumbersAsRPrintsThem) {
  const CoxAnalysis c = one_term();
  const std::string text = cox_text(c);
  // p = 0 prints as R's "< 2e-16", a missing bound as NA; AIC = -2 * -8 + 2 * 1.
  EXPECT_NE(text.find("< 2e-16"), std::string::npos) << text;
  EXPECT_NE(text.find("(NA, 5)"), std::string::npos) << text;
  EXPECT_NE(text.find("AIC 18.000"), std::string::npos) << text;
  EXPECT_NE(text.find("not available for exact ties"), std::string::npos) << text;  // no cox.zph
  const auto j = cox_json(c);
  EXPECT_TRUE(j["hr_lower"][0].is_null());
  EXPECT_DOUBLE_EQ(j["hr"][0].get<double>(), 2.0);
  EXPECT_DOUBLE_EQ(j["aic"].get<double>(), 18.0);
  EXPECT_TRUE(j["cox_zph"].is_null());
  EXPECT_FALSE(j.contains("robust_se"));
}

TEST(CoxAnalysisRender, NullModelOfAStepwiseSelection) {
  CoxAnalysis c;
  c.null_model = true;
  c.n = 20;
  c.nevent = 7;
  c.stepwise = CoxStepView{"forward", {{"start", 30.0, {}}}, {}, 30.0};
  c.null_loglik = -15;
  const auto j = cox_json(c);
  EXPECT_EQ(j["terms"].size(), 0u);
  EXPECT_DOUBLE_EQ(j["loglik"][0].get<double>(), -15);
  EXPECT_EQ(j["stepwise"]["direction"], "forward");
  const std::string text = cox_text(c);
  EXPECT_NE(text.find("start                AIC 30.000  (no terms)"), std::string::npos) << text;
  EXPECT_NE(text.find("Null model (no terms kept); n = 20, events = 7"), std::string::npos) << text;
}

}  // namespace
}  // namespace sirtkit::report
