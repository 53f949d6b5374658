#include "report/registry/registry_browse.h"

#include <gtest/gtest.h>

namespace sirtkit::report {
namespace {

using nlohmann::json;

RecordRows labs() {
  RecordRows r;
  r.columns = {"id", "test", "value", "unit", "day"};
  r.kinds = {CellKind::integer, CellKind::text, CellKind::real, CellKind::text, CellKind::integer};
  r.rows = {{"7", "albumin", "28", "g/L", "-3"}, {"9", "bilirubin", "2.5", "mg/dL", std::nullopt}};
  return r;
}

TEST(RegistryBrowseRender, CellsAreTypedAndAbsentCellsNull) {
  RecordRows r = labs();
  json j = rows_json(r);
  ASSERT_EQ(j.size(), 2u);
  EXPECT_EQ(j[0].dump(), R"({"day":-3,"id":7,"test":"albumin","unit":"g/L","value":28.0})");
  EXPECT_TRUE(j[1]["day"].is_null());
  EXPECT_TRUE(j[1]["value"].is_number_float());
  EXPECT_FALSE(j[0].contains("version"));
  r.versions = {3, 1};
  j = rows_json(r);
  EXPECT_EQ(j[0]["version"], 3);
  EXPECT_EQ(j[1]["version"], 1);
}

TEST(RegistryBrowseRender, LabGradeWithAndWithoutAGrading) {
  clinical::LabGrade g;
  g.grade = 2;
  g.term = "Hypoalbuminemia";
  g.basis = "absolute";
  g.reason = "< 30";
  EXPECT_EQ(lab_grade_json({"albumin", g}).dump(), R"({"basis":"absolute","grade":2,"reason":"< 30","term":"Hypoalbuminemia"})");
  g.grade.reset();
  EXPECT_TRUE(lab_grade_json({"albumin", g})["grade"].is_null());
  EXPECT_EQ(lab_grade_json({"albumin", g})["term"], "Hypoalbuminemia");
  EXPECT_EQ(lab_grade_json({"ferritin", std::nullopt}).dump(),
            R"({"grade":null,"reason":"no CTCAE v5.0 grade for ferritin from the value alone"})");
}

TEST(RegistryBrowseRender, PatientDetailNestsItsTablesAndGradesEveryLab) {
  PatientDetail p;
  p.patient.columns = {"id", "pseudonym", "age_years"};
  p.patient.kinds = {CellKind::integer, CellKind::text, CellKind::integer};
  p.patient.rows = {{"3", "P595e", "61"}};
  p.patient.versions = {2};
  p.baseline.columns = {"id", "ecog"};
  p.baseline.kinds = {CellKind::integer, CellKind::integer};
  p.labs = labs();
  p.labs.versions = {1, 4};
  p.lab_grades = {{"albumin", clinical::LabGrade{2, "Hypoalbuminemia", "absolute", "< 30"}}, {"bilirubin", std::nullopt}};
  const json j = patient_detail_json(p);
  EXPECT_EQ(j["id"], 3);
  EXPECT_EQ(j["age_years"], 61);
  EXPECT_EQ(j["version"], 2);
  EXPECT_TRUE(j["baseline"].is_null());
  EXPECT_EQ(j["treatments"], json::array());
  EXPECT_EQ(j["labs"][1]["version"], 4);
  EXPECT_EQ(j["labs"][0]["ctcae"]["grade"], 2);
  EXPECT_TRUE(j["labs"][1]["ctcae"]["grade"].is_null());
  EXPECT_FALSE(j["labs"][1]["ctcae"].contains("term"));
  p.baseline.rows = {{"4", "1"}};
  p.baseline.versions = {5};
  EXPECT_EQ(patient_detail_json(p)["baseline"].dump(), R"({"ecog":1,"id":4,"version":5})");
}

TEST(RegistryBrowseRender, AuditEntriesListWhatChangedBetweenTheRowImages) {
  AuditPage a;
  a.total = 10;
  a.limit = 2;
  a.offset = 4;
  a.entries.columns = {"id", "action", "old_row", "new_row"};
  a.entries.kinds = {CellKind::integer, CellKind::text, CellKind::json_text, CellKind::json_text};
  a.entries.rows = {
      // An update: 62.0 (SQLite) and 62 (PostgreSQL) are the same number; the id is never a change.
      {"5", "UPDATE", R"({"id":3,"age_years":62.0,"sex":"male","arm":null})", R"({"id":3,"age_years":62,"sex":"female","arm":"A"})"},
      // An insert: every value set; a row image that is not JSON is sent as text.
      {"6", "INSERT", std::nullopt, R"({"id":8,"day":12})"},
      {"7", "DELETE", "not json", std::nullopt}};
  const json j = audit_page_json(a);
  EXPECT_EQ(j["total"], 10);
  EXPECT_EQ(j["limit"], 2);
  EXPECT_EQ(j["offset"], 4);
  ASSERT_EQ(j["entries"].size(), 3u);
  EXPECT_EQ(j["entries"][0]["changes"].dump(),
            R"([{"field":"arm","new":"A","old":null},{"field":"sex","new":"female","old":"male"}])");
  EXPECT_EQ(j["entries"][0]["old_row"]["sex"], "male");
  EXPECT_EQ(j["entries"][1]["changes"].dump(), R"([{"field":"day","new":12,"old":null}])");
  EXPECT_TRUE(j["entries"][1]["old_row"].is_null());
  EXPECT_EQ(j["entries"][2]["old_row"], "not json");
  EXPECT_EQ(j["entries"][2]["changes"], json::array());
}

TEST(RegistryBrowseRender, PatientListPage) {
  PatientList l;
  l.patients = labs();
  l.total = 56;
  l.limit = 2;
  l.offset = 0;
  const json j = patient_list_json(l);
  EXPECT_EQ(j["total"], 56);
  EXPECT_EQ(j["patients"].size(), 2u);
  EXPECT_EQ(j["patients"][1]["test"], "bilirubin");
}

}  // namespace
}  // namespace sirtkit::report
