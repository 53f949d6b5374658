// Case weights in Kaplan-Meier (stats/survival/kaplan_meier.h kaplan_meier_weighted)
// and Cox (cox_fit weights) against survival 3.5-3: survfit(..., weights = )
// and coxph(..., weights = ) on the lung complete cases with stabilised IPTW
// weights (non-integer: robust / infinitesimal-jackknife variances) and
// integer frequency weights (Greenwood, model-based variance). The goldens and
// the CSV come from tests/data/survival/weights.R. Tolerance 1e-9 relative.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "core/error.h"
#include "stats/cox/cox_model.h"
#include "stats/survival/kaplan_meier.h"
#include "../survival_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

constexpr double kTol = 1e-9;

struct WeightedLung {
  std::vector<double> time, age, ecog, iptw, freq;
  std::vector<int> status, female, inst;
};

WeightedLung load() {
  const Frame f = load_frame("weights");
  WeightedLung d;
  for (std::size_t i = 0; i < f.rows(); ++i) {
    d.time.push_back(f.num("time", i));
    d.status.push_back(static_cast<int>(f.num("status", i)));
    d.age.push_back(f.num("age", i));
    d.ecog.push_back(f.num("ph.ecog", i));
    d.female.push_back(static_cast<int>(f.num("female", i)));
    d.inst.push_back(static_cast<int>(f.num("inst", i)));
    d.iptw.push_back(f.num("iptw", i));
    d.freq.push_back(f.num("freq", i));
  }
  return d;
}

void expect_curve(const KmCurve& c, const nlohmann::json& g, const std::string& name) {
  const auto time = g[name + "_time"];
  ASSERT_EQ(c.size(), time.size()) << name;
  for (std::size_t i = 0; i < c.size(); ++i) {
    SCOPED_TRACE(name + " row " + std::to_string(i));
    EXPECT_EQ(c.time[i], time[i].get<double>());
    EXPECT_TRUE(near_rel(c.weighted_n_risk[i], g[name + "_n_risk"][i], kTol));
    EXPECT_TRUE(near_rel(c.weighted_n_event[i], g[name + "_n_event"][i], kTol));
    EXPECT_TRUE(near_rel(c.surv[i], g[name + "_surv"][i], kTol));
    EXPECT_TRUE(near_rel(c.std_err(i), g[name + "_std_err"][i], kTol));
    EXPECT_TRUE(near_rel(c.lower[i], g[name + "_lower"][i], kTol));
    EXPECT_TRUE(near_rel(c.upper[i], g[name + "_upper"][i], kTol));
  }
  EXPECT_TRUE(near_rel(km_median(c).estimate, g[name + "_median"], kTol)) << name;
}

TEST(CaseWeights, KaplanMeierFrequencyWeightsUseGreenwood) {
  const auto d = load();
  const auto g = load_golden("weights");
  const auto c = kaplan_meier_weighted(d.time, d.status, d.freq);
  EXPECT_FALSE(c.robust_variance);
  expect_curve(c, g, "km_freq");
}

TEST(CaseWeights, KaplanMeierFrequencyWeightsEqualReplicatedRows) {
  // An integer weight k is k copies of the row: same curve and Greenwood se.
  const auto d = load();
  std::vector<double> t;
  std::vector<int> s;
  for (std::size_t i = 0; i < d.time.size(); ++i)
    for (int k = 0; k < static_cast<int>(d.freq[i]); ++k) {
      t.push_back(d.time[i]);
      s.push_back(d.status[i]);
    }
  const auto rep = kaplan_meier(t, s);
  const auto w = kaplan_meier_weighted(d.time, d.status, d.freq);
  ASSERT_EQ(rep.size(), w.size());
  for (std::size_t i = 0; i < w.size(); ++i) {
    EXPECT_NEAR(w.surv[i], rep.surv[i], 1e-13);
    EXPECT_NEAR(w.se_log_surv[i], rep.se_log_surv[i], 1e-13);
    EXPECT_EQ(w.weighted_n_risk[i], static_cast<double>(rep.n_risk[i]));
  }
}

TEST(CaseWeights, KaplanMeierIptwUsesInfinitesimalJackknife) {
  const auto d = load();
  const auto g = load_golden("weights");
  const auto c = kaplan_meier_weighted(d.time, d.status, d.iptw);
  EXPECT_TRUE(c.robust_variance);
  expect_curve(c, g, "km_iptw");
  KmOptions o;
  o.conf_type = ConfType::log_log;
  expect_curve(kaplan_meier_weighted(d.time, d.status, d.iptw, o), g, "km_iptw_loglog");
  std::vector<double> t, w;
  std::vector<int> s;
  for (std::size_t i = 0; i < d.time.size(); ++i)
    if (d.female[i]) {
      t.push_back(d.time[i]);
      s.push_back(d.status[i]);
      w.push_back(d.iptw[i]);
    }
  expect_curve(kaplan_meier_weighted(t, s, w), g, "km_iptw_female");
}

TEST(CaseWeights, KaplanMeierRefusesNonPositiveWeights) {
  const std::vector<double> t{1, 2, 3};
  const std::vector<int> s{1, 0, 1};
  EXPECT_THROW(kaplan_meier_weighted(t, s, std::vector<double>{1, 0, 1}), Error);
  EXPECT_THROW(kaplan_meier_weighted(t, s, std::vector<double>{1, -2, 1}), Error);
  EXPECT_THROW(kaplan_meier_weighted(t, s, std::vector<double>{1, NAN, 1}), Error);
}

