// RECIST 1.1 (clinical-rules.md §1.1): Tables 4 and 5 cell by cell, every threshold just
// below / at / above, the EORTC clarifications, and the bad-input rules.
#include "clinical/response/recist.h"

#include <gtest/gtest.h>

#include "../expect_bad_input.h"

namespace sirtkit::clinical {
namespace {

LesionObservation tgt(const std::string& id, double mm, const std::string& organ = "liver", bool node = false) {
  LesionObservation l;
  l.lesion_id = id;
  l.kind = LesionKind::target;
  l.organ = organ;
  l.lymph_node = node;
  l.status = LesionStatus::measured;
  l.diameter_mm = mm;
  return l;
}
LesionObservation tgt_status(const std::string& id, LesionStatus s) {
  LesionObservation l = tgt(id, 0);
  l.status = s;
  l.diameter_mm.reset();
  return l;
}
LesionObservation nt(const std::string& id, LesionStatus s) {
  LesionObservation l;
  l.lesion_id = id;
  l.kind = LesionKind::non_target;
  l.organ = "peritoneum";
  l.status = s;
  return l;
}
LesionObservation nl(const std::string& id, LesionStatus s = LesionStatus::unequivocal) {
  LesionObservation l;
  l.lesion_id = id;
  l.kind = LesionKind::new_lesion;
  l.organ = "lung";
  l.status = s;
  return l;
}
LesionAssessment at(const char* date, std::vector<LesionObservation> ls) { return {parse_date(date, "d"), ls}; }

// Baseline: one liver target of `base` mm; follow-ups each with one value.
std::vector<Response> single(double base, std::vector<double> fu, const RecistOptions& o = {}) {
  std::vector<LesionAssessment> as = {at("2020-01-01", {tgt("T1", base)})};
  const char* dates[] = {"2020-03-01", "2020-05-01", "2020-07-01", "2020-09-01"};
  for (size_t i = 0; i < fu.size(); ++i) as.push_back(at(dates[i], {tgt("T1", fu[i])}));
  std::vector<Response> out;
  for (const auto& tp : evaluate_recist(as, o).timepoints) out.push_back(tp.target);
  return out;
}

}  // namespace

TEST(RecistTables, Table4CellByCell) {
  using R = Response;
  // Target CR
  EXPECT_EQ(overall_response(true, R::cr, R::cr, false), R::cr);
  EXPECT_EQ(overall_response(true, R::cr, R::not_applicable, false), R::cr);
  EXPECT_EQ(overall_response(true, R::cr, R::non_cr_non_pd, false), R::pr);
  EXPECT_EQ(overall_response(true, R::cr, R::ne, false), R::pr);
  // Target PR with non-PD or not all evaluated
  for (R n : {R::cr, R::non_cr_non_pd, R::ne, R::not_applicable}) EXPECT_EQ(overall_response(true, R::pr, n, false), R::pr);
  // Target SD
  for (R n : {R::cr, R::non_cr_non_pd, R::ne, R::not_applicable}) EXPECT_EQ(overall_response(true, R::sd, n, false), R::sd);
  // Target not all evaluated, non-PD
  for (R n : {R::cr, R::non_cr_non_pd, R::ne, R::not_applicable}) EXPECT_EQ(overall_response(true, R::ne, n, false), R::ne);
  // PD rows: target PD any; non-target PD any; new lesions any
  for (R t : {R::cr, R::pr, R::sd, R::pd, R::ne}) {
    for (R n : {R::cr, R::non_cr_non_pd, R::pd, R::ne, R::not_applicable}) {
      EXPECT_EQ(overall_response(true, t, n, true), R::pd);
      if (t == R::pd || n == R::pd) EXPECT_EQ(overall_response(true, t, n, false), R::pd);
    }
  }
}

TEST(RecistTables, Table5NonTargetOnly) {
  using R = Response;
  EXPECT_EQ(overall_response(false, R::not_applicable, R::cr, false), R::cr);
  EXPECT_EQ(overall_response(false, R::not_applicable, R::non_cr_non_pd, false), R::non_cr_non_pd);
  EXPECT_EQ(overall_response(false, R::not_applicable, R::ne, false), R::ne);
  EXPECT_EQ(overall_response(false, R::not_applicable, R::pd, false), R::pd);
  for (R n : {R::cr, R::non_cr_non_pd, R::ne, R::pd}) EXPECT_EQ(overall_response(false, R::not_applicable, n, true), R::pd);
}

TEST(Recist, PartialResponseBoundaryThirtyPercent) {
  // baseline 100 mm: 70.1 (−29.9 %) SD, 70 (−30 %) PR, 69.9 PR
  EXPECT_EQ(single(100, {70.1})[0], Response::sd);
  EXPECT_EQ(single(100, {70})[0], Response::pr);
  EXPECT_EQ(single(100, {69.9})[0], Response::pr);
}

TEST(Recist, ProgressionBoundaryTwentyPercentVsNadir) {
  // baseline 100, nadir 50 (PR); then 59.9 (+19.8 %) still PR vs baseline, 60 (+20 %, +10 mm) PD
  EXPECT_EQ(single(100, {50, 59.9})[1], Response::pr);
  EXPECT_EQ(single(100, {50, 60})[1], Response::pd);
  EXPECT_EQ(single(100, {50, 60.1})[1], Response::pd);
  // PD is measured from the nadir, not from baseline: 100 → 80 (SD) → 96 (+20 % of 80) PD
  EXPECT_EQ(single(100, {80, 95.9})[1], Response::sd);
  EXPECT_EQ(single(100, {80, 96})[1], Response::pd);
}

TEST(Recist, ProgressionNeedsFiveMillimetres) {
  // baseline 20 = nadir: 24 (+20 %, +4 mm) SD; 25 (+25 %, +5 mm) PD
  EXPECT_EQ(single(20, {24})[0], Response::sd);
  EXPECT_EQ(single(20, {24.9})[0], Response::sd);
  EXPECT_EQ(single(20, {25})[0], Response::pd);
  // nadir 25: 29.9 (+4.9 mm) SD, 30 (+20 %, +5 mm) PD
  EXPECT_EQ(single(25, {29.9})[0], Response::sd);
  EXPECT_EQ(single(25, {30})[0], Response::pd);
  // Without the absolute rule (mRECIST option) 24 is PD
  RecistOptions m;
  m.require_abs_5mm = false;
  EXPECT_EQ(single(20, {24}, m)[0], Response::pd);
  EXPECT_EQ(single(20, {23.9}, m)[0], Response::sd);
}

TEST(Recist, EortcContinuedPartialResponse) {
  // EORTC: 165 → 63 → 65 mm: the third time point stays PR (65 is +3 % vs nadir 63)
  const auto r = single(165, {63, 65});
  EXPECT_EQ(r[0], Response::pr);
  EXPECT_EQ(r[1], Response::pr);
  const auto ev = evaluate_recist({at("2020-01-01", {tgt("T1", 165)}), at("2020-03-01", {tgt("T1", 63)}),
                                   at("2020-05-01", {tgt("T1", 65)})});
  EXPECT_DOUBLE_EQ(ev.timepoints[1].nadir, 63);
  EXPECT_NEAR(*ev.timepoints[1].change_from_baseline_pct, -60.606, 1e-3);
  EXPECT_NEAR(*ev.timepoints[1].change_from_nadir_pct, 3.175, 1e-3);
  EXPECT_EQ(ev.timepoints[1].day, 121);
}

TEST(Recist, SumOfDiametersUsesShortAxisOfNodes) {
  const auto ev = evaluate_recist({at("2020-01-01", {tgt("T1", 42), tgt("N1", 18, "", true), tgt("T2", 25, "lung")}),
                                   at("2020-03-01", {tgt("T1", 30), tgt("N1", 12, "", true), tgt("T2", 20, "lung")})});
  EXPECT_DOUBLE_EQ(ev.baseline_sum, 85);
  EXPECT_DOUBLE_EQ(*ev.timepoints[0].sum, 62);
  EXPECT_EQ(ev.timepoints[0].target, Response::sd);  // −27 %
}

TEST(Recist, NodalCompleteResponseBelowTenMillimetres) {
  auto target_at = [](double node_mm) {
    return evaluate_recist({at("2020-01-01", {tgt("T1", 30), tgt("N1", 20, "", true)}),
                            at("2020-03-01", {tgt("T1", 0), tgt("N1", node_mm, "", true)})})
        .timepoints[0];
  };
  EXPECT_EQ(target_at(9.9).target, Response::cr);
  EXPECT_DOUBLE_EQ(*target_at(9.9).sum, 9.9);  // SoD > 0 at CR: node short axis kept
  EXPECT_EQ(target_at(10).target, Response::pr);
  EXPECT_EQ(target_at(10.1).target, Response::pr);
}

TEST(Recist, TooSmallToMeasureIsFiveMillimetres) {
  const auto ev = evaluate_recist({at("2020-01-01", {tgt("T1", 30)}),
                                   at("2020-03-01", {tgt_status("T1", LesionStatus::too_small)})});
  EXPECT_DOUBLE_EQ(*ev.timepoints[0].sum, 5);
  EXPECT_EQ(ev.timepoints[0].target, Response::pr);  // not CR
}

TEST(Recist, NotEvaluatedTargetGivesNeUnlessPd) {
  // T2 missing: NE
  auto ev = evaluate_recist({at("2020-01-01", {tgt("T1", 30), tgt("T2", 20, "lung")}),
                             at("2020-03-01", {tgt("T1", 25)})});
  EXPECT_EQ(ev.timepoints[0].target, Response::ne);
  EXPECT_EQ(ev.timepoints[0].overall, Response::ne);
  EXPECT_FALSE(ev.timepoints[0].sum.has_value());
  // T2 not evaluated but T1 alone already 60 ≥ 1.2 × 50 → PD
  ev = evaluate_recist({at("2020-01-01", {tgt("T1", 30), tgt("T2", 20, "lung")}),
                        at("2020-03-01", {tgt("T1", 60), tgt_status("T2", LesionStatus::not_evaluated)})});
  EXPECT_EQ(ev.timepoints[0].target, Response::pd);
  EXPECT_EQ(ev.timepoints[0].overall, Response::pd);
}

TEST(Recist, NonTargetsAndOverall) {
  auto overall = [](LesionStatus s, double t_mm) {
    return evaluate_recist({at("2020-01-01", {tgt("T1", 30), nt("NT1", LesionStatus::present)}),
                            at("2020-03-01", {tgt("T1", t_mm), nt("NT1", s)})})
        .timepoints[0];
  };
  EXPECT_EQ(overall(LesionStatus::absent, 0).overall, Response::cr);
  EXPECT_EQ(overall(LesionStatus::present, 0).overall, Response::pr);       // CR + non-CR/non-PD
  EXPECT_EQ(overall(LesionStatus::not_evaluated, 0).overall, Response::pr); // CR + not evaluated
  EXPECT_EQ(overall(LesionStatus::progression, 10).overall, Response::pd);
  EXPECT_EQ(overall(LesionStatus::present, 25).overall, Response::sd);
  EXPECT_EQ(overall(LesionStatus::present, 25).non_target, Response::non_cr_non_pd);
}

TEST(Recist, NonTargetOnlyPatient) {
  const auto ev = evaluate_recist({at("2020-01-01", {nt("NT1", LesionStatus::present)}),
                                   at("2020-03-01", {nt("NT1", LesionStatus::present)}),
                                   at("2020-05-01", {nt("NT1", LesionStatus::absent)})});
  EXPECT_EQ(ev.timepoints[0].overall, Response::non_cr_non_pd);
  EXPECT_EQ(ev.timepoints[1].overall, Response::cr);
  EXPECT_EQ(ev.timepoints[0].target, Response::not_applicable);
}

TEST(Recist, NewLesions) {
  auto ev = evaluate_recist({at("2020-01-01", {tgt("T1", 30)}), at("2020-03-01", {tgt("T1", 10), nl("N1")})});
  EXPECT_EQ(ev.timepoints[0].target, Response::pr);
  EXPECT_TRUE(ev.timepoints[0].new_lesions);
  EXPECT_EQ(ev.timepoints[0].overall, Response::pd);
  // Equivocal at week 8, confirmed at week 16: PD dated to week 8
  ev = evaluate_recist({at("2020-01-01", {tgt("T1", 30)}),
                        at("2020-03-01", {tgt("T1", 20), nl("N1", LesionStatus::equivocal)}),
                        at("2020-05-01", {tgt("T1", 20), nl("N1", LesionStatus::unequivocal)})});
  EXPECT_EQ(ev.timepoints[0].overall, Response::pd);
  EXPECT_EQ(ev.timepoints[1].overall, Response::pd);
  // Equivocal never confirmed: not PD
  ev = evaluate_recist({at("2020-01-01", {tgt("T1", 30)}),
                        at("2020-03-01", {tgt("T1", 20), nl("N1", LesionStatus::equivocal)}),
                        at("2020-05-01", {tgt("T1", 20)})});
  EXPECT_EQ(ev.timepoints[0].overall, Response::pr);
}

TEST(Recist, ReappearanceAfterCompleteResponseIsProgression) {
  const auto ev = evaluate_recist({at("2020-01-01", {tgt("T1", 30)}), at("2020-03-01", {tgt("T1", 0)}),
                                   at("2020-05-01", {tgt("T1", 4)})});
  EXPECT_EQ(ev.timepoints[0].overall, Response::cr);
  // 4 mm: < 5 mm increase from a nadir of 0, but after CR any reappearance is PD (EORTC)
  EXPECT_EQ(ev.timepoints[1].target, Response::pd);
  EXPECT_FALSE(ev.timepoints[1].change_from_nadir_pct.has_value());  // never divides by 0
}

TEST(Recist, BaselineSelectionRules) {
  // Measurable: non-nodal ≥ 10 mm, node short axis ≥ 15 mm
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {tgt("T1", 9.9)})}), "not shown", "9.9", "measurable");
  EXPECT_NO_THROW(evaluate_recist({at("2020-01-01", {tgt("T1", 10)})}));
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {tgt("N1", 14.9, "", true)})}), "not shown", "14.9", "short axis");
  EXPECT_NO_THROW(evaluate_recist({at("2020-01-01", {tgt("N1", 15, "", true)})}));
  // At most 2 per organ; all nodes are one organ
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {tgt("T1", 20), tgt("T2", 20), tgt("T3", 20)})}), "organ", "not shown",
                   "per organ");
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {tgt("N1", 20, "hilar", true), tgt("N2", 20, "caval", true),
                                                     tgt("N3", 20, "phrenic", true)})}),
                   "organ", "per organ");
  // Exactly 5 targets, 2 per organ, nodes from two chains: accepted
  EXPECT_NO_THROW(evaluate_recist({at("2020-01-01", {tgt("A", 20, "liver"), tgt("B", 20, "Liver"), tgt("C", 20, "lung"),
                                                    tgt("N1", 20, "hilar", true), tgt("N2", 20, "caval", true)})}));
  // At most 5 in total
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {tgt("A", 20, "liver"), tgt("B", 20, "liver"), tgt("C", 20, "lung"),
                                                     tgt("D", 20, "lung"), tgt("E", 20, "bone"), tgt("F", 20, "adrenal")})}),
                   "targets", "6");
  // Slices thicker than 5 mm: minimum 2 x thickness (Appendix II); 5 mm slices keep 10 mm
  auto thick = [](const char* id, double mm, double slice, bool node = false) {
    LesionObservation l = tgt(id, mm, node ? "" : "liver", node);
    l.slice_thickness_mm = slice;
    return l;
  };
  EXPECT_NO_THROW(evaluate_recist({at("2020-01-01", {thick("T1", 10, 5)})}));
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {thick("T1", 13.9, 7)})}), "13.9", "14 mm");
  EXPECT_NO_THROW(evaluate_recist({at("2020-01-01", {thick("T1", 14, 7)})}));
  EXPECT_NO_THROW(evaluate_recist({at("2020-01-01", {thick("N1", 15, 7, true)})}));  // node: 15 > 14
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {thick("N1", 15, 8, true)})}), "16 mm");
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {thick("T1", 30, 0)})}), "slice_thickness_mm", "0");
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {nl("X")})}), "new");
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {})}), "no lesions");
}

TEST(Recist, FollowUpErrors) {
  // A lesion at follow-up never at baseline
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {tgt("T1", 30)}), at("2020-03-01", {tgt("T1", 20), tgt("T9", 12)})}),
                   "lesion_id", "not shown", "baseline");
  // Duplicate time points and dates out of order
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {tgt("T1", 30)}), at("2020-01-01", {tgt("T1", 20)})}),
                   "duplicate time point", "not shown");
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {tgt("T1", 30)}), at("2020-03-01", {tgt("T1", 20)}),
                                    at("2020-02-01", {tgt("T1", 20)})}),
                   "in date order", "not shown");
  // Same lesion twice in one assessment; kind changed; negative diameter
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {tgt("T1", 30), tgt("T1", 20)})}), "lesion_id", "once");
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {tgt("T1", 30)}), at("2020-03-01", {nt("T1", LesionStatus::present)})}),
                   "kind", "was target");
  EXPECT_BAD_INPUT(evaluate_recist({at("2020-01-01", {tgt("T1", 30)}), at("2020-03-01", {tgt("T1", -2)})}), "diameter_mm", "-2");
}

}  // namespace sirtkit::clinical
