// sirtkit registry init | import | export run as a user would: exit codes,
// readable and JSON output, a bad import that changes nothing, an export that
// never contains a planted identifier, the CLI round trip, and PostgreSQL.

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "../registry/redcap/redcap_fixture.h"
#include "../registry/store_fixture.h"
#include "registry/import/pseudonym.h"

namespace {

namespace fs = std::filesystem;
using sirtkit::registry::testing::planted_identifiers;
using sirtkit::registry::testing::scratch_dir;
using sirtkit::registry::testing::slurp;

struct CliRun {
  int code = -1;
  std::string out, err;
};

CliRun run(const std::string& args) {
  const fs::path err = scratch_dir() / "stderr.txt";
  const std::string cmd = std::string(SIRTKIT_BINARY) + " " + args + " 2>" + err.string();
  CliRun r;
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  const int st = pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  r.err = slurp(err);
  return r;
}

class RegistryCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = scratch_dir() / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::create_directories(dir);
    std::ofstream(dir / "dict.csv") << sirtkit::registry::testing::redcap_dictionary_csv();
    std::ofstream(dir / "export.csv") << sirtkit::registry::testing::two_patient_export().csv();
    std::ofstream(dir / "reg.key") << "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\n";
  }
  std::string p(const std::string& name) const { return (dir / name).string(); }
  std::string import_args(const std::string& db, const std::string& data = "export.csv") const {
    return "registry import " + db + " --data " + p(data) + " --dictionary " + p("dict.csv") + " --key " + p("reg.key") + " --study DOSI";
  }
  fs::path dir;
};

TEST_F(RegistryCli, InitImportExportWithoutLeakingIdentifiers) {
  const std::string db = p("reg.sqlite");
  CliRun r = run("registry init " + db);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("created registry"), std::string::npos) << r.out;
  r = run("registry init " + db + " --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["migrations_applied"], 0);

  r = run(import_args(db) + " --json");
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["imported"]["patients"], 2);
  EXPECT_EQ(j["imported"]["followup_events"], 3);
  EXPECT_EQ(j["dropped"]["free_text"][0], "comments");

  r = run("registry export " + db + " --out " + p("deid.csv"));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("exported 2 patients"), std::string::npos) << r.out;
  const std::string data = slurp(dir / "deid.csv"), dict = slurp(dir / "deid_dictionary.csv");
  ASSERT_GT(data.size(), 500u);
  ASSERT_GT(dict.size(), 500u);
  const std::string file = slurp(db);
  for (const auto& id : planted_identifiers()) {
    EXPECT_EQ(data.find(id), std::string::npos) << "export leaks " << id;
    EXPECT_EQ(dict.find(id), std::string::npos) << "dictionary leaks " << id;
    EXPECT_EQ(file.find(id), std::string::npos) << "registry file holds " << id;
    EXPECT_EQ(r.out.find(id), std::string::npos) << id;
  }
}

