// GET /api/analysis/km and /api/analysis/cox against the command line: the
// server's numbers are the ones `sirtkit km`, `sirtkit logrank`, `sirtkit cox`
// print on the ADTTE file of `sirtkit registry derive --months`, and the ones
// of `sirtkit analyze`, for the whole registry (admin) and for one site's
// patients (an investigator of that site). The built program is run as a
// user runs it. Also: parameters refused naming the field, no pseudonym in
// the answer, an analysis without data refused with 422.

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/text_formats/csv_table.h"
#include "../server_fixture.h"

namespace sirtkit::server {
namespace {

using nlohmann::json;
using testing::TestServer;

const std::string password = "correct horse battery";

std::string run(const std::string& args) {
  const std::string cmd = std::string(SIRTKIT_BINARY) + " " + args + " 2>/dev/null";
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  std::array<char, 4096> buf{};
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  pclose(p);
  return out;
}

json run_json(const std::string& args) {
  const json j = json::parse(run(args), nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << "sirtkit " << args;
  return j;
}

std::filesystem::path scratch(const std::string& name) {
  const auto d = std::filesystem::temp_directory_path() / ("sirtkit_analysis_" + std::to_string(::getpid()));
  std::filesystem::create_directories(d);
  return d / name;
}

// The rows of an ADTTE file whose SITEID is `site` (the same header and quoting kept: only whole lines dropped).
void keep_site(const std::filesystem::path& in, const std::filesystem::path& out, const std::string& site) {
  const auto table = io::CsvTable::read(in);
  const std::size_t col = table.column_index("SITEID");
  std::ifstream f(in);
  std::ofstream o(out);
  std::string line;
  std::getline(f, line);
  o << line << "\n";
  for (std::size_t r = 0; r < table.rows() && std::getline(f, line); ++r)
    if (table.cell(r, col) == site) o << line << "\n";
}

json get(TestServer& server, const testing::Login& s, const std::string& path, int expect = 200) {
  auto r = server.request("GET", path, s);
  EXPECT_TRUE(r) << path;
  if (!r) return {};
  EXPECT_EQ(r->status, expect) << path << ": " << r->body;
  return testing::body_of(r);
}

const std::string adtte_args = " --time AVAL --event CNSR --event-coding cnsr";

TEST(AnalysisRoutes, KaplanMeierAndLogRankEqualTheCommandLine) {
  TestServer server;
  const auto s = server.login(server.admin().username, server.admin().password);
  ASSERT_EQ(s.status, 200);
  const json api = get(server, s, "/api/analysis/km?endpoint=os&group=arm&times=6,12,24");
  ASSERT_TRUE(api.contains("km")) << api.dump();
  const auto file = scratch("os.csv");
  run("registry derive " + server.db() + " --endpoint os --months --out " + file.string());
  const json km = run_json("km " + file.string() + adtte_args + " --group TRT01P --times 6,12,24 --json");
  const json lr = run_json("logrank " + file.string() + adtte_args + " --group TRT01P --json");
  ASSERT_TRUE(km.contains("curves"));
  // Every curve (all + one per arm): n, events, median with CI, survival and number at risk
  // at 6, 12, 24 months, and every step of the table, equal to the last bit.
  EXPECT_EQ(api["km"]["curves"], km["curves"]);
  EXPECT_GE(api["km"]["curves"].size(), 3u);
  EXPECT_EQ(api["km"]["reverse_km_median_followup"], km["reverse_km_median_followup"]);
  EXPECT_EQ(api["logrank"]["chisq"], lr["chisq"]);
  EXPECT_EQ(api["logrank"]["df"], lr["df"]);
  EXPECT_EQ(api["logrank"]["p"], lr["p"]);
  EXPECT_EQ(api["logrank"]["groups"], lr["groups"]);
  EXPECT_EQ(api["risk_times"], json({6, 12, 24}));
  EXPECT_EQ(api["derived"]["time_unit"], "months");
  // And `sirtkit analyze` on the registry itself (no landmark times there).
  const json an = run_json("analyze " + server.db() + " --endpoint os --group arm --json");
  ASSERT_EQ(an["km"]["curves"].size(), api["km"]["curves"].size());
  for (std::size_t i = 0; i < an["km"]["curves"].size(); ++i) {
    EXPECT_EQ(api["km"]["curves"][i]["median"], an["km"]["curves"][i]["median"]);
    EXPECT_EQ(api["km"]["curves"][i]["table"], an["km"]["curves"][i]["table"]);
  }
  EXPECT_EQ(api["logrank"]["p"], an["logrank"]["p"]);
  EXPECT_EQ(api["derived"]["subjects"], an["derived"]["subjects"]);
  EXPECT_EQ(api["derived"]["events"], an["derived"]["events"]);
  // Default times: 0 and every 6 months up to the last time; the number at risk at 0 is n.
  const json d = get(server, s, "/api/analysis/km?endpoint=pfs&group=none");
  ASSERT_GE(d["risk_times"].size(), 2u);
  EXPECT_EQ(d["risk_times"][0], 0.0);
  EXPECT_EQ(d["risk_times"][1], 6.0);
  EXPECT_EQ(d["km"]["curves"].size(), 1u);
  EXPECT_EQ(d["km"]["curves"][0]["at_times"][0]["n_risk"], d["km"]["curves"][0]["n"]);
  EXPECT_TRUE(d["logrank"].is_null());
}

TEST(AnalysisRoutes, CoxEqualsTheCommandLine) {
  TestServer server;
  const auto s = server.login(server.admin().username, server.admin().password);
  const json api = get(server, s, "/api/analysis/cox?endpoint=os&covariates=arm,age&ties=breslow");
  ASSERT_TRUE(api.contains("cox")) << api.dump();
  const auto file = scratch("os_cox.csv");
  run("registry derive " + server.db() + " --endpoint os --months --out " + file.string());
  const json cx = run_json("cox " + file.string() + adtte_args + " --covariates TRT01P,AGE --ties breslow --json");
  for (const char* k : {"terms", "coef", "se", "p", "hr", "hr_lower", "hr_upper", "lr_test", "wald_test", "score_test", "concordance", "n", "nevent"})
    EXPECT_EQ(api["cox"][k], cx[k]) << k;
  ASSERT_EQ(api["cox"]["terms"].size(), 2u);
  const json an = run_json("analyze " + server.db() + " --cox --covariates arm,age --ties breslow --json");
  EXPECT_EQ(api["cox"]["hr"], an["cox"]["hr"]);
  EXPECT_EQ(api["cox"]["p"], an["cox"]["p"]);
  // The hazard ratio is exp(coef) and its interval brackets it.
  for (std::size_t i = 0; i < api["cox"]["hr"].size(); ++i) {
    EXPECT_NEAR(api["cox"]["hr"][i].get<double>(), std::exp(api["cox"]["coef"][i].get<double>()), 1e-12);
    EXPECT_LT(api["cox"]["hr_lower"][i].get<double>(), api["cox"]["hr"][i].get<double>());
    EXPECT_GT(api["cox"]["hr_upper"][i].get<double>(), api["cox"]["hr"][i].get<double>());
  }
}

TEST(AnalysisRoutes, SiteUsersAnalyseTheirSitesPatientsOnly) {
  TestServer server;
  // Move every other patient to a second site of the same study.
  {
    auto lease = server.http().state().pool().acquire();
    registry::Transaction tx(*lease, "test");
    lease->execute("INSERT INTO sites (study_id, code) SELECT study_id, 'Lyon' FROM sites WHERE code = 'Rennes'");
    lease->execute("UPDATE patients SET site_id = (SELECT id FROM sites WHERE code = 'Lyon') WHERE id % 2 = 0");
    tx.commit();
  }
  server.add_user("inv_rennes", Role::investigator, {"Rennes"}, password);
  server.add_user("stat_lyon", Role::statistician, {"Lyon"}, password);
  const auto admin = server.login(server.admin().username, server.admin().password);
  const auto inv = server.login("inv_rennes", password);
  const auto stat = server.login("stat_lyon", password);
  ASSERT_EQ(inv.status, 200);
  ASSERT_EQ(stat.status, 200);
  const json all = get(server, admin, "/api/analysis/km?times=12");
  const json rennes = get(server, inv, "/api/analysis/km?times=12");
  const json lyon = get(server, stat, "/api/analysis/km?times=12");
  const int n_all = all["derived"]["subjects"], n_rennes = rennes["derived"]["subjects"], n_lyon = lyon["derived"]["subjects"];
  EXPECT_GT(n_rennes, 0);
  EXPECT_GT(n_lyon, 0);
  EXPECT_EQ(n_rennes + n_lyon, n_all);
  // The Rennes numbers are those of the command line on the Rennes rows of the ADTTE file.
  const auto file = scratch("os_sites.csv"), rennes_file = scratch("os_rennes.csv");
  run("registry derive " + server.db() + " --endpoint os --months --out " + file.string());
  keep_site(file, rennes_file, "Rennes");
  const json km = run_json("km " + rennes_file.string() + adtte_args + " --group TRT01P --times 12 --json");
  EXPECT_EQ(rennes["km"]["curves"], km["curves"]);
  EXPECT_EQ(rennes["km"]["curves"][0]["n"], n_rennes);
  // A site with no patient: nothing to analyse.
  server.add_user("inv_nowhere", Role::investigator, {}, password);
  const auto none = server.login("inv_nowhere", password);
  const json refused = get(server, none, "/api/analysis/km", 422);
  EXPECT_EQ(refused["error"], "analysis_refused");
}

TEST(AnalysisRoutes, PostgresGivesTheNumbersOfSqlite) {
  TestServer lite;
  TestServer pg(registry::Dialect::postgres);
  const auto a = lite.login(lite.admin().username, lite.admin().password);
  const auto b = pg.login(pg.admin().username, pg.admin().password);
  const json x = get(lite, a, "/api/analysis/km?endpoint=pfs&times=3,9");
  const json y = get(pg, b, "/api/analysis/km?endpoint=pfs&times=3,9");
  EXPECT_EQ(x["km"]["curves"], y["km"]["curves"]);
  EXPECT_EQ(x["logrank"], y["logrank"]);
  EXPECT_EQ(get(lite, a, "/api/analysis/cox?covariates=arm,ecog")["cox"]["hr"], get(pg, b, "/api/analysis/cox?covariates=arm,ecog")["cox"]["hr"]);
}

TEST(AnalysisRoutes, AnswerHoldsNoPseudonymAndRefusesBadParametersNamingThem) {
  TestServer server;
  const auto s = server.login(server.admin().username, server.admin().password);
  const json patients = get(server, s, "/api/patients?limit=1000");
  ASSERT_GT(patients["patients"].size(), 0u) << patients.dump();
  const std::string km = get(server, s, "/api/analysis/km?group=site").dump();
  const std::string cox = get(server, s, "/api/analysis/cox?covariates=age,ecog&factors=ecog").dump();
  for (const auto& p : patients["patients"]) {
    const std::string pseudonym = p["pseudonym"];
    EXPECT_EQ(km.find(pseudonym), std::string::npos);
    EXPECT_EQ(cox.find(pseudonym), std::string::npos);
  }
  struct Case {
    std::string query, field;
  };
  for (const Case& c : {Case{"endpoint=response", "endpoint"}, Case{"group=dose", "dose_threshold"}, Case{"dose_threshold=-1", "dose_threshold"},
                        Case{"dose_threshold=abc", "dose_threshold"}, Case{"times=-1", "times"}, Case{"times=6,x", "times"},
                        Case{"origin=x", "origin"}, Case{"study=a%27%20OR%201%3D1", "study"}, Case{"ties=x", "ties"}}) {
    const json e = get(server, s, "/api/analysis/km?" + c.query, 400);
    EXPECT_EQ(e["field"], c.field) << c.query;
  }
  const json e = get(server, s, "/api/analysis/cox?covariates=age,weight", 400);
  EXPECT_EQ(e["field"], "covariates");
  EXPECT_EQ(e["value"], "weight");
  const json f = get(server, s, "/api/analysis/cox?covariates=age;drop", 400);
  EXPECT_EQ(f["field"], "covariates");
}

}  // namespace
}  // namespace sirtkit::server
