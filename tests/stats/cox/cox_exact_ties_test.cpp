// Cox model with exact ties (coxph ties = "exact", the exact partial
// likelihood of the discrete-time model) against Therneau & Grambsch's closed
// form (survival tests/book7.R) and R 4.2.2 / survival 3.5-3 goldens
// (coxexact.fit for right-censored data, agexact.fit for (start, stop]).
// Tolerance 1e-6 relative, as tests/stats/cox/cox_model_test.cpp.

#include "stats/cox/cox_exact.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "stats/cox/cox_counting_process.h"
#include "stats/cox/cox_zph.h"
#include "cox_fit_expect.h"
#include "../survival_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

// Therneau & Grambsch appendix, test data 1 with the exact partial likelihood
// (survival tests/book7.R; the row with status NA left out):
//   loglik(b) = 2 (b - log(3r + 3)), U = 2/(r + 1), I = 2r/(r + 1)^2, r = exp(b).
// The MLE is infinite (U > 0 for every b).
TEST(CoxExactTies, TherneauGrambschTestData1ClosedForm) {
  const std::vector<double> t{9, 1, 1, 6, 6, 8};
  const std::vector<int> s{1, 1, 0, 1, 1, 0};
  Eigen::MatrixXd x(6, 1);
  x << 0, 1, 1, 1, 0, 0;
  CoxOptions opt;
  opt.ties = Ties::exact;
  opt.iter_max = 0;  // coxph(..., iter.max = 0, method = "exact"): var = 1 / I(0)
  const CoxFit f0 = cox_fit(t, s, x, opt);
  EXPECT_EQ(f0.coef(0), 0);
  EXPECT_NEAR(f0.var(0, 0), 1 / (2 * 1.0 / 4), 1e-12);
  opt.iter_max = 1;  // coxph(Surv(time, status) ~ x, test1, iter.max = 1, method = "exact")
  const CoxFit f1 = cox_fit(t, s, x, opt);
  auto loglik = [](double b) { return 2 * (b - std::log(3 * std::exp(b) + 3)); };
  auto imat = [](double b) { return 2 * std::exp(b) / std::pow(std::exp(b) + 1, 2); };
  EXPECT_NEAR(f1.loglik_init, loglik(0), 1e-12);
  EXPECT_NEAR(f1.score_test, 1.0 * 1.0 / imat(0), 1e-12);  // U(0) = 1
  EXPECT_NEAR(f1.coef(0), 1.0 / imat(0), 1e-12);            // one Newton step: U(0) / I(0) = 2
  EXPECT_NEAR(f1.loglik, loglik(f1.coef(0)), 1e-12);
  EXPECT_NEAR(f1.var(0, 0), 1 / imat(f1.coef(0)), 1e-10);
  // Run to the end: the coefficient runs off towards infinity, as R warns.
  opt.iter_max = 20;
  const CoxFit f = cox_fit(t, s, x, opt);
  EXPECT_GT(f.coef(0), 10);
  EXPECT_NEAR(f.loglik, loglik(f.coef(0)), 1e-12);
  EXPECT_TRUE(f.maybe_infinite[0] || !f.converged);
}

