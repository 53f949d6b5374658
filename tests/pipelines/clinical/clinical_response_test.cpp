#include "pipelines/clinical/clinical_response.h"
#include "report/clinical/tumour_response.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace sirtkit::pipelines {
namespace {
const char* kHeader = "patient_id,date,lesion_id,kind,organ,node,diameter_mm,status\n";

ResponseReport eval(const std::string& body, ResponseOptions o = {}) {
  return response_from_csv(parse_csv(std::string(kHeader) + body, "l.csv"), o);
}
std::string error_of(const std::string& body) {
  try {
    eval(body);
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}
}  // namespace

TEST(ClinicalResponse, GroupsRowsByPatientAndDateInAnyOrder) {
  // Rows out of date order in the file are grouped and sorted; the earliest date is baseline.
  const auto r = eval(
      "A,2020-05-01,T1,target,liver,no,40,\n"
      "A,2020-01-01,T1,target,liver,no,100,\n"
      "B,2020-01-01,NT1,non_target,bone,no,,present\n"
      "A,2020-03-01,T1,target,liver,no,60,\n"
      "B,2020-03-01,NT1,non_target,bone,no,,absent\n");
  ASSERT_EQ(r.patients.size(), 2u);
  const auto& a = r.patients[0];
  EXPECT_EQ(a.patient_id, "A");
  EXPECT_DOUBLE_EQ(a.evaluation.baseline_sum, 100);
  ASSERT_EQ(a.evaluation.timepoints.size(), 2u);
  EXPECT_EQ(a.evaluation.timepoints[0].overall, clinical::Response::pr);
  EXPECT_EQ(a.bor.response, clinical::Response::pr);
  EXPECT_EQ(a.confirmed_bor.response, clinical::Response::pr);  // 61 days apart
  EXPECT_EQ(r.patients[1].bor.response, clinical::Response::cr);
  // Unconfirmed in a 3-month window: confirmation interval 90 days → SD
  ResponseOptions o;
  o.confirm_days = 90;
  EXPECT_EQ(eval("A,2020-01-01,T1,target,liver,no,100,\nA,2020-03-01,T1,target,liver,no,60,\n"
                 "A,2020-05-01,T1,target,liver,no,40,\n", o)
                .patients[0]
                .confirmed_bor.response,
            clinical::Response::sd);
}

TEST(ClinicalResponse, MrecistDropsTheFiveMillimetreRule) {
  const std::string body = "A,2020-01-01,T1,target,liver,no,20,\nA,2020-03-01,T1,target,liver,no,24,\n";
  EXPECT_EQ(eval(body).patients[0].evaluation.timepoints[0].target, clinical::Response::sd);
  ResponseOptions m;
  m.criteria = "mrecist";
  const auto r = eval(body, m);
  EXPECT_EQ(r.criteria, "mRECIST");
  EXPECT_EQ(r.patients[0].evaluation.timepoints[0].target, clinical::Response::pd);
}

TEST(ClinicalResponse, TstmAndNeInTheDiameterColumn) {
  const auto r = eval("A,2020-01-01,T1,target,liver,no,30,\nA,2020-01-01,T2,target,lung,no,30,\n"
                      "A,2020-03-01,T1,target,liver,no,TSTM,\nA,2020-03-01,T2,target,lung,no,NE,\n");
  const auto& tp = r.patients[0].evaluation.timepoints[0];
  EXPECT_DOUBLE_EQ(tp.evaluated_sum, 5);
  EXPECT_EQ(tp.target, clinical::Response::ne);
}

TEST(ClinicalResponse, BadInputNamesPatientLineAndValue) {
  std::string m = error_of("A,2020-01-01,T1,target,liver,no,30,\nA,2020-03-01,T7,target,liver,no,12,\n");
  EXPECT_NE(m.find("patient of l.csv line"), std::string::npos) << m;
  EXPECT_EQ(m.find("T7"), std::string::npos) << m;  // lesion labels are never echoed
  EXPECT_NE(m.find("lesion_id"), std::string::npos) << m;
  EXPECT_NE(m.find("line 3"), std::string::npos) << m;
  m = error_of("A,2020-01-01,T1,target,liver,no,,\n");
  EXPECT_NE(m.find("diameter_mm"), std::string::npos) << m;
  m = error_of("A,2020-01-01,T1,target,liver,no,30,\nA,2020-01-01,T1,target,liver,no,31,\n");
  EXPECT_NE(m.find("once"), std::string::npos) << m;
  m = error_of("A,2020-01-01,NT1,non_target,bone,no,,\n");
  EXPECT_NE(m.find("status"), std::string::npos) << m;
  m = error_of("A,2020-01-01,T1,tumour,liver,no,30,\n");
  EXPECT_EQ(m.find("tumour"), std::string::npos) << m;
  EXPECT_NE(m.find("target, non_target or new"), std::string::npos) << m;
  m = error_of("A,2020-01-01,T1,target,liver,no,3cm,\n");
  EXPECT_EQ(m.find("3cm"), std::string::npos) << m;
  EXPECT_NE(m.find("a number of millimetres"), std::string::npos) << m;
}

}  // namespace sirtkit::pipelines

