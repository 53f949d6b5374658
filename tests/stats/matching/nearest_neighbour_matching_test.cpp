// Nearest-neighbour matching (stats/matching/nearest_neighbour_matching.h) and the
// balance table (stats/matching/covariate_balance.h) against MatchIt 4.5.1 on lalonde
// and a simulated cohort (tests/data/matching/matching.R): given R's
// distances, the same matched sets, in the same order, the same weights and
// subclasses; summary()'s balance before and after to 1e-9 relative.

#include "stats/matching/nearest_neighbour_matching.h"

#include <gtest/gtest.h>

#include "stats/matching/covariate_balance.h"
#include "matching_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

struct Case {
  nlohmann::json g;
  Frame f;
  std::vector<int> treat;
  std::vector<double> distance;
  std::vector<int> exact;
  NearestNeighbourOptions options;
};

Case load_case(const nlohmann::json& g) {
  Case c{g, load_csv(g["file"]), {}, {}, {}, {}};
  const std::string cli = g["cli"];
  const std::string treat = cli_value(cli, "--treatment");
  for (std::size_t i = 0; i < c.f.rows(); ++i) c.treat.push_back(static_cast<int>(c.f.num(treat, i)));
  for (const auto& d : g["distance"]) c.distance.push_back(d.get<double>());
  const std::string exact = cli_value(cli, "--exact");
  if (!exact.empty()) {
    std::map<std::string, int> codes;
    for (std::size_t i = 0; i < c.f.rows(); ++i) {
      std::string key;
      for (const auto& col : split_commas(exact)) key += c.f.at(col, i) + "\x1f";
      c.exact.push_back(codes.emplace(key, static_cast<int>(codes.size())).first->second);
    }
  }
  const std::string ratio = cli_value(cli, "--ratio");
  c.options.ratio = ratio.empty() ? 1 : std::stoi(ratio);
  c.options.replace = !cli_value(cli, "--replace").empty();
  if (!g["caliper"].is_null()) c.options.caliper = g["caliper"].get<double>();
  c.options.matchit_451 = true;
  return c;
}

TEST(NearestNeighbourMatching, SameMatchedSetsWeightsAndSubclassesAsMatchIt) {
  const auto golden = load_matching_golden("matching");
  ASSERT_EQ(golden["cases"].size(), 11u);
  for (const auto& g : golden["cases"]) {
    SCOPED_TRACE(g["name"].get<std::string>());
    const Case c = load_case(g);
    const auto m = nearest_neighbour_match(c.treat, c.distance, c.exact, c.options);
    ASSERT_EQ(m.treated.size(), g["treated_rows"].size());
    std::size_t differing = 0;
    for (std::size_t t = 0; t < m.treated.size(); ++t) {
      EXPECT_EQ(m.treated[t] + 1, g["treated_rows"][t].get<std::size_t>());
      std::vector<std::size_t> want;
      for (const auto& r : as_list(g["matches"][t]))
        if (!r.is_null()) want.push_back(r.get<std::size_t>() - 1);
      if (m.matches[t] != want) ++differing;
    }
    EXPECT_EQ(differing, 0u);
    for (std::size_t i = 0; i < c.treat.size(); ++i) {
      EXPECT_TRUE(near_rel(m.weights[i], g["weights"][i], 1e-12)) << "row " << i + 1;
      if (!g["subclass"].is_array()) EXPECT_EQ(m.subclass[i], 0);
      else EXPECT_EQ(m.subclass[i], g["subclass"][i].is_null() ? 0 : g["subclass"][i].get<int>()) << "row " << i + 1;
    }
    EXPECT_EQ(static_cast<double>(m.matched_treated), g["nn"]["matched_treated"].get<double>());
    EXPECT_EQ(static_cast<double>(m.matched_control), g["nn"]["matched_control"].get<double>());
  }
}

// 1e-9 relative, or 1e-12 absolute for differences that are zero up to rounding.
::testing::AssertionResult near(double a, const nlohmann::json& e, double rel) {
  if (!e.is_null() && std::fabs(a - e.get<double>()) < 1e-12) return ::testing::AssertionSuccess();
  return near_rel(a, e, rel);
}

void expect_row(const BalanceRow& r, const nlohmann::json& t, std::size_t k, bool pairs) {
  EXPECT_TRUE(near(r.mean_treated, t["means_treated"][k], 1e-9));
  EXPECT_TRUE(near(r.mean_control, t["means_control"][k], 1e-9));
  EXPECT_TRUE(near(r.smd, t["smd"][k], 1e-9));
  EXPECT_TRUE(near(r.variance_ratio, t["variance_ratio"][k], 1e-9));
  EXPECT_TRUE(near(r.ecdf_mean, t["ecdf_mean"][k], 1e-9));
  EXPECT_TRUE(near(r.ecdf_max, t["ecdf_max"][k], 1e-9));
  if (pairs) EXPECT_TRUE(near(r.pair_distance, t["pair_distance"][k], 1e-9));
}

TEST(CovariateBalance, SummaryMatchitBeforeAndAfter) {
  const auto golden = load_matching_golden("matching");
  for (const auto& g : golden["cases"]) {
    SCOPED_TRACE(g["name"].get<std::string>());
    const Case c = load_case(g);
    const auto m = nearest_neighbour_match(c.treat, c.distance, c.exact, c.options);
    std::vector<MatchedPair> pairs;
    for (std::size_t t = 0; t < m.treated.size(); ++t)
      for (std::size_t r : m.matches[t]) pairs.push_back({m.treated[t], r});
    const auto& terms = g["balance_all"]["terms"];
    for (std::size_t k = 0; k < terms.size(); ++k) {
      const std::string term = terms[k];
      SCOPED_TRACE(term);
      const auto x = term == "distance" ? c.distance : term_column(c.f, term);
      expect_row(balance_row(x, c.treat, {}, SdDenominator::treated), g["balance_all"], k, false);
      expect_row(balance_row(x, c.treat, m.weights, SdDenominator::treated, pairs), g["balance_matched"], k, true);
    }
  }
}

TEST(NearestNeighbourMatching, TiesGoToTheLowerControlAndCaliperExcludes) {
  // Treated at 0.5 between controls at 0.4 and 0.6 (equally close: the lower
  // one); the second treated at 0.9 then has only 0.6 left, outside a 0.25 caliper.
  const std::vector<int> treat{0, 1, 0, 1};
  const std::vector<double> d{0.4, 0.5, 0.6, 0.9};
  NearestNeighbourOptions o;
  auto m = nearest_neighbour_match(treat, d, {}, o);
  // Largest first: 0.9 takes 0.6, then 0.5 takes 0.4.
  EXPECT_EQ(m.matches[0], std::vector<std::size_t>{0});
  EXPECT_EQ(m.matches[1], std::vector<std::size_t>{2});
  o.caliper = 0.25;
  o.replace = true;  // data order: 0.5 first, equally close: 0.4 (below)
  m = nearest_neighbour_match(treat, d, {}, o);
  EXPECT_EQ(m.matches[0], std::vector<std::size_t>{0});
  EXPECT_EQ(m.matches[1], std::vector<std::size_t>{});
  EXPECT_EQ(m.weights[3], 0.0);
}

}  // namespace
}  // namespace sirtkit::stats
