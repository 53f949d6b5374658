// Group-sequential boundaries against rpact 3.3.4 getDesignGroupSequential
// (asOF, asP) and getDesignCharacteristics (tests/data/trial_design/group_sequential_rpact.R),
// plus properties that hold whatever the reference: the spending is honoured,
// one look is the fixed design, and the integration agrees with a finer grid.
#include "stats/trial/group_sequential.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <map>
#include <sstream>

#include "../expect_bad_input.h"
#include "../golden_table.h"

namespace sirtkit::stats {
namespace {

std::vector<double> rates_of(const std::string& s) {
  std::vector<double> v;
  std::stringstream ss(s);
  std::string x;
  while (std::getline(ss, x, ';')) v.push_back(std::stod(x));
  return v;
}

TEST(GroupSequential, MatchesRpact) {
  const auto rows = test::read_golden("trial_design/group_sequential_rpact.csv");
  std::map<std::string, std::vector<const test::GoldenRow*>> cases;
  for (const auto& r : rows) cases[r.text("case")].push_back(&r);
  ASSERT_EQ(cases.size(), 8u);
  for (const auto& [id, looks] : cases) {
    const auto& g = *looks.front();
    SCOPED_TRACE("case " + id + " " + g.text("type"));
    GroupSequentialInput in;
    in.information_rates = rates_of(g.text("information_rates"));
    in.alpha = g.num("alpha");
    in.beta = g.num("beta");
    in.sided = static_cast<int>(g.num("sided"));
    in.spending = parse_spending_function(g.text("type"));
    const auto d = group_sequential_design(in);
    ASSERT_EQ(d.critical_values.size(), looks.size());
    for (std::size_t k = 0; k < looks.size(); ++k) {
      SCOPED_TRACE("look " + std::to_string(k + 1));
      // rpact finds each boundary to its tolerance (1e-10 here) on the probability scale.
      EXPECT_TRUE(RelNear(d.critical_values[k], looks[k]->num("critical"), 1e-7));
      // rpact reports alpha - 1e-8 spent at the last look; the spending function itself elsewhere.
      EXPECT_TRUE(RelNear(d.alpha_spent[k], looks[k]->num("alpha_spent"), k + 1 == looks.size() ? 1e-6 : 1e-8));
      EXPECT_TRUE(RelNear(d.stage_levels[k], looks[k]->num("stage_level"), 1e-6));
      EXPECT_NEAR(d.rejection_probabilities[k], looks[k]->num("rejection_h1"), 1e-7);
    }
    EXPECT_TRUE(RelNear(d.inflation_factor, g.num("inflation"), 1e-7));
    EXPECT_TRUE(RelNear(d.drift_squared, g.num("shift"), 1e-7));
    EXPECT_TRUE(RelNear(d.expected_relative_size_h1, g.num("asn1"), 1e-7));
    EXPECT_TRUE(RelNear(d.expected_relative_size_h01, g.num("asn01"), 1e-7));
    EXPECT_TRUE(RelNear(d.expected_relative_size_h0, g.num("asn0"), 1e-7));
  }
}

TEST(GroupSequential, BoundariesSpendExactlyTheAlphaOfTheSpendingFunction) {
  GroupSequentialInput in;
  in.information_rates = {0.25, 0.5, 0.75, 1};
  in.spending = SpendingFunction::pocock;
  const auto d = group_sequential_design(in);
  const auto h0 = boundary_crossing(in.information_rates, d.critical_values, 0.0, false);
  double cum = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    cum += h0.upper[k];
    EXPECT_NEAR(cum, in.alpha * std::log(1 + (std::exp(1.0) - 1) * in.information_rates[k]), 1e-11);
  }
  // Pocock-type spending gives nearly flat boundaries; O'Brien-Fleming-type falls steeply.
  EXPECT_LT(std::fabs(d.critical_values[0] - d.critical_values[3]), 0.25);
  in.spending = SpendingFunction::obrien_fleming;
  const auto of = group_sequential_design(in);
  EXPECT_GT(of.critical_values[0], 4.0);
}

TEST(GroupSequential, OneLookIsTheFixedDesign) {
  GroupSequentialInput in;
  in.information_rates = {1};
  const auto d = group_sequential_design(in);
  EXPECT_NEAR(d.critical_values[0], 1.959963984540054, 1e-12);
  EXPECT_NEAR(d.inflation_factor, 1.0, 1e-9);
  EXPECT_NEAR(d.power, 0.8, 1e-10);
}

TEST(GroupSequential, TwoLooksAgainstTheBivariateNormal) {
  // Two looks at t = 0.5: corr(Z1, Z2) = sqrt(0.5). P(Z1 < c1, Z2 >= c2) under H0 by a
  // one-dimensional integral with a fine midpoint rule, independent of the J&T grid.
  GroupSequentialInput in;
  in.information_rates = {0.5, 1};
  const auto d = group_sequential_design(in);
  const double c1 = d.critical_values[0], c2 = d.critical_values[1], rho = std::sqrt(0.5);
  double p = 0;
  const int m = 400000;
  const double lo = -12, h = (c1 - lo) / m;
  for (int i = 0; i < m; ++i) {
    const double z = lo + (i + 0.5) * h;
    const double dens = std::exp(-0.5 * z * z) / std::sqrt(2 * M_PI);
    p += dens * 0.5 * std::erfc((c2 - rho * z) / std::sqrt(1 - rho * rho) / std::sqrt(2.0)) * h;
  }
  EXPECT_NEAR(p, d.alpha_spent[1] - d.alpha_spent[0], 1e-10);
}

TEST(GroupSequential, AnswersWellUnderASecond) {
  GroupSequentialInput in;
  in.information_rates = {0.2, 0.4, 0.6, 0.8, 1};
  in.sided = 2;
  in.alpha = 0.05;
  const auto t0 = std::chrono::steady_clock::now();
  group_sequential_design(in);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 1.0);
}

TEST(GroupSequential, BadInput) {
  GroupSequentialInput in;
  in.information_rates = {0.5, 0.4, 1};
  EXPECT_BAD_INPUT(group_sequential_design(in), "information_rates");
  in.information_rates = {0.5, 0.9};
  EXPECT_BAD_INPUT(group_sequential_design(in), "information_rates");
  in.information_rates = {0.5, 1};
  in.alpha = 0.7;
  EXPECT_BAD_INPUT(group_sequential_design(in), "alpha");
  EXPECT_BAD_INPUT(parse_spending_function("haybittle"), "spending");
}

}  // namespace
}  // namespace sirtkit::stats