namespace sirtkit::pipelines {

TEST(ClinicalResponse, EaslFromCsv) {
  ResponseOptions o;
  o.criteria = "easl";
  const std::string h = "patient_id,date,lesion_id,kind,organ,diameter_mm,perpendicular_mm\n";
  const auto r = response_from_csv(parse_csv(h + "A,2020-01-01,T1,target,liver,40,30\n"
                                                "A,2020-04-01,T1,target,liver,30,20\n",
                                             "e.csv"),
                                   o);
  EXPECT_EQ(r.criteria, "EASL");
  EXPECT_EQ(r.patients[0].evaluation.unit, "mm2");
  EXPECT_DOUBLE_EQ(*r.patients[0].evaluation.timepoints[0].sum, 600);
  EXPECT_EQ(r.patients[0].bor.response, clinical::Response::pr);
  // Without the perpendicular column EASL is refused
  try {
    response_from_csv(parse_csv("patient_id,date,lesion_id,kind,organ,diameter_mm\nA,2020-01-01,T1,target,liver,40\n",
                                "e.csv"),
                      o);
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("perpendicular_mm"), std::string::npos) << e.what();
  }
}

TEST(ClinicalResponse, MrecistNewLiverLesionWithoutReaderStatus) {
  ResponseOptions o;
  o.criteria = "mrecist";
  const std::string h = "patient_id,date,lesion_id,kind,organ,diameter_mm,status,typical_hcc\n";
  const auto r = response_from_csv(parse_csv(h + "A,2020-01-01,T1,target,liver,40,,\n"
                                                "A,2020-04-01,T1,target,liver,38,,\n"
                                                "A,2020-04-01,L9,new,liver,12,,yes\n",
                                             "m.csv"),
                                   o);
  EXPECT_EQ(r.patients[0].evaluation.timepoints[0].overall, clinical::Response::pd);
}

}  // namespace sirtkit::pipelines