TEST_F(RegistryCli, BadImportListsEveryProblemAndChangesNothing) {
  const std::string db = p("reg.sqlite");
  ASSERT_EQ(run("registry init " + db).code, 0);
  ASSERT_EQ(run(import_args(db)).code, 0);
  ASSERT_EQ(run("registry export " + db + " --out " + p("before.csv")).code, 0);
  const std::string before = slurp(dir / "before.csv");
  sirtkit::registry::testing::RedcapExport e;
  e.row("Z9", "", {{"site", "1"}, {"index_date", "2021-13-01"}, {"patient_name", "Zebulon Quixote"}})
      .row("Z9", "labs", {{"lab_date", "2021-03-02"}, {"lab_test", "bilirubin"}, {"lab_value", "12"}, {"lab_unit", "mmol/L"}})
      .row("Z9", "adverse_events", {{"ae_term", "Fatigue"}, {"ae_grade", "9"}, {"ae_onset_date", "2021-03-02"}});
  std::ofstream(dir / "bad.csv") << e.csv();
  CliRun r = run(import_args(db, "bad.csv"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("3 problems"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.csv line 2, column index_date = '(not shown)'"), std::string::npos) << r.err;  // dates are never shown
  EXPECT_EQ(r.err.find("2021-13-01"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.csv line 3, column lab_unit = 'mmol/L'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("bad.csv line 4, column ae_grade = '9'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("nothing was imported"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("Zebulon"), std::string::npos) << r.err;
  r = run(import_args(db, "bad.csv") + " --json");
  EXPECT_EQ(r.code, 2);
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["ok"], false);
  ASSERT_EQ(j["problems"].size(), 3u);
  EXPECT_EQ(j["problems"][1]["line"], 3);
  EXPECT_EQ(j["problems"][1]["column"], "lab_unit");
  // Nothing changed; the audit trail saw nothing either.
  ASSERT_EQ(run("registry export " + db + " --out " + p("after.csv")).code, 0);
  EXPECT_EQ(slurp(dir / "after.csv"), before);
  // Usage and key errors: exit 2 with the reason.
  std::ofstream(dir / "short.key") << "too-short";
  r = run("registry import " + db + " --data " + p("export.csv") + " --dictionary " + p("dict.csv") + " --key " + p("short.key"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("32 bytes"), std::string::npos) << r.err;
  r = run("registry import " + p("missing.sqlite") + " --data " + p("export.csv") + " --dictionary " + p("dict.csv") + " --key " + p("reg.key"));
  EXPECT_EQ(r.code, 4) << r.err;
  EXPECT_NE(r.err.find("registry init"), std::string::npos) << r.err;
}

// A value found after the import is purged: gone from the export and from
// every byte of the SQLite file; the purge is recorded without it.
TEST_F(RegistryCli, PurgeRemovesAValueEverywhere) {
  const std::string db = p("reg.sqlite");
  ASSERT_EQ(run("registry init " + db).code, 0);
  ASSERT_EQ(run(import_args(db)).code, 0);
  ASSERT_EQ(run("registry export " + db + " --out " + p("before.csv")).code, 0);
  ASSERT_NE(slurp(dir / "before.csv").find("Fatigue"), std::string::npos);
  ASSERT_NE(slurp(db).find("Fatigue"), std::string::npos);
  const std::string pseudonym = sirtkit::registry::PseudonymKey::from_file(p("reg.key")).pseudonym("MRN-99817263");
  CliRun r = run("registry purge " + db + " --table adverse_events --field term --record " + pseudonym +
                 " --reason 'term held a name' --actor carol --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["rows"], 1);
  EXPECT_EQ(j["audit_entries_rewritten"], 2);  // the import's INSERT and the purge's UPDATE
  EXPECT_EQ(j["storage_rewritten"], true);
  ASSERT_EQ(run("registry export " + db + " --out " + p("after.csv")).code, 0);
  EXPECT_EQ(slurp(dir / "after.csv").find("Fatigue"), std::string::npos);
  EXPECT_EQ(slurp(db).find("Fatigue"), std::string::npos);
  // A refused purge: exit 2, nothing echoed.
  r = run("registry purge " + db + " --table adverse_events --field term --record MRN-99817263 --reason x");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err.find("MRN-99817263"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--record"), std::string::npos) << r.err;
}

// A malformed CSV is reported with its line, not with the text of its cells.
TEST_F(RegistryCli, MalformedCsvDoesNotEchoItsCells) {
  const std::string db = p("reg.sqlite");
  ASSERT_EQ(run("registry init " + db).code, 0);
  std::ofstream(dir / "quote.csv") << "mrn,site,index_date\nMRN-4242,Zebulon \"Zeb\" Quixote,2021-03-01\n";
  const CliRun r = run(import_args(db, "quote.csv"));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("quotes only around a whole field"), std::string::npos) << r.err;
  for (const char* v : {"Zebulon", "Zeb", "Quixote", "MRN-4242"}) EXPECT_EQ(r.err.find(v), std::string::npos) << r.err;
}

TEST_F(RegistryCli, RoundTripThroughExportIsIdentity) {
  ASSERT_EQ(run("registry init " + p("a.sqlite")).code, 0);
  ASSERT_EQ(run(import_args(p("a.sqlite"))).code, 0);
  ASSERT_EQ(run("registry export " + p("a.sqlite") + " --out " + p("a.csv")).code, 0);
  ASSERT_EQ(run("registry init " + p("b.sqlite")).code, 0);
  CliRun r = run("registry import " + p("b.sqlite") + " --pseudonymised --data " + p("a.csv") + " --dictionary " + p("a_dictionary.csv") + " --study DOSI");
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(run("registry export " + p("b.sqlite") + " --out " + p("b.csv")).code, 0);
  EXPECT_EQ(slurp(dir / "b.csv"), slurp(dir / "a.csv"));
}

TEST_F(RegistryCli, WorksOnPostgres) {
  auto& server = sirtkit::registry::testing::PostgresServer::instance();
  ASSERT_TRUE(server.ok()) << "PostgreSQL test server could not be started: " << server.error();
  const std::string db = "'" + server.new_database() + "'";
  ASSERT_EQ(run("registry init " + db).code, 0);
  CliRun r = run(import_args(db));
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(run("registry export " + db + " --out " + p("pg.csv")).code, 0);
  ASSERT_EQ(run("registry init " + p("s.sqlite")).code, 0);
  ASSERT_EQ(run(import_args(p("s.sqlite"))).code, 0);
  ASSERT_EQ(run("registry export " + p("s.sqlite") + " --out " + p("s.csv")).code, 0);
  EXPECT_EQ(slurp(dir / "pg.csv"), slurp(dir / "s.csv"));  // same key → same pseudonyms, dates, values
}

}  // namespace

namespace {
// The README path: demo → init → import → derive → km, through the binary.
TEST_F(RegistryCli, DemoCohortThroughKaplanMeier) {
  const std::string d = p("demo");
  ASSERT_EQ(run("registry demo --out " + d).code, 0);
  ASSERT_EQ(run("registry init " + d + "/demo.sqlite").code, 0);
  CliRun r = run("registry import " + d + "/demo.sqlite --data " + d + "/demo_export.csv --dictionary " + d +
                 "/demo_dictionary.csv --key " + d + "/demo.key --study DOSISPHERE");
  ASSERT_EQ(r.code, 0) << r.err;
  r = run("registry derive " + d + "/demo.sqlite --endpoint os --months --out " + d + "/adtte_os.csv --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["subjects"], 56);
  r = run("km " + d + "/adtte_os.csv --time AVAL --event CNSR --event-coding cnsr --group TRT01P --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["curves"].size(), 3u) << r.out;
  EXPECT_NEAR(j["curves"][1]["median"]["median"].get<double>(), 24.8, 0.1) << r.out;
  EXPECT_NEAR(j["curves"][2]["median"]["median"].get<double>(), 10.7, 0.1) << r.out;
  r = run("registry derive " + d + "/demo.sqlite --endpoint pfs --censor-at-surgery --out " + d + "/adtte_pfs.csv");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("PFS from the index date, censored at resection/transplant: 56 subjects"), std::string::npos) << r.out;
  EXPECT_EQ(run("registry derive " + d + "/demo.sqlite --endpoint dfs").code, 2);
  // sirtkit analyze: the same numbers without the intermediate file.
  r = run("analyze " + d + "/demo.sqlite --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto a = nlohmann::json::parse(r.out);
  EXPECT_EQ(a["km"]["curves"][1]["median"]["median"], j["curves"][1]["median"]["median"]);
  EXPECT_EQ(a["km"]["curves"][2]["median"]["median"], j["curves"][2]["median"]["median"]);
  EXPECT_FALSE(a["logrank"].is_null());
  r = run("analyze " + d + "/demo.sqlite");
  EXPECT_NE(r.out.find("Chisq = 7.5261 on 1 df"), std::string::npos) << r.out;
  EXPECT_EQ(run("analyze " + d + "/demo.sqlite --group dose").code, 2);  // dose groups need a threshold
  r = run("analyze " + d + "/demo.sqlite --group dose --dose-threshold 205 --endpoint pfs");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("TDOSEGR=>=205 Gy"), std::string::npos) << r.out;
}
}  // namespace

namespace {
// Plain CSV + mapping file through the binary: the bundled example imports,
// a dry run writes nothing, a bad file exits 2 listing its problems without
// the identifiers, and nothing changes.
TEST_F(RegistryCli, PlainCsvWithMapping) {
  const std::string db = p("mapped.sqlite"), ex = std::string(SIRTKIT_SOURCE_DIR) + "/examples/registry/";
  ASSERT_EQ(run("registry init " + db).code, 0);
  const std::string args = " --mapping " + ex + "plain_csv_mapping.toml --key " + p("reg.key") + " --study DEMO";
  CliRun r = run("registry import " + db + " --data " + ex + "plain_export.csv" + args + " --dry-run --json");
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  EXPECT_TRUE(nlohmann::json::parse(r.out)["dry_run"].get<bool>());
  r = run("registry import " + db + " --data " + ex + "plain_export.csv" + args + " --json");
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["imported"]["patients"], 2);
  EXPECT_EQ(j["imported"]["lesion_measurements"], 4);
  EXPECT_EQ(j["dropped"]["other"], nlohmann::json::array({"Name", "Comments"}));  // the mapping's drop list, never read
  std::ofstream(dir / "bad.csv") << "Hospital number,Name,Date of birth,Sex,Arm,SIRT date,Bilirubin (mg/dL),Albumin (g/dL),ECOG,"
                                    "Activity (mCi),Scan date,Lesion,Diameter (cm),Event,Event date,Comments\n"
                                    "MRN-4242,Ophelia Planted,01/01/1950,Q,standard,01/03/2021,2,3,0,40,,,,,,\n"
                                    "MRN-4242,,,,,,,,,,12/2021/01,T1,5,,,\n";
  r = run("registry import " + db + " --data " + p("bad.csv") + args + " --json");
  EXPECT_EQ(r.code, 2);
  const auto bad = nlohmann::json::parse(r.out);
  ASSERT_EQ(bad["problems"].size(), 2u) << r.out;
  EXPECT_EQ(bad["problems"][0]["line"], 2);
  EXPECT_EQ(bad["problems"][0]["column"], "Sex");
  EXPECT_EQ(bad["problems"][1]["line"], 3);
  EXPECT_EQ(bad["problems"][1]["column"], "Scan date");
  r = run("registry import " + db + " --data " + p("bad.csv") + args);
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("line 3, column Scan date = '(not shown)': expected a calendar date written DD/MM/YYYY"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("12/2021/01"), std::string::npos) << r.err;  // a date, even a malformed one, is not shown
  for (const std::string planted : {"MRN-4242", "Ophelia", "01/01/1950"}) {
    EXPECT_EQ(r.err.find(planted), std::string::npos) << planted;
    EXPECT_EQ(r.out.find(planted), std::string::npos) << planted;
  }
  EXPECT_EQ(slurp(db).find("MRN-4242"), std::string::npos);
  r = run("registry export " + db + " --out " + p("deid.csv") + " --json");
  EXPECT_EQ(nlohmann::json::parse(r.out)["patients"], 2);  // the bad file added nothing
  // A correction and a new scan of a known patient: refused as already
  // imported, accepted with --update (the audit trail keeps the old value).
  std::ofstream(dir / "update.csv") << "Hospital number,Name,Date of birth,Sex,Arm,SIRT date,Bilirubin (mg/dL),Albumin (g/dL),ECOG,"
                                       "Activity (mCi),Scan date,Lesion,Diameter (cm),Event,Event date,Comments\n"
                                       "H-1001,,,,,01/03/2021,,,1,,,,,,,\n"
                                       "H-1001,,,,,,,,,,01/09/2021,T1,3.0,,,\n";
  EXPECT_EQ(run("registry import " + db + " --data " + p("update.csv") + args).code, 2);
  r = run("registry import " + db + " --data " + p("update.csv") + args + " --update --json");
  ASSERT_EQ(r.code, 0) << r.err << r.out;
  const auto upd = nlohmann::json::parse(r.out);
  EXPECT_EQ(upd["imported"]["patients"], 0);
  EXPECT_EQ(upd["imported"]["lesion_measurements"], 1);
  EXPECT_EQ(upd["updated"]["patients"], 1);
  EXPECT_EQ(upd["updated"]["rows_changed"], 1);  // ECOG 0 -> 1
  // --mapping and --dictionary exclude each other.
  EXPECT_EQ(run("registry import " + db + " --data " + ex + "plain_export.csv" + args + " --dictionary " + p("dict.csv")).code, 2);
}

// Response and Cox on the demo cohort: derive --endpoint response writes an
// ADRS file, and analyze --cox gives the coefficients of `sirtkit cox` on the
// ADTTE file of `registry derive --months`.
TEST_F(RegistryCli, DemoResponseAndCox) {
  const std::string d = p("demo");
  ASSERT_EQ(run("registry demo --out " + d).code, 0);
  ASSERT_EQ(run("registry init " + d + "/demo.sqlite").code, 0);
  ASSERT_EQ(run("registry import " + d + "/demo.sqlite --data " + d + "/demo_export.csv --dictionary " + d +
                "/demo_dictionary.csv --key " + d + "/demo.key --study DOSISPHERE").code, 0);
  CliRun r = run("registry derive " + d + "/demo.sqlite --endpoint response --criteria recist --at-days 90,180 --out " + d + "/adrs.csv --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto resp = nlohmann::json::parse(r.out);
  EXPECT_EQ(resp["subjects"], 56);
  // Responders shrink by 45 % (PR), the others by 8 % (SD); 7 die before the 3-month scan.
  EXPECT_EQ(resp["best_overall_response"]["PR"], 26);
  EXPECT_EQ(resp["best_overall_response"]["SD"], 23);
  EXPECT_EQ(resp["best_overall_response"]["MISSING"], 7);
  const std::string adrs = slurp(d + "/adrs.csv");
  EXPECT_EQ(adrs.substr(0, adrs.find('\n')), "STUDYID,USUBJID,SITEID,TRT01P,PARAMCD,PARAM,PARCAT1,AVALC,AVAL,ADT,ADY,AVISIT,TRTSDT");
  EXPECT_NE(adrs.find(",LMRESP,"), std::string::npos);
  r = run("registry derive " + d + "/demo.sqlite --endpoint response --criteria mrecist --json");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(r.out)["excluded"].size(), 0u) << r.out;
  EXPECT_EQ(run("registry derive " + d + "/demo.sqlite --endpoint response --criteria easl").code, 2);

  r = run("analyze " + d + "/demo.sqlite --cox --covariates arm,age,ecog --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto a = nlohmann::json::parse(r.out)["cox"];
  ASSERT_EQ(run("registry derive " + d + "/demo.sqlite --endpoint os --months --out " + d + "/adtte.csv").code, 0);
  r = run("cox " + d + "/adtte.csv --time AVAL --event CNSR --event-coding cnsr --covariates TRT01P,AGE,ECOG --json");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto c = nlohmann::json::parse(r.out);
  EXPECT_EQ(a["terms"], c["terms"]);
  ASSERT_EQ(a["coef"].size(), 3u);
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_DOUBLE_EQ(a["coef"][k].get<double>(), c["coef"][k].get<double>());
    EXPECT_DOUBLE_EQ(a["se"][k].get<double>(), c["se"][k].get<double>());
  }
  EXPECT_EQ(a["nevent"], 50);
  EXPECT_EQ(run("analyze " + d + "/demo.sqlite --cox --covariates weight").code, 2);
  EXPECT_EQ(run("analyze " + d + "/demo.sqlite --covariates age").code, 2);  // covariates need --cox
}
}  // namespace
