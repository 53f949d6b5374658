#include "report/study/analysis_results.h"

#include <gtest/gtest.h>

#include "report/command_output.h"

namespace sirtkit::report {
namespace {

using nlohmann::json;

AnalysisReport two_arms() {
  AnalysisReport r;
  r.title = "Personalised versus standard";
  r.created_utc = "2026-12-06T03:00:00+00:00";
  r.operator_name = "tester";
  r.software = "sirtkit 0.1.0";
  r.sap_file = "sap.toml";
  r.sap_sha256 = "ab12";
  r.registry_source = "SQLite file reg.sqlite";
  r.schema_version = 7;
  r.origin = "index";
  r.arms = {"standard", "personalised"};
  r.registered = 12;
  r.flow = {{"standard", 6, 5, 1, 0}, {"personalised", 4, 4, 0, 0}, {"", 2, 0, 0, 2}};
  r.data_sets = {{"data/adtte_os.csv", "Overall survival (ADTTE, months)", "cd34", 10, {{"no index date", 1}, {"withdrawn", 2}}}};
  r.figures = {{"figures/km_os.svg", "<svg/>", "Overall survival by arm"}};
  return r;
}

TEST(AnalysisResultsRender, HeaderFlowAndDataSets) {
  const json j = analysis_report_json(two_arms());
  EXPECT_EQ(j["command"], "report");
  EXPECT_EQ(j["operator"], "tester");
  EXPECT_EQ(j["sap"]["sha256"], "ab12");
  EXPECT_TRUE(j["registry"]["study"].is_null());  // every study
  EXPECT_EQ(j["registry"]["schema_version"], 7);
  EXPECT_EQ(j["population"]["control_arm"], "standard");
  EXPECT_EQ(j["population"]["censor_at_surgery"], false);
  EXPECT_EQ(j["flow"]["registered"], 12);
  EXPECT_EQ(j["flow"]["arms"][0]["received_other_only"], 1);
  EXPECT_TRUE(j["flow"]["arms"][2]["arm"].is_null());  // patients without an arm
  EXPECT_EQ(j["flow"]["arms"][2]["untreated"], 2);
  EXPECT_EQ(j["data_sets"][0]["excluded"].dump(), R"({"no index date":1,"withdrawn":2})");
  EXPECT_EQ(j["data_sets"][0]["rows"], 10);
  EXPECT_EQ(j["figures"], json::array({"figures/km_os.svg"}));
  EXPECT_EQ(j["survival"], json::array());
  // Sections the plan does not ask for are absent, not null.
  for (const char* key : {"table1", "primary", "follow_up", "subgroups", "response", "adverse_events", "dose_response"})
    EXPECT_FALSE(j.contains(key)) << key;
  EXPECT_EQ(analysis_report_text(two_arms(), "out"),
            "Personalised versus standard\n12 patients registered; 1 data sets, 1 figures\n"
            "wrote out/report.html, report.pdf, report.json, data/, figures/\n");
}

TEST(AnalysisResultsRender, FollowUpAskedForIsNullWithoutAnOsDataSet) {
  AnalysisReport r = two_arms();
  r.follow_up.emplace();
  EXPECT_TRUE(analysis_report_json(r)["follow_up"].is_null());
  *r.follow_up = FollowUpSection{"reverse Kaplan-Meier (OS data set)", "data/adtte_os.csv"};
  EXPECT_EQ(analysis_report_json(r)["follow_up"]["file"], "data/adtte_os.csv");
}

TEST(AnalysisResultsRender, RefusedTestsAreNullWithTheEnginesMessage) {
  AnalysisReport r = two_arms();
  KmComparison g;
  g.km.file = "data/adtte_os.csv";
  g.km_command = "sirtkit km data/adtte_os.csv --json";
  g.logrank_refused = "TRT01P = standard: at least two groups to compare";
  g.logrank_command = "sirtkit logrank data/adtte_os.csv --json";
  g.cox.refused = "TRT01P = standard: a factor with at least two levels";
  g.cox.command = "sirtkit cox data/adtte_os.csv --json";
  g.figure = "figures/km_os.svg";
  r.survival.push_back({"os", "Overall survival", "data/adtte_os.csv", g});
  r.dose_response.push_back({"OS by planned tumour dose", "os", "tumour", "planned", 205, g});
  const json j = analysis_report_json(r);
  const json& s = j["survival"][0];
  EXPECT_EQ(s["km"], km_json(g.km));
  EXPECT_TRUE(s["logrank"].is_null());
  EXPECT_EQ(s["logrank_refused"], g.logrank_refused);
  EXPECT_TRUE(s["cox"].is_null());
  EXPECT_EQ(s["cox_refused"], g.cox.refused);
  EXPECT_EQ(s["cox_command"], g.cox.command);
  EXPECT_FALSE(s.contains("adjusted_cox"));
  EXPECT_EQ(s["endpoint"], "os");
  EXPECT_EQ(s["file"], "data/adtte_os.csv");
  EXPECT_EQ(s["figure"], "figures/km_os.svg");
  EXPECT_EQ(j["dose_response"][0]["threshold_gy"], 205.0);
  EXPECT_EQ(j["dose_response"][0]["source"], "planned");
  EXPECT_EQ(j["dose_response"][0]["logrank_refused"], g.logrank_refused);
}

TEST(AnalysisResultsRender, ResponseCountsEveryArmAndRatesWithoutATestForOneArm) {
  AnalysisReport r = two_arms();
  ResponseSection c;
  c.criteria = "mRECIST";
  c.file = "data/adrs_mrecist.csv";
  c.categories = {"CR", "PR"};
  c.best_response = {{"standard", {{"CR", 2}, {"PR", 1}}}, {"personalised", {}}};
  ProportionResult p;
  p.x = 3;
  p.n = 6;
  c.orr.arms = {{"standard", p, "sirtkit proportion --x 3 --n 6 --json"}};
  r.response = std::vector<ResponseSection>{c};
  AdverseEventSection ae;
  ae.population = "safety population";
  ae.arms = {{"standard", 6, {{"Fatigue", 3, 2, 1, 0, 0}}, "sirtkit ae-table data/ae_arm1.csv --n 6 --json"}};
  r.adverse_events = ae;
  const json j = analysis_report_json(r);
  const json& resp = j["response"][0];
  EXPECT_EQ(resp["best_response"].dump(), R"({"personalised":{},"standard":{"CR":2,"PR":1}})");
  EXPECT_EQ(resp["orr"]["arms"][0]["x"], 3);
  EXPECT_EQ(resp["orr"]["arms"][0]["n"], 6);
  EXPECT_EQ(resp["orr"]["arms"][0]["result"], proportion_json(p));
  EXPECT_TRUE(resp["orr"]["test"].is_null());
  EXPECT_FALSE(resp["orr"].contains("test_command"));
  EXPECT_EQ(resp["dcr"]["arms"], json::array());
  const json& arm = j["adverse_events"]["arms"][0];
  EXPECT_EQ(arm["terms"][0].dump(), R"({"any":3,"grade_1_2":2,"grade_3":1,"grade_4":0,"grade_5":0,"term":"Fatigue"})");
  EXPECT_EQ(arm["population"], 6);
}

TEST(AnalysisResultsRender, FilesAreTheFiguresThenJsonHtmlAndPdf) {
  const AnalysisReport r = two_arms();
  const auto files = analysis_report_files(r);
  ASSERT_EQ(files.size(), 4u);
  EXPECT_EQ(files[0], (std::pair<std::string, std::string>{"figures/km_os.svg", "<svg/>"}));
  EXPECT_EQ(files[1].first, "report.json");
  EXPECT_EQ(files[1].second, json_document(analysis_report_json(r)));
  EXPECT_EQ(files[2].first, "report.html");
  EXPECT_NE(files[2].second.find("Personalised versus standard"), std::string::npos);
  EXPECT_EQ(files[3].first, "report.pdf");
  EXPECT_EQ(files[3].second.rfind("%PDF", 0), 0u);
}

}  // namespace
}  // namespace sirtkit::report
