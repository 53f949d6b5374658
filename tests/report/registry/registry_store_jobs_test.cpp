#include "report/registry/registry_store_jobs.h"

#include <gtest/gtest.h>

#include <string>

namespace sirtkit::report {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(RegistryStoreJobsRender, InitSaysCreatedUpgradedOrUpToDate) {
  RegistryInit r{"r.sqlite", true, 0, 7, 7};
  EXPECT_EQ(registry_init_output(r).text, "created registry r.sqlite (schema version 7)\n");
  r.schema_version_before = 5;
  r.migrations_applied = 2;
  EXPECT_EQ(registry_init_output(r).text, "upgraded registry r.sqlite from schema version 5 to 7\n");
  r.schema_version_before = 7;
  r.migrations_applied = 0;
  r.sqlite = false;
  const CommandOutput o = registry_init_output(r);
  EXPECT_EQ(o.text, "registry r.sqlite is up to date (schema version 7)\n");
  EXPECT_EQ(o.json["store"], "postgresql");
  EXPECT_EQ(o.json["schema_version_before"], 7);
  EXPECT_EQ(o.json["migrations_applied"], 0);
}

TEST(RegistryStoreJobsRender, ImportCountsUpdatesAndDroppedColumns) {
  RegistryImport r;
  r.location = "r.sqlite";
  r.study = "S";
  r.summary.patients = 3;
  r.summary.lesions = 4;
  r.summary.measurements = 9;
  r.summary.dropped_identifiers = {"name", "mrn"};
  r.summary.index_date_rule = "index_date";
  CommandOutput o = registry_import_output(r);
  EXPECT_TRUE(has(o.text, "  lesions              4 (9 measurements)\n")) << o.text;
  EXPECT_TRUE(has(o.text, "  identifiers          name, mrn\n")) << o.text;
  EXPECT_TRUE(has(o.text, "  free text            none\n")) << o.text;
  EXPECT_FALSE(has(o.text, "updated patients")) << o.text;
  EXPECT_EQ(o.json["imported"]["lesion_measurements"], 9);
  EXPECT_EQ(o.json["dropped"]["identifiers"][1], "mrn");
  r.summary.patients_updated = 2;
  r.summary.rows_updated = 5;
  r.summary.rows_unchanged = 1;
  o = registry_import_output(r);
  EXPECT_TRUE(has(o.text, "  updated patients     2 (5 stored rows changed, old and new values in the audit trail; 1 unchanged;"))
      << o.text;
  EXPECT_EQ(o.json["updated"]["rows_changed"], 5);
}

TEST(RegistryStoreJobsRender, RefusedImportListsEveryProblemAndNothingImported) {
  RegistryImport r;
  r.outcome = RegistryImport::Outcome::refused;
  r.message = "2 problems in d.csv";
  r.problems = {{"d.csv", 2, "age_years", "(not shown)", "an integer"}, {"d.csv", 3, "sex", "x", "male or female"}};
  const CommandOutput o = registry_import_output(r);
  EXPECT_EQ(o.text, "2 problems in d.csv\n");
  EXPECT_EQ(o.json["ok"], false);
  EXPECT_TRUE(o.json["imported"].is_null());
  ASSERT_EQ(o.json["problems"].size(), 2u);
  EXPECT_EQ(o.json["problems"][1]["line"], 3);
  EXPECT_EQ(o.json["problems"][1]["expected"], "male or female");
}

TEST(RegistryStoreJobsRender, PurgeSaysWhetherTheStorageWasRewritten) {
  RegistryPurge p{"db", "lesions", "label", "carol", {1, 2, true, "NULL"}};
  CommandOutput o = registry_purge_output(p);
  EXPECT_TRUE(has(o.text, "purged lesions.label in 1 row of db (now NULL); 2 audit trail entries")) << o.text;
  EXPECT_TRUE(has(o.text, "storage rewritten (VACUUM)")) << o.text;
  p.result.rows = 3;
  p.result.rewritten = false;
  o = registry_purge_output(p);
  EXPECT_TRUE(has(o.text, "in 3 rows of db")) << o.text;
  EXPECT_TRUE(has(o.text, "VACUUM FULL lesions, audit_log\n")) << o.text;
  EXPECT_EQ(o.json["storage_rewritten"], false);
}

TEST(RegistryStoreJobsRender, ExportWithoutStudyIsNullAndDemoLoadSaysWhetherItImported) {
  const CommandOutput e = registry_export_output({"db", "a.csv", "a_dictionary.csv", 4, 10, ""});
  EXPECT_TRUE(e.json["study"].is_null());
  EXPECT_TRUE(has(e.text, "exported 4 patients (10 rows) from db\n")) << e.text;
  const CommandOutput held = registry_demo_load_output({"db", 60, true});
  EXPECT_EQ(held.json["imported"], 0);
  EXPECT_EQ(held.text, "registry db already holds 60 patients; demo cohort not imported again\n");
  EXPECT_EQ(registry_demo_load_output({"db", 56, false}).json["imported"], 56);
}

}  // namespace
}  // namespace sirtkit::report
