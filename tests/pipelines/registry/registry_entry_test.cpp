// Data entry into the registry as values (the HTTP answers are tested in
// tests/server/routes/record_routes_test.cpp, their rendering in
// tests/report/registry/registry_entry_json_test.cpp): the forms from the field
// catalogue, a saved record with its version and what is computed on save,
// and refusals listing every field problem.
#include "pipelines/registry/registry_entry.h"

#include <gtest/gtest.h>

#include "../../registry/store_fixture.h"
#include "registry/import/field_catalog.h"
#include "registry/store/schema.h"

namespace sirtkit::pipelines {
namespace {

using Kind = EntryRefusal::Kind;

// A new SQLite registry with one study, two sites and an arm.
std::unique_ptr<registry::Store> entry_store() {
  static int n = 0;
  auto s = registry::open_store((registry::testing::scratch_dir() / ("entry" + std::to_string(++n) + ".sqlite")).string(), true);
  registry::migrate(*s, "test");
  registry::Transaction tx(*s, "setup");
  s->execute("INSERT INTO studies (code) VALUES ('S1')");
  s->execute("INSERT INTO sites (study_id, code) VALUES (1, 'Rennes')");
  s->execute("INSERT INTO sites (study_id, code) VALUES (1, 'Lyon')");
  s->execute("INSERT INTO arms (study_id, code) VALUES (1, 'sirt')");
  tx.commit();
  return s;
}

// Not random: the middle of [0, n), so the pseudonym and the date shift are known.
std::uint32_t middle(std::uint32_t n) { return n / 2; }

const EntryUser everywhere{"inv", std::nullopt};

std::optional<std::string> cell(const report::SavedRecord& saved, const std::string& column) {
  for (std::size_t c = 0; c < saved.record.columns.size(); ++c)
    if (saved.record.columns[c] == column) return saved.record.rows.at(0)[c];
  ADD_FAILURE() << "no column " << column;
  return std::nullopt;
}

const report::EntryField& field_of(const report::EntryForms& forms, const std::string& form, const std::string& field) {
  for (const auto& f : forms.forms)
    if (f.name == form)
      for (const auto& x : f.fields)
        if (x.name == field) return x;
  throw std::runtime_error("no field " + form + "." + field);
}

report::SavedRecord new_patient(registry::Store& s) {
  return create_patient(s, everywhere, {{"site", "Rennes"}, {"arm", "sirt"}, {"sex", "female"}, {"age_years", 61}, {"index_date", "2024-01-10"}},
                        middle);
}

EntryRefusal refusal_of(const std::function<void()>& write) {
  try {
    write();
  } catch (const EntryRefused& e) {
    return e.refusal();
  }
  ADD_FAILURE() << "not refused";
  return {};
}

TEST(RegistryEntry, FormsComeFromTheFieldCatalogueAndShowOnlyTheUsersSites) {
  auto s = entry_store();
  const report::EntryForms all = entry_forms(*s, everywhere);
  ASSERT_EQ(all.forms.size(), 7u);
  EXPECT_EQ(all.forms[0].name, "patient");
  const report::EntryField& day = field_of(all, "lab", "day");
  EXPECT_EQ(day.kind, "day");
  ASSERT_TRUE(day.range);
  EXPECT_TRUE(day.range->whole_days);
  EXPECT_EQ(day.range->min, -36525);  // 100 years of study days (registry/import/field_check.h)
  const report::EntryField& grade = field_of(all, "adverse_event", "grade");
  EXPECT_EQ(grade.kind, "integer");
  ASSERT_TRUE(grade.range);
  EXPECT_FALSE(grade.range->whole_days);
  EXPECT_EQ(grade.range->min, 1);  // CTCAE grades 1-5
  EXPECT_EQ(grade.range->max, 5);
  EXPECT_TRUE(field_of(all, "patient", "site").required);
  EXPECT_TRUE(field_of(all, "patient", "index_date").create_only);
  EXPECT_EQ(field_of(all, "adverse_event", "term").max_length, registry::max_text_length);
  EXPECT_FALSE(field_of(all, "lab", "test").values->empty());
  EXPECT_EQ(all.sites.size(), 2u);
  ASSERT_EQ(all.arms.size(), 1u);
  EXPECT_EQ(all.arms[0].code, "sirt");
  EXPECT_EQ(all.reason_max_length, max_reason_length);
  const report::EntryForms lyon = entry_forms(*s, EntryUser{"inv", std::vector<long long>{2}});
  ASSERT_EQ(lyon.sites.size(), 1u);
  EXPECT_EQ(lyon.sites[0].code, "Lyon");
  EXPECT_EQ(lyon.sites[0].study, "S1");
}

TEST(RegistryEntry, ANewPatientHasAPseudonymAndAShiftedIndexDate) {
  auto s = entry_store();
  const report::SavedRecord p = new_patient(*s);
  EXPECT_EQ(p.form, "patient");
  EXPECT_TRUE(p.created);
  EXPECT_EQ(p.version, 1);
  EXPECT_EQ(p.id, p.patient_id);
  // 20 hex digits drawn as random(16) = 8; the shift 1 + random(365) = 183 days, forward as random(2) = 1.
  EXPECT_EQ(p.pseudonym, "P" + std::string(20, '8'));
  EXPECT_EQ(cell(p, "index_date_shifted"), "2024-07-11");
  EXPECT_FALSE(p.response);
  EXPECT_FALSE(p.ctcae);
}

TEST(RegistryEntry, ALesionMeasurementComesBackWithTheResponsesAndALabWithItsGrade) {
  auto s = entry_store();
  const long long id = new_patient(*s).id;
  add_record(*s, everywhere, "lesion_measurement", id,
             {{"label", "T1"}, {"organ", "liver"}, {"kind", "target"}, {"day", -5}, {"longest_diameter_mm", 50}, {"enhancing_diameter_mm", 40}});
  // 50 -> 30 mm (-40 %) is a partial response by RECIST 1.1 (>= 30 % decrease); mRECIST 40 -> 10 mm also.
  const report::SavedRecord m = add_record(*s, everywhere, "lesion_measurement", id,
                                           {{"label", "T1"}, {"kind", "target"}, {"day", 60}, {"longest_diameter_mm", 30}, {"enhancing_diameter_mm", 10}});
  ASSERT_TRUE(m.response);
  EXPECT_EQ(m.response->recist.criteria, "RECIST 1.1");
  EXPECT_EQ(m.response->recist.best_response, "PR");
  ASSERT_EQ(m.response->mrecist.timepoints.size(), 1u);
  EXPECT_EQ(m.response->mrecist.timepoints[0].response, "PR");
  EXPECT_EQ(m.response->mrecist.timepoints[0].visit, "DAY " + m.response->mrecist.timepoints[0].ady);
  // An edit that changes nothing derives nothing.
  const report::SavedRecord same = edit_record(*s, everywhere, "lesion_measurement", id, m.id, {{"version", 1}, {"reason", "checked"}, {"day", 60}});
  EXPECT_TRUE(same.changed.empty());
  EXPECT_EQ(same.version, 1);
  EXPECT_FALSE(same.response);

  // CTCAE v5.0 hypoalbuminemia grade 2: < 3 g/dL (30 g/L) - 2 g/dL; the edit grades the stored value.
  const report::SavedRecord lab = add_record(*s, everywhere, "lab", id, {{"test", "albumin"}, {"value", 28}, {"unit", "g/l"}, {"day", -3}});
  ASSERT_TRUE(lab.ctcae && lab.ctcae->grade);
  EXPECT_EQ(lab.ctcae->grade->grade, 2);
  const report::SavedRecord edited = edit_record(*s, everywhere, "lab", id, lab.id, {{"version", 1}, {"reason", "typo"}, {"value", 19}});
  EXPECT_EQ(edited.changed, std::vector<std::string>{"value"});
  EXPECT_EQ(edited.version, 2);
  EXPECT_FALSE(edited.created);
  ASSERT_TRUE(edited.ctcae && edited.ctcae->grade);
  EXPECT_EQ(edited.ctcae->grade->grade, 3);  // < 2 g/dL (20 g/L)
}

TEST(RegistryEntry, ARefusalNamesTheFirstProblemAndListsThemAll) {
  auto s = entry_store();
  const long long id = new_patient(*s).id;
  const EntryRefusal bad = refusal_of([&] { add_record(*s, everywhere, "lab", id, {{"test", "albumin"}, {"value", "x"}, {"unit", "g/l"}, {"bogus", 1}, {"day", 3}}); });
  EXPECT_EQ(bad.kind, Kind::unknown_field);
  EXPECT_EQ(bad.field, "bogus");
  ASSERT_EQ(bad.problems.size(), 2u);
  EXPECT_EQ(bad.problems[0].field, "bogus");
  EXPECT_EQ(bad.problems[1].field, "value");
  EXPECT_EQ(bad.problems[1].value, "x");

  const long long lab = add_record(*s, everywhere, "lab", id, {{"test", "albumin"}, {"value", 28}, {"unit", "g/l"}, {"day", -3}}).id;
  edit_record(*s, everywhere, "lab", id, lab, {{"version", 1}, {"reason", "typo"}, {"value", 29}});
  const EntryRefusal stale = refusal_of([&] { edit_record(*s, everywhere, "lab", id, lab, {{"version", 1}, {"reason", "typo"}, {"value", 30}}); });
  EXPECT_EQ(stale.kind, Kind::stale_version);
  EXPECT_EQ(stale.yours, 1);
  EXPECT_EQ(stale.current, 2);
  EXPECT_TRUE(stale.problems.empty());

  const EntryRefusal elsewhere = refusal_of([&] { add_record(*s, EntryUser{"inv", std::vector<long long>{2}}, "lab", id, {{"test", "albumin"}}); });
  EXPECT_EQ(elsewhere.kind, Kind::not_found);
  EXPECT_EQ(elsewhere.value, std::to_string(id));
}

}  // namespace
}  // namespace sirtkit::pipelines