// lung <- read.csv("tests/data/survival/lung.csv")
// coxph(Surv(time, status) ~ age + sex + ph.ecog, lung, ties = "exact")
TEST(CoxExactTies, LungMatchesR) {
  const Frame fr = load_frame("lung");
  std::vector<double> t;
  std::vector<int> s;
  std::vector<std::array<double, 3>> v;
  for (std::size_t i = 0; i < fr.rows(); ++i) {
    if (std::isnan(fr.num("ph.ecog", i))) continue;
    t.push_back(fr.num("time", i));
    s.push_back(static_cast<int>(fr.num("status", i)));
    v.push_back({fr.num("age", i), fr.num("sex", i), fr.num("ph.ecog", i)});
  }
  Eigen::MatrixXd x(static_cast<Eigen::Index>(t.size()), 3);
  for (std::size_t i = 0; i < t.size(); ++i) x.row(static_cast<Eigen::Index>(i)) << v[i][0], v[i][1], v[i][2];
  CoxOptions opt;
  opt.ties = Ties::exact;
  expect_golden(cox_fit(t, s, x, opt), {{0.011067085838, -0.55343561297, 0.464387416733},
                                        {0.00928084940614, 0.167967715123, 0.113776992184},
                                        {-725.647698851, -710.401051579},
                                        30.4877668896, 29.9088401299, 30.4932945425, 3,
                                        {12544, 7117, 126, 0.637135493}});

  // cox.zph(fit) of this fit: zph1.c gets method == "efron" = FALSE, so an
  // exact fit is tested with the Breslow sums at its beta.
  //   chisq 0.187540723298 2.29883216981 2.05134742452 GLOBAL 4.4515301061
  //   p     0.664971382779 0.12947131145 0.152071551644 GLOBAL 0.216654652631
  {
    const CoxFit f = cox_fit(t, s, x, opt);
    const CoxZphResult z = cox_zph(t, s, x, f, Ties::exact);
    const std::vector<double> chisq{0.187540723298, 2.29883216981, 2.05134742452, 4.4515301061};
    const std::vector<double> p{0.664971382779, 0.12947131145, 0.152071551644, 0.216654652631};
    ASSERT_EQ(z.chisq.size(), 4u);
    for (std::size_t k = 0; k < 4; ++k) {
      expect_rel(z.chisq[k], chisq[k], 1e-6, "zph chisq");
      expect_rel(z.p_value[k], p[k], 1e-6, "zph p");
    }
  }

  // Heavy ties: time in months, up to 19 deaths in one month.
  // lung$month <- ceiling(lung$time / 30.4375)
  // coxph(Surv(month, status) ~ age + sex + ph.ecog, lung, ties = "exact")
  std::vector<double> month;
  for (double d : t) month.push_back(std::ceil(d / 30.4375));
  expect_golden(cox_fit(month, s, x, opt), {{0.0115805190706, -0.595563385552, 0.496954431765},
                                            {0.00963359903159, 0.174915094296, 0.120098447361},
                                            {-527.123153359, -511.11300754},
                                            31.7353534416, 30.8483059223, 32.0202916375, 4,
                                            {12401, 6843, 123, 0.64349150617}});
  // coxph(Surv(month, status) ~ age + ph.ecog + strata(sex), lung, ties = "exact")
  Eigen::MatrixXd x2(x.rows(), 2);
  x2 << x.col(0), x.col(2);
  std::vector<int> sex;
  for (const auto& r : v) sex.push_back(static_cast<int>(r[1]));
  expect_golden(cox_fit(month, s, x2, opt, sex), {{0.0112146128577, 0.493794970485},
                                                  {0.00959231767538, 0.120540961338},
                                                  {-487.837077177, -477.631321759},
                                                  20.8043842282, 20.3617185591, 20.4115108358, 3,
                                                  {6166, 3903, 123, 0.61101844584}});
  // (0, t] counting-process input gives the same fit (survival tests/book7.R
  // checks coxph(Surv(zz, time, status) ~ ..., method = "exact") the same way).
  const std::vector<double> zero(t.size(), 0);
  const CoxFit r = cox_fit(month, s, x, opt);
  const CoxFit c = cox_fit_counting(zero, month, s, x, opt);
  for (int j = 0; j < 3; ++j) {
    expect_rel(c.coef(j), r.coef(j), 1e-9, "counting coef");
    expect_rel(c.se(j), r.se(j), 1e-9, "counting se");
  }
  expect_rel(c.loglik_init, r.loglik_init, 1e-12, "counting loglik(0)");
  expect_rel(c.loglik, r.loglik, 1e-12, "counting loglik");
  expect_rel(c.score_test, r.score_test, 1e-9, "counting score");
}

// vet <- read.csv("tests/data/survival/veteran.csv")
// coxph(Surv(time, status) ~ karno + trt + factor(celltype), vet, ties = "exact")
TEST(CoxExactTies, VeteranWithFactorMatchesR) {
  const Frame fr = load_frame("veteran");
  const auto lv = levels(fr, "celltype");
  ASSERT_EQ(lv.size(), 4u);
  std::vector<double> t;
  std::vector<int> s;
  Eigen::MatrixXd x(static_cast<Eigen::Index>(fr.rows()), 5);
  for (std::size_t i = 0; i < fr.rows(); ++i) {
    t.push_back(fr.num("time", i));
    s.push_back(static_cast<int>(fr.num("status", i)));
    x(i, 0) = fr.num("karno", i);
    x(i, 1) = fr.num("trt", i);
    for (int l = 1; l < 4; ++l) x(i, 1 + l) = fr.at("celltype", i) == lv[l] ? 1 : 0;
  }
  CoxOptions opt;
  opt.ties = Ties::exact;
  expect_golden(cox_fit(t, s, x, opt),
                {{-0.0315609559633, 0.262583997362, -0.765113111009, -0.336942203996, -1.1618506948},
                 {0.00522650846638, 0.201739001809, 0.300139983047, 0.271521183943, 0.296700294856},
                 {-480.835554491, -450.318684798},
                 66.2561319018, 62.7228093141, 61.0337393878, 4,
                 {6407, 2233, 164, 0.7370513403}});
}

