#include "pipelines/registry/registry_browse.h"

#include <gtest/gtest.h>

namespace sirtkit::pipelines {
namespace {

using report::CellKind;

TEST(RegistryBrowse, RecordRowsTypeColumnsByTheSchemaAndLeaveTheDateOutOfTheDeidentifiedView) {
  registry::ResultSet labs;
  labs.columns = {"id", "patient_id", "day", "test", "value", "unit"};
  labs.rows = {{"1", "3", "-3", "albumin", "28", "g/L"}};
  const report::RecordRows r = record_rows(labs, "labs", false);
  EXPECT_EQ(r.columns, labs.columns);
  EXPECT_EQ(r.kinds, (std::vector<CellKind>{CellKind::integer, CellKind::integer, CellKind::integer, CellKind::text, CellKind::real,
                                            CellKind::text}));
  EXPECT_EQ(r.rows, labs.rows);
  EXPECT_TRUE(r.versions.empty());

  // The patient list has no table: ids and the age are numbers, the rest text.
  registry::ResultSet patients;
  patients.columns = {"id", "pseudonym", "age_years", "index_date_shifted", "status"};
  patients.rows = {{"3", "P595e", "61", "2017-02-01", "alive"}};
  const report::RecordRows shown = record_rows(patients, "", false);
  EXPECT_EQ(shown.kinds, (std::vector<CellKind>{CellKind::integer, CellKind::text, CellKind::integer, CellKind::text, CellKind::text}));
  const report::RecordRows deidentified = record_rows(patients, "", true);
  EXPECT_EQ(deidentified.columns, (std::vector<std::string>{"id", "pseudonym", "age_years", "status"}));
  EXPECT_EQ(deidentified.rows, (std::vector<std::vector<registry::Value>>{{"3", "P595e", "61", "alive"}}));
}

TEST(RegistryBrowse, LabGradeIsCtcaeOrNoneForATestWithoutAGrading) {
  // CTCAE v5.0 hypoalbuminemia grade 2: < 3 g/dL (30 g/L) - 2 g/dL.
  const report::LabGradeResult albumin = lab_grade("albumin", 28, "g/L");
  ASSERT_TRUE(albumin.grade);
  EXPECT_EQ(albumin.grade->grade, 2);
  EXPECT_EQ(albumin.grade->term, "Hypoalbuminemia");
  const report::LabGradeResult unknown = lab_grade("ferritin", 300, "ng/mL");
  EXPECT_EQ(unknown.test, "ferritin");
  EXPECT_FALSE(unknown.grade);
}

}  // namespace
}  // namespace sirtkit::pipelines