Eigen::MatrixXd design(const WeightedLung& d, std::initializer_list<const char*> cols) {
  Eigen::MatrixXd x(static_cast<Eigen::Index>(d.time.size()), static_cast<Eigen::Index>(cols.size()));
  Eigen::Index j = 0;
  for (const char* c : cols) {
    for (std::size_t i = 0; i < d.time.size(); ++i) {
      const std::string n = c;
      x(static_cast<Eigen::Index>(i), j) = n == "female" ? d.female[i] : n == "age" ? d.age[i] : d.ecog[i];
    }
    ++j;
  }
  return x;
}

void expect_cox(const CoxFit& f, const nlohmann::json& g, const std::string& name, bool robust) {
  SCOPED_TRACE(name);
  const auto p = f.p;
  const auto coef = as_list(g[name + "_coef"]);
  for (int k = 0; k < p; ++k) EXPECT_TRUE(near_rel(f.coef(k), coef[static_cast<std::size_t>(k)], kTol));
  const auto& var = robust ? f.robust_var : f.var;
  ASSERT_EQ(var.rows(), p);
  const auto gvar = as_list(g[name + "_var"]);
  for (int i = 0; i < p; ++i)
    for (int j = 0; j < p; ++j) EXPECT_TRUE(near_rel(var(i, j), gvar[static_cast<std::size_t>(j * p + i)], 1e-8));
  if (robust) {
    const auto naive = as_list(g[name + "_naive_var"]);
    for (int i = 0; i < p; ++i)
      for (int j = 0; j < p; ++j) EXPECT_TRUE(near_rel(f.var(i, j), naive[static_cast<std::size_t>(j * p + i)], 1e-8));
    EXPECT_TRUE(near_rel(f.robust_score_test, g[name + "_rscore"], 1e-8));
  }
  EXPECT_TRUE(near_rel(f.loglik_init, g[name + "_loglik"][0], 1e-12));
  EXPECT_TRUE(near_rel(f.loglik, g[name + "_loglik"][1], 1e-12));
  EXPECT_TRUE(near_rel(f.score_test, g[name + "_score"], 1e-9));
  EXPECT_TRUE(near_rel(f.wald_test, g[name + "_wald"], 1e-8));
}

TEST(CaseWeights, CoxIptwEfronAndBreslowWithRobustVariance) {
  const auto d = load();
  const auto g = load_golden("weights");
  CoxOptions o;
  const auto efron = cox_fit(d.time, d.status, design(d, {"female"}), o, {}, {}, d.iptw);
  ASSERT_GT(efron.robust_se.size(), 0) << "non-integer weights turn the robust variance on, as coxph";
  expect_cox(efron, g, "cox_iptw_efron", true);
  EXPECT_TRUE(std::isnan(efron.concordance));
  o.ties = Ties::breslow;
  expect_cox(cox_fit(d.time, d.status, design(d, {"female"}), o, {}, {}, d.iptw), g, "cox_iptw_breslow", true);
  expect_cox(cox_fit(d.time, d.status, design(d, {"female", "age", "ecog"}), CoxOptions{}, {}, {}, d.iptw), g,
             "cox_iptw_multi", true);
}

TEST(CaseWeights, CoxIptwWithClusterAndStrata) {
  const auto d = load();
  const auto g = load_golden("weights");
  expect_cox(cox_fit(d.time, d.status, design(d, {"female", "age"}), CoxOptions{}, {}, d.inst, d.iptw), g,
             "cox_iptw_cluster", true);
  std::vector<int> strata;
  for (double e : d.ecog) strata.push_back(static_cast<int>(e));
  expect_cox(cox_fit(d.time, d.status, design(d, {"female", "age"}), CoxOptions{}, strata, {}, d.iptw), g,
             "cox_iptw_strata", true);
}

TEST(CaseWeights, CoxFrequencyWeightsModelBasedAndEqualReplication) {
  const auto d = load();
  const auto g = load_golden("weights");
  const auto x = design(d, {"female", "age"});
  const auto efron = cox_fit(d.time, d.status, x, CoxOptions{}, {}, {}, d.freq);
  EXPECT_EQ(efron.robust_se.size(), 0) << "integer weights keep the model-based variance";
  expect_cox(efron, g, "cox_freq_efron", false);
  CoxOptions b;
  b.ties = Ties::breslow;
  const auto breslow = cox_fit(d.time, d.status, x, b, {}, {}, d.freq);
  expect_cox(breslow, g, "cox_freq_breslow", false);
  // Breslow's partial likelihood with integer weights is that of the replicated rows.
  std::vector<double> t;
  std::vector<int> s;
  Eigen::MatrixXd xr(static_cast<Eigen::Index>(3 * d.time.size()), 2);
  Eigen::Index r = 0;
  for (std::size_t i = 0; i < d.time.size(); ++i)
    for (int k = 0; k < static_cast<int>(d.freq[i]); ++k) {
      t.push_back(d.time[i]);
      s.push_back(d.status[i]);
      xr.row(r++) = x.row(static_cast<Eigen::Index>(i));
    }
  const auto rep = cox_fit(t, s, xr.topRows(r), b);
  EXPECT_NEAR(rep.coef(0), breslow.coef(0), 1e-9);
  EXPECT_NEAR(rep.loglik, breslow.loglik, 1e-9);
}

TEST(CaseWeights, CoxRefusesBadWeightsAndExactTies) {
  const auto d = load();
  const auto x = design(d, {"female"});
  std::vector<double> w = d.iptw;
  w[3] = 0;
  EXPECT_THROW(cox_fit(d.time, d.status, x, CoxOptions{}, {}, {}, w), Error);
  CoxOptions e;
  e.ties = Ties::exact;
  EXPECT_THROW(cox_fit(d.time, d.status, x, e, {}, {}, d.iptw), Error);
}

}  // namespace
}  // namespace sirtkit::stats