// h <- read.csv("tests/data/survival/heart.csv")  (agexact.fit)
// coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, h, ties = "exact")
// coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), h, ties = "exact")
TEST(CoxExactTies, HeartCountingProcessMatchesR) {
  const Frame fr = load_frame("heart");
  std::vector<double> a, b;
  std::vector<int> e, surgery;
  Eigen::MatrixXd x(static_cast<Eigen::Index>(fr.rows()), 4), x3(static_cast<Eigen::Index>(fr.rows()), 3);
  for (std::size_t i = 0; i < fr.rows(); ++i) {
    a.push_back(fr.num("start", i));
    b.push_back(fr.num("stop", i));
    e.push_back(static_cast<int>(fr.num("event", i)));
    surgery.push_back(static_cast<int>(fr.num("surgery", i)));
    x.row(i) << fr.num("age", i), fr.num("year", i), fr.num("surgery", i), fr.num("transplant", i);
    x3.row(i) << fr.num("age", i), fr.num("year", i), fr.num("transplant", i);
  }
  CoxOptions opt;
  opt.ties = Ties::exact;
  expect_golden(cox_fit_counting(a, b, e, x, opt), {{0.0273304377378, -0.147194151214, -0.638039105509, -0.0123616340974},
                                                    {0.0137661970421, 0.0707101714703, 0.367678442403, 0.314593334484},
                                                    {-287.894047001, -280.319099086},
                                                    15.0712961656, 14.5259127048, 15.1498958313, 4,
                                                    {2872, 1647, 0, 0.635538836026}});
  expect_golden(cox_fit_counting(a, b, e, x3, opt, surgery), {{0.0269850849695, -0.150180512724, -0.0252220237729},
                                                              {0.0137165603129, 0.0703487098662, 0.316716710107},
                                                              {-261.962344295, -256.855083027},
                                                              9.94434963032, 9.76461670536, 10.2145225364, 4,
                                                              {2058, 1337, 0, 0.60618556701}});
}

// With one event per time the exact likelihood is Breslow's (and Efron's).
TEST(CoxExactTies, NoTiesEqualsBreslow) {
  const std::vector<double> t{5, 8, 12, 3, 9, 14, 7, 10, 6, 11};
  const std::vector<int> s{1, 0, 1, 1, 1, 0, 1, 1, 0, 1};
  Eigen::MatrixXd x(10, 2);
  x << 0.5, 1, 1.2, 0, -0.3, 1, 2.0, 1, 0.1, 0, -1.0, 0, 0.7, 1, 0.0, 0, 1.5, 1, -0.4, 0;
  CoxOptions opt;
  opt.ties = Ties::breslow;
  const CoxFit b = cox_fit(t, s, x, opt);
  opt.ties = Ties::exact;
  const CoxFit e = cox_fit(t, s, x, opt);
  for (int j = 0; j < 2; ++j) {
    expect_rel(e.coef(j), b.coef(j), 1e-8, "coef");
    expect_rel(e.se(j), b.se(j), 1e-8, "se");
  }
  expect_rel(e.loglik, b.loglik, 1e-12, "loglik");
}

// R: coxph(..., ties = "exact", robust = TRUE) and + cluster(id) stop with
// "dfbeta residuals are not available for the exact method".
TEST(CoxExactTies, RobustVarianceIsRefusedAsInR) {
  const std::vector<double> t{1, 1, 2, 2, 2, 3, 4, 5};
  const std::vector<int> s{1, 1, 1, 0, 1, 1, 0, 1};
  Eigen::MatrixXd x(8, 1);
  x << 0, 1, 1, 0, 1, 0, 1, 0;
  const std::vector<int> id{1, 1, 2, 2, 3, 3, 4, 4};
  CoxOptions opt;
  opt.ties = Ties::exact;
  opt.robust = true;
  try {
    cox_fit(t, s, x, opt);
    ADD_FAILURE() << "robust + exact accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(std::string(e.what()).find("exact"), std::string::npos) << e.what();
  }
  opt.robust = false;
  EXPECT_THROW(cox_fit(t, s, x, opt, {}, id), Error);
  const std::vector<double> zero(8, 0);
  EXPECT_THROW(cox_fit_counting(zero, t, s, x, opt, {}, id), Error);
}

}  // namespace
}  // namespace sirtkit::stats
