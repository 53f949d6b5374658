// Cox model for (start, stop] counting-process data against R 4.2.2 /
// survival 3.5-3: the Stanford heart transplant data (survival's `heart`,
// jasa1, exported to tests/data/survival/heart.csv with
//   h <- heart; h$transplant <- as.integer(as.character(h$transplant))
//   write.csv(h[, c("id","start","stop","event","age","year","surgery","transplant")], ...)
// and read back with read.csv for the goldens), Efron, Breslow, strata and
// cluster-robust SE; Therneau & Grambsch appendix data set 2 (survival
// tests/book3.R) in closed form; (0, t] data give the right-censored fit.
// Tolerance 1e-6 relative, as tests/stats/cox/cox_model_test.cpp.

#include "stats/cox/cox_counting_process.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"
#include "stats/cox/cox_zph_counting.h"
#include "cox_fit_expect.h"
#include "../survival_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

struct Heart {
  std::vector<double> start, stop;
  std::vector<int> event, surgery, id;
  Eigen::MatrixXd x;  // age, year, surgery, transplant
};

Heart load_heart() {
  const Frame f = load_frame("heart");
  Heart h;
  const std::size_t n = f.rows();
  h.x.resize(static_cast<Eigen::Index>(n), 4);
  for (std::size_t i = 0; i < n; ++i) {
    h.start.push_back(f.num("start", i));
    h.stop.push_back(f.num("stop", i));
    h.event.push_back(static_cast<int>(f.num("event", i)));
    h.surgery.push_back(static_cast<int>(f.num("surgery", i)));
    h.id.push_back(static_cast<int>(f.num("id", i)));
    h.x(i, 0) = f.num("age", i);
    h.x(i, 1) = f.num("year", i);
    h.x(i, 2) = f.num("surgery", i);
    h.x(i, 3) = f.num("transplant", i);
  }
  return h;
}

Eigen::MatrixXd without_surgery(const Eigen::MatrixXd& x) {
  Eigen::MatrixXd out(x.rows(), 3);
  out << x.col(0), x.col(1), x.col(3);
  return out;
}

// The heart fits all use its 172 intervals and 75 events.
void expect_heart_golden(const CoxFit& f, const Golden& g) {
  expect_golden(f, g);
  EXPECT_EQ(f.n, 172);
  EXPECT_EQ(f.nevent, 75);
}

// coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, h)
TEST(CoxCountingProcess, HeartEfronMatchesR) {
  const Heart h = load_heart();
  const CoxFit f = cox_fit_counting(h.start, h.stop, h.event, h.x);
  expect_heart_golden(f, {{0.0271666409577, -0.146346345674, -0.637209889967, -0.0102507724091},
                    {0.0137141152103, 0.0704679795189, 0.36722599618, 0.313754798337},
                    {-298.121355673, -290.565616218},
                    15.034197913, 14.4930452068, 15.111478909, 4,
                    {2873, 1646, 0, 0.635760123921}});
}

// coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, h, ties = "breslow")
TEST(CoxCountingProcess, HeartBreslowMatchesR) {
  const Heart h = load_heart();
  CoxOptions opt;
  opt.ties = Ties::breslow;
  const CoxFit f = cox_fit_counting(h.start, h.stop, h.event, h.x, opt);
  expect_heart_golden(f, {{0.0271520807645, -0.146115750003, -0.635843475598, -0.0118958509638},
                    {0.0137211312396, 0.0704657060509, 0.367210695737, 0.313644376741},
                    {-298.325606736, -290.794534648},
                    14.9838964681, 14.4465910639, 15.0621441776, 4,
                    {2872, 1647, 0, 0.635538836026}});
}

// coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), h)
// and the same with ties = "breslow"
TEST(CoxCountingProcess, HeartStratifiedMatchesR) {
  const Heart h = load_heart();
  const Eigen::MatrixXd x = without_surgery(h.x);
  const CoxFit e = cox_fit_counting(h.start, h.stop, h.event, x, {}, h.surgery);
  expect_heart_golden(e, {{0.0268135210045, -0.149243232804, -0.0217802512725},
                    {0.0136661564569, 0.0700993275169, 0.315877308844},
                    {-270.397893497, -265.315129067},
                    9.89958663642, 9.72471001662, 10.16552886, 4,
                    {2056, 1339, 0, 0.60559646539}});
  CoxOptions opt;
  opt.ties = Ties::breslow;
  const CoxFit b = cox_fit_counting(h.start, h.stop, h.event, x, opt, h.surgery);
  expect_heart_golden(b, {{0.0268083438584, -0.149070819924, -0.0246529673044},
                    {0.0136716206248, 0.0701049696783, 0.315772966114},
                    {-270.608082634, -265.535109843},
                    9.8789470921, 9.70486757751, 10.1459455804, 4,
                    {2057, 1338, 0, 0.6058910162}});
}

// coxph(Surv(start, stop, event) ~ age + year + surgery + transplant + cluster(id), h)
//   robust se 0.0138918929241 0.0730798592394 0.358210202384 0.316882349062
//   wald.test 16.8329930443117, rscore 18.2363014168005
// coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery) + cluster(id), h,
//       ties = "breslow")
//   robust se 0.0135209216259 0.0719684310499 0.313268928692
TEST(CoxCountingProcess, HeartClusterRobustSeMatchesR) {
  const Heart h = load_heart();
  CoxOptions opt;
  opt.robust = true;
  const CoxFit e = cox_fit_counting(h.start, h.stop, h.event, h.x, opt, {}, h.id);
  const std::vector<double> re{0.0138918929241, 0.0730798592394, 0.358210202384, 0.316882349062};
  for (int j = 0; j < 4; ++j) expect_rel(e.robust_se(j), re[j], 1e-6, "efron robust se " + std::to_string(j));
  expect_rel(e.se(0), 0.0137141152103, 1e-6, "naive se kept");
  // z, CI and Wald from the robust variance; the robust score test (fit$wald.test, fit$rscore,
  // summary(fit)$coefficients[, "z"], summary(fit)$conf.int)
  expect_rel(e.z(1), -2.0025537432256924, 1e-6, "robust z");
  expect_rel(e.hr_lower(2), 0.262031910840844, 1e-6, "robust CI");
  expect_rel(e.wald_test, 16.8329930443117, 1e-6, "robust wald");
  expect_rel(e.robust_score_test, 18.2363014168005, 1e-6, "robust score");
  opt.ties = Ties::breslow;
  const CoxFit b = cox_fit_counting(h.start, h.stop, h.event, without_surgery(h.x), opt, h.surgery, h.id);
  const std::vector<double> rb{0.0135209216259, 0.0719684310499, 0.313268928692};
  for (int j = 0; j < 3; ++j) expect_rel(b.robust_se(j), rb[j], 1e-6, "breslow strata robust se " + std::to_string(j));
  expect_rel(b.wald_test, 10.6193249769203, 1e-6, "breslow robust wald");
  expect_rel(b.robust_score_test, 11.4447585196339, 1e-6, "breslow robust score");
}

