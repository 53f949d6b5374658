#include "clinical/toxicity/ctcae_summary.h"

#include <gtest/gtest.h>

#include "../expect_bad_input.h"

namespace sirtkit::clinical {
namespace {
LabRecord rec(const std::string& id, const char* date, LabTest t, double v, const std::string& unit,
              std::optional<double> lln, std::optional<double> uln, bool baseline = false) {
  LabRecord r;
  r.patient_id = id;
  r.date = parse_date(date, "date");
  r.test = t;
  r.value = v;
  r.unit = unit;
  r.lln = lln;
  r.uln = uln;
  r.baseline = baseline;
  r.where = id + "@" + date;
  return r;
}
}  // namespace

TEST(CtcaeSummary, WorstPostBaselineGradeUsesTheBaseline) {
  const std::vector<LabRecord> recs = {
      // P1: ALT baseline abnormal (60 > ULN 40): 121 is < 3×60 → grade 1, 181 → grade 2
      rec("P1", "2020-01-01", LabTest::alt, 60, "U/L", {}, 40, true),
      rec("P1", "2020-02-01", LabTest::alt, 121, "U/L", {}, 40),
      rec("P1", "2020-03-01", LabTest::alt, 181, "U/L", {}, 40),
      rec("P1", "2020-04-01", LabTest::alt, 70, "U/L", {}, 40),
      // P2: ALT baseline normal: 121 > 3×ULN → grade 2
      rec("P2", "2020-01-05", LabTest::alt, 30, "U/L", {}, 40, true),
      rec("P2", "2020-02-05", LabTest::alt, 121, "U/L", {}, 40),
      // P2 platelets, no baseline needed: 49 → 3, later 24 → 4
      rec("P2", "2020-02-05", LabTest::platelets, 49, "10^9/L", 150, 400),
      rec("P2", "2020-03-05", LabTest::platelets, 24, "10^9/L", 150, 400),
  };
  const auto graded = grade_lab_records(recs);
  ASSERT_EQ(graded.size(), recs.size());
  EXPECT_EQ(graded[0].grade.grade, 1);  // baseline graded against ULN: 60 > ULN
  EXPECT_EQ(graded[1].grade.grade, 1);
  EXPECT_EQ(graded[2].grade.grade, 2);
  EXPECT_EQ(graded[1].day, 31);
  const auto worst = worst_grades(graded);
  ASSERT_EQ(worst.size(), 3u);
  EXPECT_EQ(worst[0].patient_id, "P1");
  EXPECT_EQ(worst[0].grade, 2);
  EXPECT_EQ(to_iso(*worst[0].date), "2020-03-01");
  EXPECT_EQ(worst[0].results, 3);
  EXPECT_EQ(worst[0].baseline_grade, 1);
  EXPECT_EQ(worst[1].grade, 2);  // P2 ALT
  // Platelets without their own baseline: days counted from P2's ALT baseline
  EXPECT_EQ(worst[2].term, "Platelet count decreased");
  EXPECT_EQ(worst[2].grade, 4);
  EXPECT_EQ(graded[6].day, 31);
  // Window: only days 0-40 → P1 ALT worst is grade 1
  const auto early = worst_grades(graded, 1, 40);
  EXPECT_EQ(early[0].grade, 1);
  const auto table = ae_table(worst);
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[1].patients, 1);
  EXPECT_EQ(table[1].grade_4, 1);
  EXPECT_EQ(table[0].term, "Alanine aminotransferase increased");
  EXPECT_EQ(table[0].patients, 2);
  EXPECT_EQ(table[0].grade_1_2, 2);
  EXPECT_EQ(table[0].grade_3, 0);
}

TEST(CtcaeSummary, CountsWithBaselineGiveGrades) {
  const std::vector<LabRecord> recs = {
      rec("P3", "2021-01-01", LabTest::platelets, 180, "10^9/L", 150, 400, true),
      rec("P3", "2021-02-01", LabTest::platelets, 24, "10^9/L", 150, 400),
      rec("P3", "2021-02-15", LabTest::platelets, 24, "10^9/L", 150, 400),
      rec("P4", "2021-01-01", LabTest::platelets, 180, "10^9/L", 150, 400, true),
      rec("P4", "2021-02-01", LabTest::platelets, 40, "10^9/L", 150, 400),
  };
  const auto worst = worst_grades(grade_lab_records(recs));
  EXPECT_EQ(worst[0].grade, 4);
  EXPECT_EQ(to_iso(*worst[0].date), "2021-02-01");  // first date of the worst grade
  EXPECT_EQ(worst[1].grade, 3);
  const auto table = ae_table(worst);
  EXPECT_EQ(table[0].patients, 2);
  EXPECT_EQ(table[0].grade_3, 1);
  EXPECT_EQ(table[0].grade_4, 1);
}

TEST(CtcaeSummary, SodiumGivesHypoAndHyperTerms) {
  const std::vector<LabRecord> recs = {rec("P1", "2020-01-01", LabTest::sodium, 140, "mmol/L", 135, 145, true),
                                       rec("P1", "2020-02-01", LabTest::sodium, 152, "mmol/L", 135, 145),
                                       rec("P1", "2020-03-01", LabTest::sodium, 128, "mmol/L", 135, 145)};
  const auto graded = grade_lab_records(recs);
  ASSERT_EQ(graded.size(), 6u);
  const auto worst = worst_grades(graded);
  ASSERT_EQ(worst.size(), 2u);
  EXPECT_EQ(worst[0].term, "Hypernatremia");
  EXPECT_EQ(worst[0].grade, 2);
  EXPECT_EQ(worst[1].term, "Hyponatremia");
  EXPECT_EQ(worst[1].grade, 3);
}

TEST(CtcaeSummary, DuplicatesAreErrors) {
  std::vector<LabRecord> recs = {rec("P1", "2020-01-01", LabTest::alt, 60, "U/L", {}, 40, true),
                                 rec("P1", "2020-01-01", LabTest::alt, 61, "U/L", {}, 40)};
  EXPECT_BAD_INPUT(grade_lab_records(recs), "duplicate time point", "2020-01-01", "P1");
  recs = {rec("P1", "2020-01-01", LabTest::alt, 60, "U/L", {}, 40, true),
          rec("P1", "2020-01-02", LabTest::alt, 61, "U/L", {}, 40, true)};
  EXPECT_BAD_INPUT(grade_lab_records(recs), "baseline");
  // A patient without any baseline has no post-baseline results
  recs = {rec("P5", "2020-01-01", LabTest::platelets, 20, "10^9/L", 150, 400)};
  EXPECT_EQ(worst_grades(grade_lab_records(recs))[0].grade, std::nullopt);
  EXPECT_EQ(grade_lab_records(recs)[0].grade.grade, 4);
  // A bad unit names the record
  recs = {rec("P9", "2020-01-01", LabTest::alt, 60, "mg/dL", {}, 40, true)};
  EXPECT_BAD_INPUT(grade_lab_records(recs), "P9@2020-01-01", "mg/dL");
}

}  // namespace sirtkit::clinical
