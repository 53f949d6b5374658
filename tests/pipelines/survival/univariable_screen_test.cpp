// Univariable screen then multivariable stepwise Cox (seed 001's path) on R's
// lung data, against R 4.2.2 / survival 3.5-3:
//   d <- read.csv("tests/data/survival/lung.csv"); d$ph.ecog <- factor(d$ph.ecog)
//   for (v in c("sex","age","ph.ecog","ph.karno","wt.loss"))
//     summary(coxph(as.formula(paste("Surv(time, status) ~", v)), data = d))
//   dd <- d[complete.cases(d[, c("time","status","sex","age","ph.ecog","ph.karno")]), ]
//   step(coxph(Surv(time, status) ~ sex + age + ph.ecog + ph.karno, data = dd), direction = "both")
#include "pipelines/survival/univariable_screen.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "io/text_formats/csv_table.h"

namespace sirtkit::pipelines {
namespace {

const std::string kLung = std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/survival/lung.csv";

UnivariableRequest lung_request() {
  UnivariableRequest rq;
  rq.csv = kLung;
  rq.candidates.covariates = {"sex", "age", "ph.ecog", "ph.karno", "wt.loss"};
  rq.candidates.factors = {"ph.ecog"};
  return rq;
}

void expect_rel(double got, double want, double tol = 1e-6) { EXPECT_NEAR(got, want, tol * std::abs(want)) << want; }

}  // namespace

TEST(UnivariableScreen, EachCandidateMatchesItsOwnCoxphFit) {
  const auto table = io::CsvTable::read(kLung);
  const UnivariableScreen s = univariable_screen(table, lung_request());
  ASSERT_EQ(s.candidates.size(), 5u);
  const auto& sex = s.candidates[0];
  EXPECT_EQ(sex.n, 228);
  EXPECT_EQ(sex.nevent, 165);
  expect_rel(sex.terms[0].coef, -0.53102353761950816);
  expect_rel(sex.terms[0].se, 0.16717858323075435);
  expect_rel(sex.terms[0].hr_lower, 0.423717830353915);
  expect_rel(sex.terms[0].hr_upper, 0.815984813171387);
  expect_rel(sex.terms[0].wald_p, 0.00149122920488076);
  expect_rel(sex.lr_test, 10.63360473088027902);
  expect_rel(sex.lr_p, 0.00111051037790096);
  const auto& ecog = s.candidates[2];  // factor: three terms, one LR test on 3 df
  EXPECT_EQ(ecog.n, 227);
  ASSERT_EQ(ecog.terms.size(), 3u);
  EXPECT_EQ(ecog.terms[2].term, "ph.ecog3");
  expect_rel(ecog.terms[2].coef, 2.20798025590098);
  expect_rel(ecog.terms[2].hr_upper, 67.936702648794764);
  EXPECT_EQ(ecog.df, 3);
  expect_rel(ecog.lr_p, 3.56095891822697e-04);
  const auto& wt = s.candidates[4];  // 14 rows missing wt.loss dropped from its own fit only
  EXPECT_EQ(wt.n, 214);
  EXPECT_EQ(wt.rows_dropped, 14u);
  expect_rel(wt.lr_p, 0.8288579372139613);
  EXPECT_FALSE(wt.passes);
  EXPECT_EQ(s.selected, (std::vector<std::string>{"sex", "age", "ph.ecog", "ph.karno"}));
}

TEST(UnivariableScreen, ThresholdIsStrict) {
  // "threshold < 0.15": a candidate whose p equals the threshold is excluded.
  const auto table = io::CsvTable::read(kLung);
  UnivariableRequest rq = lung_request();
  const double age_p = univariable_screen(table, rq).candidates[1].lr_p;  // R: 0.0394612810260781
  rq.screen_p = age_p;
  EXPECT_FALSE(univariable_screen(table, rq).candidates[1].passes);
  rq.screen_p = std::nextafter(age_p, 1.0);
  EXPECT_TRUE(univariable_screen(table, rq).candidates[1].passes);
}

TEST(UnivariableScreen, StepwiseMultivariableOfTheSelected) {
  UnivariableRequest rq = lung_request();
  rq.step = stats::StepDirection::both;
  const auto u = univariable_analysis(rq);
  const nlohmann::json json = report::univariable_json(u);
  const std::string text = report::univariable_text(u);
  const auto& m = json["multivariable"];
  EXPECT_EQ(m["stepwise"]["kept"], (std::vector<std::string>{"sex", "ph.ecog"}));
  expect_rel(m["aic"].get<double>(), 1457.679930218);
  expect_rel(m["coef"][0].get<double>(), -0.538788545635694);
  expect_rel(m["coef"][3].get<double>(), 2.068928832019596);
  EXPECT_NE(text.find("selected: sex, age, ph.ecog, ph.karno"), std::string::npos) << text;
}

TEST(UnivariableScreen, ACandidateThatCannotBeModelledIsReportedNotSelected) {
  const auto table = io::CsvTable::parse(
      "time,status,x,k\n1,1,1,5\n2,0,2,5\n3,1,3,5\n4,1,1,5\n5,0,2,5\n6,1,3,5\n", "t.csv");
  UnivariableRequest rq;
  rq.candidates.covariates = {"x", "k"};
  const auto s = univariable_screen(table, rq);
  EXPECT_TRUE(s.candidates[0].not_fitted.empty());
  EXPECT_NE(s.candidates[1].not_fitted.find("k"), std::string::npos) << s.candidates[1].not_fitted;
  EXPECT_FALSE(s.candidates[1].passes);
  // An unknown column or a bad time concerns every model: it stops the screen.
  rq.candidates.covariates = {"x", "nope"};
  EXPECT_THROW(univariable_screen(table, rq), Error);
  const auto bad = io::CsvTable::parse("time,status,x\n1,1,1\n-2,0,2\n", "b.csv");
  rq.candidates.covariates = {"x"};
  EXPECT_THROW(univariable_screen(bad, rq), Error);
  rq.screen_p = 0;
  EXPECT_THROW(univariable_screen(table, rq), Error);
}

}  // namespace sirtkit::pipelines
