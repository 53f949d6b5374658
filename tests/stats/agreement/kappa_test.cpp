// Cohen's kappa against the textbook 2x2 example of statistics-methods.md
// §1.8 and against R (tests/data/agreement/kappa.R: the Fleiss-Cohen-Everitt
// formulas written in matrix form, base R 4.2.2), unweighted, linear and
// quadratic, plus identities that hold whatever the data.

#include "stats/agreement/kappa.h"

#include <gtest/gtest.h>

#include <cmath>

#include "core/error.h"

namespace sirtkit::stats {
namespace {

TEST(Kappa, TextbookTwoByTwo) {
  // statistics-methods.md §1.8 / appendix g4.R "Cohen kappa textbook":
  // m <- matrix(c(20,10,5,15),2): p_o 0.70, p_e 0.50, kappa 0.40, se0 0.138564 (z 2.887),
  // Fleiss-Cohen-Everitt se 0.126996, 95% CI (0.1511, 0.6489).
  const auto k = cohen_kappa({{20, 5}, {10, 15}});
  EXPECT_EQ(k.n, 50);
  EXPECT_NEAR(k.observed_agreement, 0.70, 1e-15);
  EXPECT_NEAR(k.expected_agreement, 0.50, 1e-15);
  EXPECT_NEAR(k.kappa, 0.40, 1e-14);
  EXPECT_NEAR(k.se_null, 0.138564, 5e-7);
  EXPECT_NEAR(k.z, 2.887, 5e-4);
  EXPECT_NEAR(k.se, 0.126996, 5e-7);
  EXPECT_NEAR(k.lower, 0.1511, 5e-5);
  EXPECT_NEAR(k.upper, 0.6489, 5e-5);
  // R (kappa.R): se0 0.13856406460551021, se1 0.12699606293110033, p 0.00389241712277864.
  EXPECT_NEAR(k.se_null, 0.13856406460551021, 1e-12);
  EXPECT_NEAR(k.se, 0.12699606293110033, 1e-12);
  EXPECT_NEAR(k.p_value, 0.00389241712277864, 1e-12);
}

// Two radiologists' best response (tests/data/agreement/response_readers.csv,
// 39 complete pairs), categories CR, PR, SD, PD in clinical order.
const std::vector<std::vector<double>> kReaders{{3, 2, 0, 0}, {2, 6, 6, 0}, {0, 4, 6, 5}, {0, 0, 3, 2}};

struct RGolden {
  KappaWeights weights;
  double po, pe, kappa, se0, se1, z, p, lower, upper;
};

// kappa.R output (print(fce(...)), digits = 15).
const RGolden kGoldens[] = {
    {KappaWeights::none, 0.4358974358974359, 0.2978303747534517, 0.1966292134831460, 0.0988294404499012, 0.1178963568273084,
     1.9895813695598292, 0.0466370701234873, -0.0344433998068613, 0.4277018267731534},
    {KappaWeights::linear, 0.811965811965811968, 0.672145518299364420, 0.426470588235294157, 0.108200072691904875,
     0.095896690355558686, 3.941500015897873688, 0.000080973629683588, 0.238516528901809632, 0.614424647568778681},
    {KappaWeights::quadratic, 9.37321937321937e-01, 8.19417050186281e-01, 6.52912621359224e-01, 1.58847623254912e-01,
     7.09021623790415e-02, 4.11030777785990e+00, 3.95132094003711e-05, 5.13946936670292e-01, 7.91878306048156e-01},
};

TEST(Kappa, WeightedAndUnweightedMatchR) {
  for (const auto& g : kGoldens) {
    SCOPED_TRACE(kappa_weights_name(g.weights));
    const auto k = cohen_kappa(kReaders, g.weights);
    EXPECT_EQ(k.n, 39);
    EXPECT_NEAR(k.observed_agreement, g.po, 1e-13);
    EXPECT_NEAR(k.expected_agreement, g.pe, 1e-13);
    EXPECT_NEAR(k.kappa, g.kappa, 1e-12);
    EXPECT_NEAR(k.se_null, g.se0, 1e-12);
    EXPECT_NEAR(k.se, g.se1, 1e-12);
    EXPECT_NEAR(k.z, g.z, 1e-10);
    EXPECT_NEAR(k.p_value / g.p, 1.0, 1e-8);
    EXPECT_NEAR(k.lower, g.lower, 1e-12);
    EXPECT_NEAR(k.upper, g.upper, 1e-12);
  }
}

TEST(Kappa, QuadraticWeightsEqualTheMomentFormula) {
  // With quadratic weights, kappa_w = 2 cov(x, y) / (var x + var y + (mean x - mean y)^2) with
  // 1/n moments of the category scores (Fleiss & Cohen 1973): an identity independent of the tables.
  double n = 0, mx = 0, my = 0;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      n += kReaders[i][j];
      mx += i * kReaders[i][j];
      my += j * kReaders[i][j];
    }
  mx /= n;
  my /= n;
  double vx = 0, vy = 0, cxy = 0;
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) {
      vx += (i - mx) * (i - mx) * kReaders[i][j] / n;
      vy += (j - my) * (j - my) * kReaders[i][j] / n;
      cxy += (i - mx) * (j - my) * kReaders[i][j] / n;
    }
  EXPECT_NEAR(cohen_kappa(kReaders, KappaWeights::quadratic).kappa, 2 * cxy / (vx + vy + (mx - my) * (mx - my)), 1e-14);
}

