#include "pipelines/clinical/clinical_adverse_events.h"
#include "report/clinical/adverse_event_table.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace sirtkit::pipelines {

TEST(ClinicalAdverseEvents, TableAndPres) {
  const CsvRows ev = parse_csv(
      "patient_id,term,grade,onset\n"
      "P01,Fatigue,1,2024-01-17\n"
      "P01,Fatigue,2,2024-02-20\n"
      "P02,Fatigue,3,2024-01-30\n"
      "P02,Nausea,1,2024-01-23\n",
      "ev.csv");
  const CsvRows tx = parse_csv("patient_id,treatment_date\nP01,2024-01-15\nP02,2024-01-22\nP03,2024-02-01\n", "tx.csv");
  const AeReport r = ae_report_from_csv(ev, tx, 34, 14);
  EXPECT_EQ(r.population, 34);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].any, 2);
  EXPECT_EQ(r.rows[0].grade_1_2, 1);
  EXPECT_EQ(r.rows[0].grade_3, 1);
  ASSERT_EQ(r.pres.size(), 3u);
  EXPECT_TRUE(r.pres[0].present);   // fatigue day 2
  EXPECT_TRUE(r.pres[1].present);   // nausea day 1, fatigue day 8
  EXPECT_EQ(r.pres[1].worst_grade, 3);
  EXPECT_FALSE(r.pres[2].present);
  EXPECT_NE(report::ae_text(r).find("2 (5.9%)"), std::string::npos) << report::ae_text(r);
  // Default population: distinct patients in both files
  EXPECT_EQ(ae_report_from_csv(ev, tx, std::nullopt, 14).population, 3);
  EXPECT_THROW(ae_report_from_csv(ev, tx, 2, 14), Error);  // fewer than the patients found
  EXPECT_THROW(ae_report_from_csv(parse_csv("patient_id,term,grade\nP1,Fatigue,x\n", "e.csv"), std::nullopt,
                                  std::nullopt, 14),
               Error);
}

}  // namespace sirtkit::pipelines
