// iRECIST (clinical-rules.md §1.4): iUPD → iCPD confirmation by category, additive
// increases, reset of the bar, NLT/NLNT handling and iBOR.
#include "clinical/response/irecist.h"

#include <gtest/gtest.h>

#include "../expect_bad_input.h"

namespace sirtkit::clinical {
namespace {

LesionObservation tgt(const std::string& id, double mm) {
  LesionObservation l;
  l.lesion_id = id;
  l.kind = LesionKind::target;
  l.organ = "liver";
  l.diameter_mm = mm;
  return l;
}
LesionObservation nt(const std::string& id, LesionStatus s) {
  LesionObservation l;
  l.lesion_id = id;
  l.kind = LesionKind::non_target;
  l.organ = "bone";
  l.status = s;
  return l;
}
LesionObservation nl(const std::string& id, std::optional<double> mm, LesionStatus s = LesionStatus::unequivocal,
                     const std::string& organ = "lung") {
  LesionObservation l;
  l.lesion_id = id;
  l.kind = LesionKind::new_lesion;
  l.organ = organ;
  l.diameter_mm = mm;
  l.status = s;
  return l;
}
const char* kDates[] = {"2020-01-01", "2020-03-01", "2020-05-01", "2020-07-01", "2020-09-01", "2020-11-01"};

// One liver target; sums per follow-up.
std::vector<std::string> targets(double base, std::vector<double> fu) {
  std::vector<LesionAssessment> as = {{parse_date(kDates[0], "d"), {tgt("T1", base)}}};
  for (size_t i = 0; i < fu.size(); ++i) as.push_back({parse_date(kDates[i + 1], "d"), {tgt("T1", fu[i])}});
  std::vector<std::string> out;
  for (const auto& tp : evaluate_irecist(as).timepoints) out.push_back(iresponse_name(tp.response));
  return out;
}
using V = std::vector<std::string>;

}  // namespace

TEST(Irecist, TargetDrivenConfirmationNeedsFiveMoreMillimetres) {
  // 50 → 30 (iPR) → 40 (RECIST PD vs nadir 30: iUPD) → 45 (+5 mm: iCPD)
  EXPECT_EQ(targets(50, {30, 40, 45}), (V{"iPR", "iUPD", "iCPD"}));
  EXPECT_EQ(targets(50, {30, 40, 44.9}), (V{"iPR", "iUPD", "iUPD"}));
  // Increases add up: +4 then +2 (6 mm since iUPD) confirms
  EXPECT_EQ(targets(50, {30, 40, 44, 46}), (V{"iPR", "iUPD", "iUPD", "iCPD"}));
  // After iCPD everything is iCPD
  EXPECT_EQ(targets(50, {30, 40, 45, 20}), (V{"iPR", "iUPD", "iCPD", "iCPD"}));
}

TEST(Irecist, ResetOfTheBar) {
  // 40 iUPD, then 33 (not PD vs nadir 30; −34 % vs baseline → iPR): reset; 40 again is a new iUPD
  EXPECT_EQ(targets(50, {30, 40, 33, 40}), (V{"iPR", "iUPD", "iPR", "iUPD"}));
  // After a reset, +5 mm over the new iUPD confirms
  EXPECT_EQ(targets(50, {30, 40, 33, 40, 45}), (V{"iPR", "iUPD", "iPR", "iUPD", "iCPD"}));
}

TEST(Irecist, NonTargetDriven) {
  auto run = [](LesionStatus second) {
    return evaluate_irecist({{parse_date(kDates[0], "d"), {tgt("T1", 50), nt("NT1", LesionStatus::present)}},
                             {parse_date(kDates[1], "d"), {tgt("T1", 48), nt("NT1", LesionStatus::progression)}},
                             {parse_date(kDates[2], "d"), {tgt("T1", 48), nt("NT1", second)}}})
        .timepoints;
  };
  EXPECT_EQ(run(LesionStatus::progression)[0].response, IResponse::iupd);
  EXPECT_EQ(run(LesionStatus::progression)[1].response, IResponse::iupd);  // unchanged: remains iUPD
  EXPECT_EQ(run(LesionStatus::increase)[1].response, IResponse::icpd);     // any further increase
  EXPECT_EQ(run(LesionStatus::present)[1].response, IResponse::isd);       // back to non-PD: reset
}

TEST(Irecist, NewLesionDriven) {
  auto second = [](std::vector<LesionObservation> extra) {
    std::vector<LesionObservation> t2 = {tgt("T1", 48)};
    for (auto& e : extra) t2.push_back(e);
    return evaluate_irecist({{parse_date(kDates[0], "d"), {tgt("T1", 50)}},
                             {parse_date(kDates[1], "d"), {tgt("T1", 48), nl("N1", 12)}},
                             {parse_date(kDates[2], "d"), t2}})
        .timepoints;
  };
  auto tps = second({nl("N1", 16.9)});
  EXPECT_EQ(tps[0].response, IResponse::iupd);
  EXPECT_DOUBLE_EQ(tps[0].new_target_sum, 12);
  EXPECT_EQ(tps[1].response, IResponse::iupd);                          // +4.9 mm
  EXPECT_EQ(second({nl("N1", 17)})[1].response, IResponse::icpd);       // NLT sum +5 mm
  EXPECT_EQ(second({nl("N1", 12), nl("N2", std::nullopt)})[1].response, IResponse::icpd);  // additional new lesion
  EXPECT_EQ(second({})[1].response, IResponse::isd);                    // new lesion gone: reset
  // NLNT increase
  auto nlnt = evaluate_irecist({{parse_date(kDates[0], "d"), {tgt("T1", 50)}},
                                {parse_date(kDates[1], "d"), {tgt("T1", 48), nl("N1", std::nullopt)}},
                                {parse_date(kDates[2], "d"), {tgt("T1", 48), nl("N1", std::nullopt, LesionStatus::increase)}}})
                  .timepoints;
  EXPECT_EQ(nlnt[1].response, IResponse::icpd);
}

TEST(Irecist, OtherCategoryMeetingPdConfirms) {
  // iUPD by a new lesion, then the target sum meets RECIST PD (+20 %, +5 mm vs nadir 48)
  const auto tps = evaluate_irecist({{parse_date(kDates[0], "d"), {tgt("T1", 50)}},
                                     {parse_date(kDates[1], "d"), {tgt("T1", 48), nl("N1", 12)}},
                                     {parse_date(kDates[2], "d"), {tgt("T1", 58), nl("N1", 12)}}})
                       .timepoints;
  EXPECT_EQ(tps[1].response, IResponse::icpd);
}

TEST(Irecist, NewLesionTargetRules) {
  EXPECT_BAD_INPUT(evaluate_irecist({{parse_date(kDates[0], "d"), {tgt("T1", 50)}},
                                     {parse_date(kDates[1], "d"), {tgt("T1", 48), nl("N1", 8)}}}),
                   "label not shown", "8", "measurable");
  EXPECT_BAD_INPUT(evaluate_irecist({{parse_date(kDates[0], "d"), {tgt("T1", 50)}},
                                     {parse_date(kDates[1], "d"),
                                      {tgt("T1", 48), nl("N1", 12), nl("N2", 12), nl("N3", 12)}}}),
                   "label not shown", "2 per organ");
}

TEST(Irecist, BestResponse) {
  const Date ref = parse_date(kDates[0], "d");
  std::vector<LesionAssessment> as = {{parse_date(kDates[0], "d"), {tgt("T1", 50)}}};
  const double fu[] = {30, 40, 33};
  for (int i = 0; i < 3; ++i) as.push_back({parse_date(kDates[i + 1], "d"), {tgt("T1", fu[i])}});
  const auto ev = evaluate_irecist(as);
  const IBestResponse b = irecist_best_response(ev.timepoints, ref, 42);
  EXPECT_EQ(b.response, IResponse::ipr);
  EXPECT_EQ(to_iso(*b.date), "2020-03-01");
  // iSD before the minimum duration is NE; iUPD ranks above iCPD and NE
  std::vector<ITimepoint> t = {ev.timepoints[0]};
  t[0].response = IResponse::isd;
  t[0].date = Date{ref.days + 20};
  EXPECT_EQ(irecist_best_response(t, ref, 42).response, IResponse::ne);
  EXPECT_LT(iresponse_rank(IResponse::iupd), iresponse_rank(IResponse::icpd));
  EXPECT_EQ(irecist_best_response({}, ref, 42).response, IResponse::ne);
}

}  // namespace sirtkit::clinical
