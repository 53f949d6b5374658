// The data-entry answers of the server's API rendered from values; the expected
// texts are those the server sent before the pipeline returned values
// (pipelines/registry/registry_entry built the JSON itself until issue 16 item 3).
#include "report/registry/registry_entry_json.h"

#include <gtest/gtest.h>

namespace sirtkit::report {
namespace {

using Kind = EntryRefusal::Kind;

SavedRecord saved_lab() {
  SavedRecord s;
  s.form = "lab";
  s.id = 1;
  s.patient_id = 1;
  s.version = 1;
  s.created = true;
  s.record.columns = {"id", "patient_id", "day", "test", "value", "unit"};
  s.record.kinds = {CellKind::integer, CellKind::integer, CellKind::integer, CellKind::text, CellKind::real, CellKind::text};
  s.record.rows = {{"1", "1", "-3", "albumin", "28", "g/l"}};
  return s;
}

TEST(RegistryEntryRender, ASavedLabWithItsGrade) {
  SavedRecord s = saved_lab();
  s.ctcae = LabGradeResult{"albumin", clinical::LabGrade{2, "Hypoalbuminemia", "absolute", "< 30"}};
  EXPECT_EQ(saved_record_json(s).dump(),
            R"({"changed":[],"created":true,"ctcae":{"basis":"absolute","grade":2,"reason":"< 30","term":"Hypoalbuminemia"},"form":"lab","id":1,)"
            R"("patient_id":1,"record":{"day":-3,"id":1,"patient_id":1,"test":"albumin","unit":"g/l","value":28.0},"version":1})");
  // No row: the record is null; an edit lists what it changed.
  s.record.rows.clear();
  s.ctcae.reset();
  s.created = false;
  s.changed = {"value", "unit"};
  EXPECT_EQ(saved_record_json(s).dump(), R"({"changed":["value","unit"],"created":false,"form":"lab","id":1,"patient_id":1,"record":null,"version":1})");
}

TEST(RegistryEntryRender, ANewPatientsPseudonymAndTheResponsesAfterAMeasurement) {
  SavedRecord s = saved_lab();
  s.form = "lesion_measurement";
  s.record.rows.clear();
  s.pseudonym = "P88888888888888888888";
  CriteriaResponse recist{"RECIST 1.1", {{"DAY 61", "61", "PR"}}, "PR", "SD", std::nullopt};
  CriteriaResponse mrecist{"mRECIST", {}, std::nullopt, std::nullopt, "no target lesion at baseline"};
  s.response = EntryResponse{recist, mrecist};
  EXPECT_EQ(saved_record_json(s).dump(),
            R"({"changed":[],"created":true,"form":"lesion_measurement","id":1,"patient_id":1,"pseudonym":"P88888888888888888888","record":null,)"
            R"("response":{"mrecist":{"criteria":"mRECIST","not_evaluable":"no target lesion at baseline","timepoints":[]},)"
            R"("recist":{"best_response":"PR","confirmed_best_response":"SD","criteria":"RECIST 1.1",)"
            R"("timepoints":[{"ady":"61","response":"PR","visit":"DAY 61"}]}},"version":1})");
}

TEST(RegistryEntryRender, FormsWithDayRangesAsWholeNumbersAndFieldRangesAsReals) {
  EntryForms f;
  EntryField day{"day", "lab_date", "day", true, false, EntryRange{-36525, 36525, true}, std::nullopt, std::nullopt, ""};
  EntryField grade{"grade", "ae_grade", "integer", true, false, EntryRange{1, 5, false}, std::nullopt, std::nullopt, ""};
  EntryField unit{"unit", "lab_unit", "choice", true, false, std::nullopt, std::nullopt, std::vector<std::string>{"g/l"}, ""};
  EntryField albumin{"albumin_g_l", "albumin_g_l", "real", false, false, EntryRange{0, 70, false}, std::nullopt, std::nullopt, "g/L"};
  EntryField term{"term", "ae_term", "text", true, false, std::nullopt, 64, std::nullopt, ""};
  f.forms = {{"lab", "labs", "labs", {day, unit}}, {"baseline", "baseline", "baseline", {albumin}}, {"adverse_event", "adverse_events", "adverse_events", {grade, term}}};
  f.lab_units = {{"albumin", {"g/dl", "g/l"}}};
  f.sites = {{"Rennes", "S1"}};
  f.reason_max_length = 500;
  f.text_max_length = 64;
  EXPECT_EQ(entry_forms_json(f).dump(),
            R"({"arms":[],"forms":{"adverse_event":{"collection":"adverse_events","fields":[)"
            R"({"create_only":false,"field":"ae_grade","kind":"integer","max":5.0,"min":1.0,"name":"grade","required":true},)"
            R"({"create_only":false,"field":"ae_term","kind":"text","max_length":64,"name":"term","required":true}],"table":"adverse_events"},)"
            R"("baseline":{"collection":"baseline","fields":[)"
            R"({"create_only":false,"field":"albumin_g_l","kind":"real","max":70.0,"min":0.0,"name":"albumin_g_l","required":false,"unit":"g/L"}],)"
            R"("table":"baseline"},"lab":{"collection":"labs","fields":[)"
            R"({"create_only":false,"field":"lab_date","kind":"day","max":36525,"min":-36525,"name":"day","required":true},)"
            R"({"create_only":false,"field":"lab_unit","kind":"choice","name":"unit","required":true,"values":["g/l"]}],"table":"labs"}},)"
            R"("lab_units":{"albumin":["g/dl","g/l"]},"reason_max_length":500,"sites":[{"code":"Rennes","study":"S1"}],"text_max_length":64})");
}

TEST(RegistryEntryRender, RefusalsListTheFieldProblemsOnlyForFieldRefusals) {
  EntryRefusal bad{Kind::unknown_field, "bogus", "a field of the lab form", std::nullopt, 0, 0,
                   {{"bogus", "a field of the lab form", std::nullopt}, {"value", "a number", "x"}}};
  EXPECT_EQ(entry_refusal_json(bad).dump(),
            R"({"error":"unknown_field","field":"bogus","message":"a field of the lab form",)"
            R"("problems":[{"field":"bogus","message":"a field of the lab form"},{"field":"value","message":"a number","value":"x"}]})");
  EntryRefusal stale{Kind::stale_version, "version", "changed since", std::nullopt, 1, 2, {}};
  EXPECT_EQ(entry_refusal_json(stale).dump(), R"({"current":2,"error":"stale_version","field":"version","message":"changed since","yours":1})");
  EntryRefusal missing{Kind::not_found, "id", "no such patient in your sites", "6", 0, 0, {{"id", "no such patient in your sites", "6"}}};
  EXPECT_EQ(entry_refusal_json(missing).dump(), R"({"error":"not_found","field":"id","message":"no such patient in your sites","value":"6"})");
  EXPECT_TRUE(is_field_refusal(Kind::missing_reason));
  EXPECT_FALSE(is_field_refusal(Kind::conflict));
  EXPECT_STREQ(refusal_code(Kind::conflict), "conflict");
}

}  // namespace
}  // namespace sirtkit::report