// cox.zph (zph2.c) of the heart fits:
//   cox.zph(coxph(Surv(start, stop, event) ~ age + year + surgery + transplant, h))
//   cox.zph(coxph(Surv(start, stop, event) ~ age + year + transplant + strata(surgery), h,
//                 ties = "breslow"))
//   h$ageg <- cut(h$age, c(-Inf, -10, 0, Inf))
//   cox.zph(coxph(Surv(start, stop, event) ~ ageg + transplant, h))
// R refuses cox.zph of an exact-ties (start, stop] fit.
TEST(CoxCountingProcess, HeartCoxZphMatchesR) {
  const Heart h = load_heart();
  auto expect_zph = [](const CoxZphResult& z, const std::vector<double>& chisq, const std::vector<int>& df,
                       const std::vector<double>& p) {
    ASSERT_EQ(z.chisq.size(), chisq.size());
    for (std::size_t k = 0; k < chisq.size(); ++k) {
      expect_rel(z.chisq[k], chisq[k], 1e-6, "zph chisq " + std::to_string(k));
      EXPECT_EQ(z.df[k], df[k]);
      expect_rel(z.p_value[k], p[k], 1e-6, "zph p " + std::to_string(k));
    }
  };
  const CoxFit e = cox_fit_counting(h.start, h.stop, h.event, h.x);
  expect_zph(cox_zph_counting(h.start, h.stop, h.event, h.x, e, Ties::efron),
             {0.866874710915, 1.71641442921, 0.0973950591162, 0.202934388153, 3.47310229885}, {1, 1, 1, 1, 4},
             {0.351821976236, 0.190155241647, 0.754978346543, 0.652362645573, 0.481979967766});
  CoxOptions opt;
  opt.ties = Ties::breslow;
  const Eigen::MatrixXd x3 = without_surgery(h.x);
  const CoxFit b = cox_fit_counting(h.start, h.stop, h.event, x3, opt, h.surgery);
  expect_zph(cox_zph_counting(h.start, h.stop, h.event, x3, b, Ties::breslow, h.surgery),
             {0.816576156208, 1.39250662644, 0.297190950183, 3.13940992865}, {1, 1, 1, 3},
             {0.366183122842, 0.237982246186, 0.585648825376, 0.370626330453});
  // A 3-level factor (two dummies tested together) and transplant.
  Eigen::MatrixXd xf(h.x.rows(), 3);
  for (Eigen::Index i = 0; i < h.x.rows(); ++i) {
    const double age = h.x(i, 0);
    xf(i, 0) = age > -10 && age <= 0 ? 1 : 0;
    xf(i, 1) = age > 0 ? 1 : 0;
    xf(i, 2) = h.x(i, 3);
  }
  const CoxFit ef = cox_fit_counting(h.start, h.stop, h.event, xf);
  expect_zph(cox_zph_counting(h.start, h.stop, h.event, xf, ef, Ties::efron, {}, {{0, 1}, {2}}),
             {1.35848980459, 0.559330343986, 2.42930301375}, {2, 1, 3},
             {0.506999682159, 0.454530183024, 0.48820318663});
  opt.ties = Ties::exact;
  const CoxFit ex = cox_fit_counting(h.start, h.stop, h.event, h.x, opt);
  EXPECT_THROW(cox_zph_counting(h.start, h.stop, h.event, h.x, ex, Ties::exact), Error);
}

// R: coxph(Surv(start, stop, event) ~ age, h, robust = TRUE) stops with
// "one of cluster or id is needed".
TEST(CoxCountingProcess, RobustWithoutClusterIsRefusedAsInR) {
  const Heart h = load_heart();
  CoxOptions opt;
  opt.robust = true;
  EXPECT_THROW(cox_fit_counting(h.start, h.stop, h.event, h.x, opt), Error);
}

