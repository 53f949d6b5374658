// `sirtkit report SAP --db DB --out DIR` on the demo cohort, checked as a
// reader would: every analysis in report.json equals the single command it
// names, run from DIR on the data set written there; the PDF (pdftotext) and
// the HTML show those numbers; a bad plan is refused naming file, key and
// value, with nothing written.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <functional>

#include "run_sirtkit.h"

namespace sirtkit::cli_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const fs::path kSap = fs::path(SIRTKIT_SOURCE_DIR) / "examples/registry/dosisphere_sap.toml";

CliRun shell(const std::string& command) {
  CliRun r;
  FILE* p = popen((command + " 2>/dev/null").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int st = pclose(p);
  r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

class AnalysisReport : public ::testing::Test {
 protected:
  static fs::path dir() { return fs::temp_directory_path() / ("sirtkit_cli_report_" + std::to_string(::getpid())); }
  static fs::path out() { return dir() / "rep"; }
  static std::string db() { return (dir() / "r.sqlite").string(); }
  static void SetUpTestSuite() {
    fs::remove_all(dir());
    fs::create_directories(dir());
    const std::string d = (dir() / "demo").string();
    ASSERT_EQ(run("registry demo --out " + d).code, 0);
    ASSERT_EQ(run("registry init " + db()).code, 0);
    const CliRun imp = run("registry import " + db() + " --data " + d + "/demo_export.csv --dictionary " + d +
                           "/demo_dictionary.csv --key " + d + "/demo.key");
    ASSERT_EQ(imp.code, 0) << imp.out;
    const CliRun r = run("report " + kSap.string() + " --db " + db() + " --out " + out().string() + " --operator 'A. Statistician'");
    ASSERT_EQ(r.code, 0) << r.out;
  }
  static void TearDownTestSuite() { fs::remove_all(dir()); }
  static json report() { return json::parse(slurp(out() / "report.json")); }
};

// Every "<x>_command" (and "command") in report.json with the JSON it must print.
void each_command(const json& j, const std::function<void(const std::string&, const json&, const json&)>& f) {
  if (j.is_array())
    for (const auto& e : j) each_command(e, f);
  if (!j.is_object()) return;
  for (const auto& [key, value] : j.items()) {
    if (value.is_structured()) each_command(value, f);
    if (!value.is_string() || key.size() < 7 || key.compare(key.size() - 7, 7, "command") != 0) continue;
    if (value.get<std::string>().rfind("sirtkit ", 0) != 0) continue;  // a result's own "command": "km"
    const std::string result = key == "command" ? "" : key.substr(0, key.size() - 8);
    f(value.get<std::string>(), j, result.empty() ? j : (j.contains(result) ? j[result] : json()));
  }
}

TEST_F(AnalysisReport, EveryAnalysisEqualsTheSingleCommandItNames) {
  const json r = report();
  int checked = 0;
  each_command(r, [&](const std::string& command, const json& owner, const json& result) {
    const CliRun c = shell("cd " + out().string() + " && " + SIRTKIT_BINARY + " " + command.substr(8));
    ASSERT_EQ(c.code, 0) << command << "\n" << c.out;
    const json printed = json::parse(c.out);
    if (command.rfind("sirtkit table1 ", 0) == 0) {
      json expected = owner;
      expected.erase("command");
      expected.erase("display");
      EXPECT_EQ(printed, expected) << command;
    } else if (command.rfind("sirtkit subgroups ", 0) == 0) {
      EXPECT_EQ(printed, owner["result"]) << command;
    } else if (command.rfind("sirtkit proportion ", 0) == 0) {
      EXPECT_EQ(printed, owner["result"]) << command;
    } else if (command.rfind("sirtkit ae-table ", 0) == 0) {
      EXPECT_EQ(printed["terms"], owner["terms"]) << command;
      EXPECT_EQ(printed["population"], owner["population"]) << command;
    } else {
      ASSERT_FALSE(result.is_null()) << command;
      EXPECT_EQ(printed, result) << command;
    }
    ++checked;
  });
  // table1, 2 proportions + fisher (primary), km/logrank/cox (+ adjusted) x 2 endpoints, subgroups,
  // 2 criteria x (2 + 2 + 1 + 1 + 1 + 1) rate commands... at least this many:
  EXPECT_GE(checked, 30);
}

TEST_F(AnalysisReport, FlowAndPrimaryEndpointCountTheRegistry) {
  const json r = report();
  EXPECT_EQ(r["flow"]["registered"], 56);
  ASSERT_EQ(r["flow"]["arms"].size(), 2u);
  for (const auto& a : r["flow"]["arms"]) {
    EXPECT_EQ(a["allocated"], 28);
    EXPECT_EQ(a["received_sirt"], 28);
  }
  EXPECT_EQ(r["population"]["arms"][0], "standard");  // the SAP's control arm first
  const json& rate = r["primary"]["rate"];
  ASSERT_EQ(rate["arms"].size(), 2u);
  for (const auto& a : rate["arms"]) {
    EXPECT_EQ(a["n"], 28);
    EXPECT_DOUBLE_EQ(a["result"]["estimate"].get<double>(), a["x"].get<double>() / 28.0);
  }
  // The OS hazard ratio is personalised vs standard (the control arm is the reference).
  const json& cox = r["survival"][0]["cox"];
  EXPECT_EQ(cox["terms"][0], "TRT01Ppersonalised");
  EXPECT_LT(cox["hr"][0].get<double>(), 1.0);  // the demo cohort's OS favours personalised dosimetry
}

std::string without_spaces(std::string s) {
  std::erase_if(s, [](char c) { return c == ' ' || c == '\n' || c == '\f'; });
  return s;
}

TEST_F(AnalysisReport, PdfAndHtmlShowTheNumbersOfTheJson) {
  ASSERT_EQ(shell("command -v pdftotext").code, 0) << "poppler-utils is needed (scripts/install-deps.sh --test installs it)";
  const json r = report();
  const CliRun text = shell("pdftotext -layout " + (out() / "report.pdf").string() + " -");
  ASSERT_EQ(text.code, 0);
  const std::string pdf = without_spaces(text.out);
  const std::string html = without_spaces(slurp(out() / "report.html"));
  std::vector<std::string> numbers;
  for (const auto& a : r["primary"]["rate"]["arms"]) {
    const json& ci = a["result"]["conf_int"];
    numbers.push_back(fmt::format("{:.1f}({:.1f}–{:.1f})", 100 * a["result"]["estimate"].get<double>(), 100 * ci["lower"].get<double>(),
                                  100 * ci["upper"].get<double>()));
  }
  for (const auto& s : r["survival"]) {
    const json& cox = s["cox"];
    numbers.push_back(fmt::format("{:.2f}({:.2f}–{:.2f})", cox["hr"][0].get<double>(), cox["hr_lower"][0].get<double>(),
                                  cox["hr_upper"][0].get<double>()));
    numbers.push_back(fmt::format("p={:.4f}", s["logrank"]["p"].get<double>()));
    for (std::size_t k = 1; k < s["km"]["curves"].size(); ++k)  // the arms (curve 0 is every patient, not shown)
      if (const json& c = s["km"]["curves"][k]; c["median"]["median"].is_number()) numbers.push_back(fmt::format("{:.1f}(", c["median"]["median"].get<double>()));
  }
  numbers.push_back(r["sap"]["sha256"].get<std::string>());
  numbers.push_back("A.Statistician");
  for (const auto& n : numbers) {
    EXPECT_NE(pdf.find(n), std::string::npos) << n;
    EXPECT_NE(html.find(n), std::string::npos) << n;
  }
  for (const auto& f : r["figures"]) EXPECT_TRUE(fs::exists(out() / f.get<std::string>())) << f;
  for (const auto& d : r["data_sets"]) EXPECT_TRUE(fs::exists(out() / d["file"].get<std::string>())) << d;
}

TEST_F(AnalysisReport, ABadPlanIsRefusedNamingTheKeyAndNothingIsWritten) {
  const fs::path sap = dir() / "bad.toml";
  const fs::path target = dir() / "never";
  {
    std::ofstream(sap) << "title = \"t\"\n[primary]\nendpoint = \"response\"\nlandmark_dys = 90\n";
    const CliRun r = run("report " + sap.string() + " --db " + db() + " --out " + target.string());
    EXPECT_EQ(r.code, 2) << r.out;
    EXPECT_NE(r.out.find("bad.toml"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("landmark_dys"), std::string::npos) << r.out;
  }
  {
    std::ofstream(sap) << "title = \"t\"\ncontrol_arm = \"placebo\"\n";
    const CliRun r = run("report " + sap.string() + " --db " + db() + " --out " + target.string());
    EXPECT_EQ(r.code, 2) << r.out;
    EXPECT_NE(r.out.find("placebo"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("personalised"), std::string::npos) << r.out;  // the arms there are
  }
  {
    std::ofstream(sap) << "title = \"t\"\n[[survival]]\nendpoint = \"dfs\"\n";
    const CliRun r = run("report " + sap.string() + " --db " + db() + " --out " + target.string());
    EXPECT_EQ(r.code, 2) << r.out;
    EXPECT_NE(r.out.find("survival"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("dfs"), std::string::npos) << r.out;
  }
  EXPECT_FALSE(fs::exists(target));
}

TEST_F(AnalysisReport, ReferenceLevelInvertsTheHazardRatioAndAnUnknownLevelIsRefused) {
  const std::string os = (out() / "data/adtte_os.csv").string();
  const std::string base = "cox " + os + " --time AVAL --event CNSR --event-coding cnsr --covariates TRT01P --json";
  const json r_order = json::parse(run(base, false).out);
  const json relevelled = json::parse(run(base + " --reference TRT01P=standard", false).out);
  EXPECT_EQ(r_order["terms"][0], "TRT01Pstandard");  // R's sorted order: personalised is the reference
  EXPECT_EQ(relevelled["terms"][0], "TRT01Ppersonalised");
  EXPECT_NEAR(relevelled["hr"][0].get<double>(), 1.0 / r_order["hr"][0].get<double>(), 1e-9);
  EXPECT_NEAR(relevelled["hr_lower"][0].get<double>(), 1.0 / r_order["hr_upper"][0].get<double>(), 1e-9);
  EXPECT_NEAR(relevelled["p"][0].get<double>(), r_order["p"][0].get<double>(), 1e-12);
  const CliRun bad = run(base + " --reference TRT01P=placebo");
  EXPECT_EQ(bad.code, 2) << bad.out;
  EXPECT_NE(bad.out.find("placebo"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("levels: personalised, standard"), std::string::npos) << bad.out;
}

}  // namespace
}  // namespace sirtkit::cli_test
