#include "pipelines/clinical/clinical_tables.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace sirtkit::pipelines {
namespace {
template <class F>
std::string bad_input_message(F f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}
}  // namespace

TEST(ClinicalTables, ParsesQuotedCsv) {
  const CsvRows c = parse_csv("a,b,c\r\n1,\"x, y\",\"say \"\"hi\"\"\"\n\n2,,3\n", "t.csv");
  ASSERT_EQ(c.rows.size(), 2u);
  EXPECT_EQ(c.rows[0][1], "x, y");
  EXPECT_EQ(c.rows[0][2], "say \"hi\"");
  EXPECT_EQ(c.rows[1][1], "");
  EXPECT_EQ(c.lines[1], 4u);
  EXPECT_EQ(*c.column("c"), 2u);
  EXPECT_EQ(*parse_csv("Patient_ID, Date\n1,2\n", "t.csv").column("patient_id"), 0u);
}

TEST(ClinicalTables, RaggedRowsAndMissingColumnsAreErrors) {
  std::string m = bad_input_message([] { parse_csv("a,b\n1,2,3\n", "t.csv"); });
  EXPECT_NE(m.find("t.csv line 2"), std::string::npos) << m;
  m = bad_input_message([] { parse_csv("a,b\n\"1,2\n", "t.csv"); });
  EXPECT_NE(m.find("never closed"), std::string::npos) << m;
  EXPECT_EQ(m.find("1,2"), std::string::npos) << m;  // the cell is not echoed
  const CsvRows c = parse_csv("patient_id,date,test,value\nP1,2020-01-01,alt,3\n", "l.csv");
  m = bad_input_message([&] { lab_records_from_csv(c, false); });
  EXPECT_NE(m.find("unit"), std::string::npos) << m;
}

TEST(ClinicalTables, LabRecords) {
  const CsvRows c = parse_csv(
      "patient_id,date,test,value,unit,lln,uln\n"
      "P1,2020-02-01,alt,130,U/L,,40\n"
      "P1,2020-01-01,alt,35,U/L,NA,40\n",
      "l.csv");
  auto recs = lab_records_from_csv(c, true);  // earliest is baseline
  ASSERT_EQ(recs.size(), 2u);
  EXPECT_FALSE(recs[0].baseline);
  EXPECT_TRUE(recs[1].baseline);
  EXPECT_FALSE(recs[1].lln.has_value());
  EXPECT_EQ(*recs[1].uln, 40);
  recs = lab_records_from_csv(c, false);
  EXPECT_FALSE(recs[1].baseline);
  const auto graded = clinical::grade_lab_records(lab_records_from_csv(c, true));
  EXPECT_EQ(graded[0].grade.grade, 2);  // 130 > 3 × 40
  EXPECT_EQ(graded[0].day, 31);
}

TEST(ClinicalTables, LabRowErrorsNameTheLine) {
  auto msg = [](const std::string& row) {
    const CsvRows c = parse_csv("patient_id,date,test,value,unit,baseline\n" + row + "\n", "l.csv");
    return bad_input_message([&] { lab_records_from_csv(c, false); });
  };
  std::string m = msg("P1,2020-02-30,alt,10,U/L,no");
  EXPECT_NE(m.find("l.csv line 2"), std::string::npos) << m;
  EXPECT_EQ(m.find("2020-02-30"), std::string::npos) << m;  // dates are never echoed
  EXPECT_NE(m.find("YYYY-MM-DD"), std::string::npos) << m;
  m = msg("P1,2020-02-01,lipase,40,U/L,no");  // a CTCAE term sirtkit does not grade
  EXPECT_EQ(m.find("lipase"), std::string::npos) << m;
  EXPECT_NE(m.find("one of alt"), std::string::npos) << m;
  m = msg("P1,2020-02-01,alt,,U/L,no");
  EXPECT_NE(m.find("value"), std::string::npos) << m;
  m = msg("P1,2020-02-01,alt,abc,U/L,no");
  EXPECT_EQ(m.find("abc"), std::string::npos) << m;
  EXPECT_NE(m.find("a number"), std::string::npos) << m;
  m = msg("P1,2020-02-01,alt,10,U/L,maybe");
  EXPECT_EQ(m.find("maybe"), std::string::npos) << m;
  EXPECT_NE(m.find("yes or no"), std::string::npos) << m;
}

}  // namespace sirtkit::pipelines