// Therneau & Grambsch appendix, test data 2 (survival tests/book3.R), Breslow:
//   loglik(b) = 4b - log(r+1) - log(r+2) - 3 log(3r+2) - 2 log(3r+1), r = exp(b)
//   U(b) = 1/(r+1) + 1/(3r+1) + 4/(3r+2) - (r/(r+2) + 3r/(3r+2) + 3r/(3r+1))
//   I(b) = r/(r+1)^2 + 2r/(r+2)^2 + 6r/(3r+2)^2 + 3r/(3r+1)^2 + 3r/(3r+1)^2 + 12r/(3r+2)^2
//   b-hat = -0.084526081; one Newton step from 0 is U(0)/I(0).
TEST(CoxCountingProcess, TherneauGrambschTestData2ClosedForm) {
  const std::vector<double> start{1, 2, 5, 2, 1, 7, 3, 4, 8, 8};
  const std::vector<double> stop{2, 3, 6, 7, 8, 9, 9, 9, 14, 17};
  const std::vector<int> event{1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
  Eigen::MatrixXd x(10, 1);
  x << 1, 0, 0, 1, 0, 1, 1, 1, 0, 0;
  auto loglik = [](double b) {
    const double r = std::exp(b);
    return 4 * b - std::log(r + 1) - std::log(r + 2) - 3 * std::log(3 * r + 2) - 2 * std::log(3 * r + 1);
  };
  auto score = [](double b) {
    const double r = std::exp(b);
    return 1 / (r + 1) + 1 / (3 * r + 1) + 4 / (3 * r + 2) - (r / (r + 2) + 3 * r / (3 * r + 2) + 3 * r / (3 * r + 1));
  };
  auto info = [](double b) {
    const double r = std::exp(b);
    return r / std::pow(r + 1, 2) + 2 * r / std::pow(r + 2, 2) + 6 * r / std::pow(3 * r + 2, 2) +
           6 * r / std::pow(3 * r + 1, 2) + 12 * r / std::pow(3 * r + 2, 2);
  };
  CoxOptions opt;
  opt.ties = Ties::breslow;
  opt.eps = 1e-10;
  const CoxFit f = cox_fit_counting(start, stop, event, x, opt);
  EXPECT_NEAR(f.coef(0), -0.084526081, 1e-8);
  EXPECT_NEAR(f.loglik_init, loglik(0), 1e-12);
  EXPECT_NEAR(f.loglik, loglik(f.coef(0)), 1e-12);
  EXPECT_NEAR(f.var(0, 0), 1 / info(f.coef(0)), 1e-10);
  EXPECT_NEAR(f.score_test, score(0) * score(0) / info(0), 1e-12);
  opt.iter_max = 0;  // coxph(..., iter.max = 0): the fit at 0, var = 1 / I(0)
  const CoxFit f0 = cox_fit_counting(start, stop, event, x, opt);
  EXPECT_EQ(f0.coef(0), 0);
  EXPECT_NEAR(f0.loglik, loglik(0), 1e-12);
  EXPECT_NEAR(f0.var(0, 0), 1 / info(0), 1e-12);
  opt.iter_max = 1;  // coxph(..., iter.max = 1): beta = U(0) / I(0)
  EXPECT_NEAR(cox_fit_counting(start, stop, event, x, opt).coef(0), score(0) / info(0), 1e-12);

  // book3.R test2b: three copies in strata, times shifted by the stratum, so
  // that pooled risk sets would be wrong; loglik and information triple.
  std::vector<double> s3, t3;
  std::vector<int> e3, g3;
  Eigen::MatrixXd x3(30, 1);
  for (int g = 1; g <= 3; ++g)
    for (int i = 0; i < 10; ++i) {
      s3.push_back(start[i] + g);
      t3.push_back(stop[i] + g);
      e3.push_back(event[i]);
      g3.push_back(g);
      x3((g - 1) * 10 + i, 0) = x(i, 0);
    }
  opt.iter_max = 20;
  const CoxFit f3 = cox_fit_counting(s3, t3, e3, x3, opt, g3);
  EXPECT_NEAR(f3.coef(0), -0.084526081, 1e-8);
  EXPECT_NEAR(f3.loglik, 3 * loglik(f3.coef(0)), 1e-11);
  EXPECT_NEAR(1 / f3.var(0, 0), 3 * info(f3.coef(0)), 1e-10);
}

// Rows (0, t] are right-censored data: the counting-process fit must give the
// coxfit6 numbers (lung, Efron and Breslow, strata, cluster-robust SE), and
// its cox.zph that of the right-censored fit.
TEST(CoxCountingProcess, ZeroStartEqualsRightCensoredFit) {
  const Frame fr = load_frame("lung");
  std::vector<double> t, zero;
  std::vector<int> s, sex, inst;
  std::vector<std::array<double, 2>> cov;
  for (std::size_t i = 0; i < fr.rows(); ++i) {
    if (std::isnan(fr.num("ph.ecog", i)) || std::isnan(fr.num("inst", i))) continue;
    t.push_back(fr.num("time", i));
    zero.push_back(0);
    s.push_back(static_cast<int>(fr.num("status", i)));
    sex.push_back(static_cast<int>(fr.num("sex", i)));
    inst.push_back(static_cast<int>(fr.num("inst", i)));
    cov.push_back({fr.num("age", i), fr.num("ph.ecog", i)});
  }
  Eigen::MatrixXd x(static_cast<Eigen::Index>(t.size()), 2);
  for (std::size_t i = 0; i < t.size(); ++i) x.row(static_cast<Eigen::Index>(i)) << cov[i][0], cov[i][1];
  for (const auto ties : {Ties::efron, Ties::breslow}) {
    CoxOptions opt;
    opt.ties = ties;
    SCOPED_TRACE(ties_name(ties));
    const CoxFit r = cox_fit(t, s, x, opt, sex, inst);
    const CoxFit c = cox_fit_counting(zero, t, s, x, opt, sex, inst);
    for (int j = 0; j < 2; ++j) {
      expect_rel(c.coef(j), r.coef(j), 1e-9, "coef");
      expect_rel(c.se(j), r.se(j), 1e-9, "se");
      expect_rel(c.robust_se(j), r.robust_se(j), 1e-9, "robust se");
    }
    expect_rel(c.loglik_init, r.loglik_init, 1e-12, "loglik(0)");
    expect_rel(c.loglik, r.loglik, 1e-12, "loglik");
    expect_rel(c.score_test, r.score_test, 1e-9, "score");
    EXPECT_EQ(c.iterations, r.iterations);
    EXPECT_EQ(c.concordant, r.concordant);
    EXPECT_EQ(c.discordant, r.discordant);
    EXPECT_EQ(c.tied_x, r.tied_x);
    EXPECT_EQ(c.tied_y, r.tied_y);
    const CoxZphResult zr = cox_zph(t, s, x, r, ties, sex);
    const CoxZphResult zc = cox_zph_counting(zero, t, s, x, c, ties, sex);
    ASSERT_EQ(zc.chisq.size(), zr.chisq.size());
    for (std::size_t k = 0; k < zr.chisq.size(); ++k) expect_rel(zc.chisq[k], zr.chisq[k], 1e-9, "cox.zph");
  }
}

// Splitting a subject's follow-up at a time where nothing changes leaves the
// fit as it was (survSplit identity), and a late-entry row is at risk only
// after its start.
TEST(CoxCountingProcess, SplitIntervalsLeaveTheFitUnchanged) {
  const std::vector<double> t{5, 8, 12, 3, 9, 14, 7, 10, 6, 11};
  const std::vector<int> s{1, 0, 1, 1, 1, 0, 1, 1, 0, 1};
  Eigen::MatrixXd x(10, 1);
  x << 0.5, 1.2, -0.3, 2.0, 0.1, -1.0, 0.7, 0.0, 1.5, -0.4;
  const std::vector<double> zero(10, 0);
  const CoxFit whole = cox_fit_counting(zero, t, s, x);
  std::vector<double> a, b;
  std::vector<int> e;
  Eigen::MatrixXd xs(20, 1);
  for (int i = 0; i < 10; ++i) {  // (0, t/2] censored, then (t/2, t] with the status
    a.push_back(0), b.push_back(t[i] / 2), e.push_back(0);
    a.push_back(t[i] / 2), b.push_back(t[i]), e.push_back(s[i]);
    xs(2 * i, 0) = xs(2 * i + 1, 0) = x(i, 0);
  }
  const CoxFit split = cox_fit_counting(a, b, e, xs);
  expect_rel(split.coef(0), whole.coef(0), 1e-10, "coef");
  expect_rel(split.se(0), whole.se(0), 1e-10, "se");
  expect_rel(split.loglik, whole.loglik, 1e-12, "loglik");
  EXPECT_EQ(split.concordant, whole.concordant);
  EXPECT_EQ(split.discordant, whole.discordant);
}

TEST(CoxCountingProcess, BadIntervalsAreRefused) {
  Eigen::MatrixXd x(3, 1);
  x << 1, 0, 1;
  const std::vector<int> s{1, 1, 0};
  EXPECT_THROW(cox_fit_counting(std::vector<double>{0, 4, 0}, std::vector<double>{3, 4, 5}, s, x), Error);  // start = stop
  EXPECT_THROW(cox_fit_counting(std::vector<double>{0, 5, 0}, std::vector<double>{3, 4, 5}, s, x), Error);  // start > stop
  try {
    cox_fit_counting(std::vector<double>{0, 5, 0}, std::vector<double>{3, 4, 5}, s, x);
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(std::string(e.what()).find("row 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(cox_fit_counting(std::vector<double>{0, 0, 0}, std::vector<double>{3, 4, 5}, std::vector<int>{0, 0, 0}, x),
               Error);  // no events
}

}  // namespace
}  // namespace sirtkit::stats
