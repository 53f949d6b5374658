// Subgroup HRs and the interaction LRT against R 4.2.2 / survival 3.5-3
// (statistics-methods.md §1.8, script g6.R): veteran, trt 2 vs 1 within
// celltype (Efron), values as printed there (4 decimals; p of the LRT 5).

#include "stats/survival/subgroup_analysis.h"

#include <gtest/gtest.h>

#include "../survival_golden.h"

namespace sirtkit::stats {
namespace {

using namespace testing;

TEST(SubgroupAnalysis, VeteranTreatmentByCelltype) {
  const Frame f = load_frame("veteran");
  const auto lv = levels(f, "celltype");  // adeno, large, smallcell, squamous (R's factor order)
  std::vector<double> time, trt;
  std::vector<int> status, sub;
  for (std::size_t r = 0; r < f.rows(); ++r) {
    time.push_back(f.num("time", r));
    status.push_back(static_cast<int>(f.num("status", r)));
    trt.push_back(f.num("trt", r) == 2 ? 1.0 : 0.0);
    sub.push_back(level_code(lv, f.at("celltype", r)));
  }
  const auto a = subgroup_analysis(time, status, trt, sub, static_cast<int>(lv.size()));
  struct Row {
    const char* level;
    int n, events;
    double hr, lo, hi, p;
  };
  const Row expected[] = {{"squamous", 35, 31, 0.5444, 0.2508, 1.1815, 0.1240},
                          {"smallcell", 48, 45, 1.6521, 0.8630, 3.1627, 0.1297},
                          {"adeno", 27, 26, 1.2296, 0.5270, 2.8685, 0.6326},
                          {"large", 27, 26, 1.5356, 0.6917, 3.4092, 0.2918}};
  for (const auto& e : expected) {
    const auto& g = a.levels[level_code(lv, e.level)];
    SCOPED_TRACE(e.level);
    EXPECT_EQ(g.n, e.n);
    EXPECT_EQ(g.events, e.events);
    EXPECT_NEAR(g.hr, e.hr, 5e-5);
    EXPECT_NEAR(g.hr_lower, e.lo, 5e-5);
    EXPECT_NEAR(g.hr_upper, e.hi, 5e-5);
    EXPECT_NEAR(g.p_value, e.p, 5e-5);
  }
  EXPECT_NEAR(a.overall.hr, 1.0179, 5e-5);
  EXPECT_NEAR(a.overall.hr_lower, 0.7144, 5e-5);
  EXPECT_NEAR(a.overall.hr_upper, 1.4504, 5e-5);
  EXPECT_NEAR(a.overall.p_value, 0.9218, 5e-5);
  EXPECT_NEAR(a.interaction_chisq, 8.2162, 5e-5);
  EXPECT_EQ(a.interaction_df, 3);
  EXPECT_NEAR(a.interaction_p, 0.04175, 5e-6);
  // The overall HR is also the golden's univariable group fit (1e-6 relative).
  const auto g = load_golden("veteran");
  EXPECT_TRUE(near_rel(a.overall.hr, g["cox_univariable_group"]["hr"], 1e-6));
}

}  // namespace
}  // namespace sirtkit::stats
