// mRECIST (clinical-rules.md §1.2) and EASL (§1.3) on the shared lesion engine.
#include <gtest/gtest.h>

#include "clinical/response/recist.h"
#include "../expect_bad_input.h"

namespace sirtkit::clinical {
namespace {

LesionObservation tgt(const std::string& id, double mm, std::optional<double> perp = std::nullopt,
                      const std::string& organ = "liver", bool node = false) {
  LesionObservation l;
  l.lesion_id = id;
  l.kind = LesionKind::target;
  l.organ = organ;
  l.lymph_node = node;
  l.diameter_mm = mm;
  l.perpendicular_mm = perp;
  return l;
}
LesionObservation newl(const std::string& id, const std::string& organ, std::optional<double> mm,
                       std::optional<bool> typical, LesionStatus s = LesionStatus::equivocal) {
  LesionObservation l;
  l.lesion_id = id;
  l.kind = LesionKind::new_lesion;
  l.organ = organ;
  l.diameter_mm = mm;
  l.typical_hcc = typical;
  l.status = s;
  return l;
}
LesionAssessment at(const char* d, std::vector<LesionObservation> ls) { return {parse_date(d, "d"), ls}; }

Response easl_target(double d, double p, double base_d = 40, double base_p = 30) {
  return evaluate_recist({at("2020-01-01", {tgt("T1", base_d, base_p)}), at("2020-03-01", {tgt("T1", d, p)})},
                         easl_options())
      .timepoints[0]
      .target;
}

}  // namespace

TEST(Easl, SumOfProducts) {
  const auto ev = evaluate_recist({at("2020-01-01", {tgt("T1", 40, 30), tgt("T2", 20, 10)}),
                                   at("2020-03-01", {tgt("T1", 30, 20), tgt("T2", 0)})},
                                  easl_options());
  EXPECT_EQ(ev.unit, "mm2");
  EXPECT_DOUBLE_EQ(ev.baseline_sum, 1400);
  EXPECT_DOUBLE_EQ(*ev.timepoints[0].sum, 600);
  EXPECT_EQ(ev.criteria, "EASL");
}

TEST(Easl, PartialResponseFiftyPercentInclusive) {
  // baseline 40 × 30 = 1200 mm²
  EXPECT_EQ(easl_target(30, 20.1), Response::sd);  // 603: −49.75 %
  EXPECT_EQ(easl_target(30, 20), Response::pr);    // 600: −50 %
  EXPECT_EQ(easl_target(30, 19.9), Response::pr);
  EXPECT_EQ(easl_target(0, 0), Response::cr);
}

TEST(Easl, ProgressionTwentyFivePercentOrMore) {
  EXPECT_EQ(easl_target(50, 29.9), Response::sd);   // 1495: +24.6 %
  EXPECT_EQ(easl_target(50, 30), Response::pd);     // 1500: +25 % exactly is PD ("25 % or more")
  EXPECT_EQ(easl_target(50, 30.02), Response::pd);  // 1501
}

TEST(Easl, NeedsBothDiameters) {
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {tgt("T1", 40)})}, easl_options()), "perpendicular_mm", "label and date not shown");
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {tgt("T1", 40, 41)})}, easl_options()), "perpendicular_mm", "41");
  LesionObservation tstm = tgt("T1", 0);
  tstm.status = LesionStatus::too_small;
  tstm.diameter_mm.reset();
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {tgt("T1", 40, 30)}), at("2020-03-01", {tstm})}, easl_options()),
                   "TSTM");
}

TEST(Mrecist, NoAbsoluteFiveMillimetreRule) {
  const auto r = evaluate_recist({at("2020-01-01", {tgt("T1", 20)}), at("2020-03-01", {tgt("T1", 24)})},
                                 mrecist_options());
  EXPECT_EQ(r.timepoints[0].target, Response::pd);
  EXPECT_EQ(r.criteria, "mRECIST");
}

TEST(Mrecist, PortaHepatisNodeNeedsTwentyMillimetres) {
  auto base = [](double sa, const std::string& organ) {
    return std::vector<LesionAssessment>{at("2020-01-01", {tgt("N1", sa, std::nullopt, organ, true)})};
  };
  EXPECT_BAD_INPUT(evaluate_recist(base(19.9, "porta hepatis"), mrecist_options()), "label and date not shown", "19.9");
  EXPECT_NO_THROW(evaluate_recist(base(20, "porta hepatis"), mrecist_options()));
  EXPECT_NO_THROW(evaluate_recist(base(15, "mediastinum"), mrecist_options()));
  EXPECT_NO_THROW(evaluate_recist(base(19.9, "porta hepatis"), recist11_options()));  // RECIST: 15 mm
}

TEST(Mrecist, NewIntrahepaticLesionRule) {
  auto overall = [](LesionObservation n) {
    return evaluate_recist({at("2020-01-01", {tgt("T1", 40)}), at("2020-03-01", {tgt("T1", 38), n})},
                           mrecist_options())
        .timepoints[0]
        .overall;
  };
  EXPECT_EQ(overall(newl("L1", "liver", 9.9, true)), Response::sd);   // < 10 mm
  EXPECT_EQ(overall(newl("L1", "liver", 10, true)), Response::pd);    // >= 10 mm, typical
  EXPECT_EQ(overall(newl("L1", "liver", 15, false)), Response::sd);   // atypical
  EXPECT_EQ(overall(newl("L1", "lung", std::nullopt, std::nullopt, LesionStatus::unequivocal)), Response::pd);
  EXPECT_BAD_INPUT(overall(newl("L1", "liver", 8, true, LesionStatus::unequivocal)), "unequivocal", "8");
}

TEST(Mrecist, AtypicalNewLesionConfirmedByTenMillimetreGrowth) {
  auto run = [](double later_mm) {
    return evaluate_recist({at("2020-01-01", {tgt("T1", 40)}),
                            at("2020-03-01", {tgt("T1", 38), newl("L1", "liver", 8, false)}),
                            at("2020-05-01", {tgt("T1", 38), newl("L1", "liver", later_mm, false)})},
                           mrecist_options());
  };
  auto ev = run(17.9);  // +9.9 mm: not confirmed
  EXPECT_EQ(ev.timepoints[0].overall, Response::sd);
  EXPECT_EQ(ev.timepoints[1].overall, Response::sd);
  ev = run(18);  // +10 mm: PD dated to the first appearance
  EXPECT_EQ(ev.timepoints[0].overall, Response::pd);
  EXPECT_EQ(ev.timepoints[1].overall, Response::pd);
}

}  // namespace sirtkit::clinical