TEST(Kappa, TwoCategoriesWeightsDoNotMatter) {
  // With k = 2 every weighting is the identity.
  const auto a = cohen_kappa({{20, 5}, {10, 15}}, KappaWeights::none);
  const auto b = cohen_kappa({{20, 5}, {10, 15}}, KappaWeights::quadratic);
  EXPECT_DOUBLE_EQ(a.kappa, b.kappa);
  EXPECT_DOUBLE_EQ(a.se, b.se);
}

TEST(Kappa, PerfectAgreementAndChance) {
  const auto perfect = cohen_kappa({{10, 0, 0}, {0, 5, 0}, {0, 0, 7}});
  EXPECT_DOUBLE_EQ(perfect.kappa, 1.0);
  EXPECT_NEAR(perfect.se, 0.0, 1e-12);  // no sampling spread around kappa = 1
  EXPECT_GT(perfect.se_null, 0.0);
  // Independent raters with identical margins: p_o = p_e, kappa 0.
  const auto chance = cohen_kappa({{4, 4}, {4, 4}});
  EXPECT_NEAR(chance.kappa, 0.0, 1e-15);
  EXPECT_NEAR(chance.p_value, 1.0, 1e-12);
}

TEST(Kappa, FromRatings) {
  // The 2x2 example as 50 subjects: 20 (0,0), 5 (0,1), 10 (1,0), 15 (1,1).
  std::vector<int> r1, r2;
  auto add = [&](int a, int b, int times) {
    for (int t = 0; t < times; ++t) {
      r1.push_back(a);
      r2.push_back(b);
    }
  };
  add(0, 0, 20);
  add(0, 1, 5);
  add(1, 0, 10);
  add(1, 1, 15);
  EXPECT_NEAR(cohen_kappa(r1, r2, 2).kappa, 0.40, 1e-14);
  EXPECT_THROW(cohen_kappa(r1, std::vector<int>(49, 0), 2), Error);
  r2[3] = 2;
  EXPECT_THROW(cohen_kappa(r1, r2, 2), Error);
}

TEST(Kappa, BadTablesAreRefused) {
  EXPECT_THROW(cohen_kappa({{5, 0}, {0, 0}}), Error);  // one category only: chance agreement 1
  EXPECT_THROW(cohen_kappa({{0, 0}, {0, 0}}), Error);  // no pairs
  EXPECT_THROW(cohen_kappa({{1, 2, 3}, {1, 2}}), Error);
  EXPECT_THROW(cohen_kappa({{1, -2}, {1, 2}}), Error);
  EXPECT_THROW(parse_kappa_weights("cubic"), Error);
  EXPECT_EQ(parse_kappa_weights("linear"), KappaWeights::linear);
}

TEST(Kappa, WeightMatrices) {
  const auto lin = kappa_weight_matrix(4, KappaWeights::linear);
  const auto quad = kappa_weight_matrix(4, KappaWeights::quadratic);
  EXPECT_DOUBLE_EQ(lin[0][1], 2.0 / 3);
  EXPECT_DOUBLE_EQ(lin[0][3], 0.0);
  EXPECT_DOUBLE_EQ(quad[0][1], 1 - 1.0 / 9);
  EXPECT_DOUBLE_EQ(quad[1][3], 1 - 4.0 / 9);
  EXPECT_DOUBLE_EQ(quad[2][2], 1.0);
}

}  // namespace
}  // namespace sirtkit::stats