namespace sirtkit::pipelines {

TEST(ClinicalResponse, LandmarksAndIndexLesion) {
  const std::string csv =
      "patient_id,date,lesion_id,kind,organ,diameter_mm,perpendicular_mm,status,index_lesion,treatment_start\n"
      "A,2020-01-01,T1,target,liver,50,40,,yes,2020-01-06\n"
      "A,2020-01-01,T2,target,lung,20,15,,no,2020-01-06\n"
      "A,2020-01-01,NT1,non_target,bone,,,present,,2020-01-06\n"
      "A,2020-04-06,T1,target,liver,30,20,,yes,2020-01-06\n"   // day 91: index 600 vs 2000 → PR
      "A,2020-04-06,T2,target,lung,30,25,,no,2020-01-06\n"     // T2 grows
      "A,2020-04-06,NT1,non_target,bone,,,progression,,2020-01-06\n"
      "A,2020-07-06,T1,target,liver,28,20,,yes,2020-01-06\n"   // day 182
      "A,2020-07-06,T2,target,lung,30,25,,no,2020-01-06\n"
      "A,2020-07-06,NT1,non_target,bone,,,progression,,2020-01-06\n";
  ResponseOptions o;
  o.criteria = "easl";
  o.landmark_days = {90, 180, 270};
  o.window_days = 30;
  // Whole patient: non-target progression → PD at day 91
  auto r = response_from_csv(parse_csv(csv, "i.csv"), o);
  ASSERT_EQ(r.patients[0].landmarks.size(), 3u);
  EXPECT_EQ(r.patients[0].landmarks[0].response, clinical::Response::pd);
  EXPECT_EQ(r.patients[0].landmarks[2].response, clinical::Response::pd);  // carried forward
  // Index lesion only (DOSISPHERE-01 style): T1 alone, EASL → PR at 3 and 6 months, nothing at 9
  o.index_lesion_only = true;
  r = response_from_csv(parse_csv(csv, "i.csv"), o);
  EXPECT_EQ(r.criteria, "EASL (index lesion)");
  EXPECT_DOUBLE_EQ(r.patients[0].evaluation.baseline_sum, 2000);
  EXPECT_EQ(r.patients[0].landmarks[0].response, clinical::Response::pr);
  EXPECT_EQ(r.patients[0].landmarks[1].response, clinical::Response::pr);
  EXPECT_EQ(r.patients[0].landmarks[2].response, clinical::Response::missing);
  EXPECT_EQ(r.patients[0].landmarks[0].reason, "assessment on day 91");
  const std::string text = report::response_text(r);
  EXPECT_NE(text.find("at day 90: objective response 1/1 (100.0%)"), std::string::npos) << text;
}

TEST(ClinicalResponse, IndexLesionErrors) {
  ResponseOptions o;
  o.index_lesion_only = true;
  auto err = [&](const std::string& csv) {
    try {
      response_from_csv(parse_csv(csv, "i.csv"), o);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(err("patient_id,date,lesion_id,kind,organ,diameter_mm\nA,2020-01-01,T1,target,liver,50\n")
                .find("index_lesion"),
            std::string::npos);
  EXPECT_NE(err("patient_id,date,lesion_id,kind,organ,diameter_mm,index_lesion\nA,2020-01-01,T1,target,liver,50,no\n")
                .find("i.csv line 2"),
            std::string::npos);
  EXPECT_NE(err("patient_id,date,lesion_id,kind,organ,diameter_mm,index_lesion\n"
                "A,2020-01-01,T1,target,liver,50,yes\nA,2020-01-01,T2,target,lung,50,yes\n")
                .find("one index lesion"),
            std::string::npos);
}

TEST(ClinicalResponse, SliceThicknessColumnRaisesTheMeasurableMinimum) {
  // 8 mm slices: a 15 mm liver lesion is below 2 x 8 = 16 mm and cannot be a target.
  const std::string header = "patient_id,date,lesion_id,kind,organ,diameter_mm,slice_thickness_mm\n";
  auto run = [&](const std::string& body) { return response_from_csv(parse_csv(header + body, "l.csv"), {}); };
  EXPECT_NO_THROW(run("A,2020-01-01,T1,target,liver,16,8\nA,2020-03-01,T1,target,liver,10,8\n"));
  try {
    run("A,2020-01-01,T1,target,liver,15,8\n");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("16 mm"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("l.csv line 2"), std::string::npos) << e.what();
  }
  EXPECT_THROW(run("A,2020-01-01,T1,target,liver,20,thick\n"), Error);
}

}  // namespace sirtkit::pipelines
