#include "pipelines/clinical/clinical_reild.h"
#include "report/clinical/reild_sessions.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace sirtkit::pipelines {

TEST(ClinicalReild, FromCsv) {
  const CsvRows labs = parse_csv(
      "patient_id,date,test,value,unit,lln,uln\n"
      "A,2020-02-05,bilirubin,51.3,umol/L,,20\n"  // exactly 3 mg/dL on day 35
      "A,2020-02-05,albumin,30,g/L,35,50\n"
      "B,2020-02-05,bilirubin,51.2,umol/L,,20\n",
      "labs.csv");
  const CsvRows tx = parse_csv(
      "patient_id,treatment_date,ascites,tumour_progression,biliary_obstruction\n"
      "A,2020-01-01,yes,no,no\n"
      "B,2020-01-01,yes,no,no\n"
      "A,2020-03-01,,no,no\n",
      "tx.csv");
  const auto r = reild_from_csv(labs, tx, clinical::ReildDefinition::gil_alzugaray);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].verdict, "REILD");
  EXPECT_EQ(r[1].verdict, "no REILD");      // 2.994 mg/dL
  EXPECT_EQ(r[2].verdict, "undetermined");  // second session: no result in its window
  // Braat: 51.3 µmol/L > ULN 20 and albumin 30 < LLN 35
  EXPECT_EQ(reild_from_csv(labs, tx, clinical::ReildDefinition::braat)[0].verdict, "REILD");
  EXPECT_NE(report::reild_text(r).find("1 of 3 sessions with REILD"), std::string::npos);
}

TEST(ClinicalReild, BadFlags) {
  const CsvRows labs = parse_csv("patient_id,date,test,value,unit\n", "labs.csv");
  const CsvRows tx = parse_csv("patient_id,treatment_date,ascites,tumour_progression,biliary_obstruction\n"
                               "A,2020-01-01,maybe,no,no\n",
                               "tx.csv");
  try {
    reild_from_csv(labs, tx, clinical::ReildDefinition::gil_alzugaray);
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("maybe"), std::string::npos) << e.what();  // cells are never echoed
    EXPECT_NE(std::string(e.what()).find("yes or no"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("tx.csv line 2"), std::string::npos) << e.what();
  }
}

}  // namespace sirtkit::pipelines
