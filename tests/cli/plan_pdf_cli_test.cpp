// The PDF plan report as a reader checks it: poppler's pdftotext finds the
// numbers of plan.json in it, pdffonts finds every font embedded, and it names
// its inputs by SHA-256 (as sha256sum computes them), its date and operator.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <sstream>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct CommandResult {
  int code;
  std::string out;
};

// Runs a shell command line, stdout and stderr together.
CommandResult shell(const std::string& cmd) {
  const fs::path log = fs::temp_directory_path() / ("sirtkit_pdf_out_" + std::to_string(::getpid()) + ".txt");
  const int status = std::system((cmd + " > " + log.string() + " 2>&1").c_str());
  std::ifstream in(log);
  std::stringstream s;
  s << in.rdbuf();
  return {WEXITSTATUS(status), s.str()};
}

CommandResult sirtkit(const std::string& args) { return shell(std::string(SIRTKIT_BINARY) + " " + args); }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// pdftotext's reading order keeps table cells apart; spaces and line breaks
// inside a long value (a hash wrapped in its cell) are removed for searching.
std::string without_spaces(std::string s) {
  std::erase_if(s, [](char c) { return c == ' ' || c == '\n' || c == '\f'; });
  return s;
}

class PlanPdf : public ::testing::Test {
 protected:
  static fs::path dir() { return fs::temp_directory_path() / ("sirtkit_cli_pdf_" + std::to_string(::getpid())); }
  static void SetUpTestSuite() {
    fs::remove_all(dir());
    ASSERT_EQ(sirtkit("phantom --out " + dir().string()).code, 0);
    ASSERT_EQ(shell("command -v pdftotext && command -v pdffonts").code, 0) << "poppler-utils is needed (scripts/install-deps.sh installs it)";
  }
};

TEST_F(PlanPdf, ShowsTheNumbersOfThePlanJsonWithFontsEmbeddedAndInputsHashed) {
  const fs::path out = dir() / "out";
  const CommandResult r = sirtkit("plan " + (dir() / "plan.toml").string() + " --out " + out.string() + " --operator 'A. Physicist'");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("report.pdf"), std::string::npos) << r.out;
  const std::string pdf = slurp(out / "report.pdf");
  ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u);
  const json j = json::parse(slurp(out / "plan.json"));
  const CommandResult text = shell("pdftotext " + (out / "report.pdf").string() + " -");
  ASSERT_EQ(text.code, 0) << text.out;
  const std::string t = text.out, packed = without_spaces(text.out);

  // Every goal and constraint: its value and margin as the table prints them.
  int checks = 0;
  for (const char* kind : {"goals", "constraints"})
    for (const auto& c : j[kind]) {
      EXPECT_NE(packed.find(without_spaces(c["label"].get<std::string>())), std::string::npos) << c["label"];  // wrapped in its cell
      EXPECT_NE(t.find(fmt::format("{:.2f}", c["value_gy"].get<double>())), std::string::npos) << c["label"];
      EXPECT_NE(t.find(fmt::format("{:.2f}", c["margin_gy"].get<double>())), std::string::npos) << c["label"];
      ++checks;
    }
  EXPECT_GE(checks, 3);
  double total = 0;
  for (const auto& inj : j["injections"]) total += inj["administered_gbq"].get<double>();
  EXPECT_NE(t.find(fmt::format("{:.3f} GBq", total)), std::string::npos);
  EXPECT_NE(t.find(fmt::format("{:.2f} Gy", j["lung"]["dose_gy"].get<double>())), std::string::npos);
  for (const auto& v : j["vois"]) EXPECT_NE(t.find(fmt::format("{:.1f}", v["mean_gy"].get<double>())), std::string::npos) << v["name"];

  // Date, operator and the inputs by SHA-256, the plan file's as sha256sum gives it.
  EXPECT_EQ(j["operator"], "A. Physicist");
  EXPECT_NE(t.find("A. Physicist"), std::string::npos);
  EXPECT_NE(t.find(j["generated_utc"].get<std::string>()), std::string::npos);
  const CommandResult sum = shell("sha256sum " + (dir() / "plan.toml").string());
  ASSERT_EQ(sum.code, 0);
  const std::string plan_hash = sum.out.substr(0, 64);
  ASSERT_GE(j["inputs"].size(), 4u);  // plan file, CT, SPECT, labels
  EXPECT_EQ(j["inputs"][0]["sha256"], plan_hash);
  for (const auto& f : j["inputs"]) EXPECT_NE(packed.find(f["sha256"].get<std::string>()), std::string::npos) << f["name"];
  EXPECT_NE(t.find("Signatures"), std::string::npos);

  // Every font embedded (pdffonts: the "emb" column), none missing.
  const CommandResult fonts = shell("pdffonts " + (out / "report.pdf").string());
  ASSERT_EQ(fonts.code, 0) << fonts.out;
  std::istringstream lines(fonts.out);
  std::string line;
  int listed = 0;
  while (std::getline(lines, line)) {
    if (line.rfind("name", 0) == 0 || line.rfind("----", 0) == 0 || line.empty()) continue;
    ++listed;
    EXPECT_NE(line.find(" yes "), std::string::npos) << "not embedded: " << line;
  }
  EXPECT_GT(listed, 0) << fonts.out;
}

TEST_F(PlanPdf, NotDeliverablePlanSaysSoOnItsFirstPage) {
  // A lung limit no plan can meet: infeasible, exit 3, and the PDF says so first.
  std::string text = slurp(dir() / "plan.toml");
  const std::string from = "max_dose_gy = 30";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "max_dose_gy = 5");
  std::ofstream(dir() / "lung.toml") << text;
  const fs::path out = dir() / "infeasible";
  const CommandResult r = sirtkit("plan " + (dir() / "lung.toml").string() + " --out " + out.string());
  ASSERT_EQ(r.code, 3) << r.out;
  const CommandResult page1 = shell("pdftotext -f 1 -l 1 " + (out / "report.pdf").string() + " -");
  ASSERT_EQ(page1.code, 0);
  EXPECT_NE(page1.out.find("NOT DELIVERABLE"), std::string::npos) << page1.out;
  EXPECT_EQ(page1.out.find("Administered"), std::string::npos);
}

TEST_F(PlanPdf, OperatorWithControlCharactersIsRefusedBeforeAnythingIsWritten) {
  const fs::path out = dir() / "refused";
  const CommandResult r = sirtkit("plan " + (dir() / "plan.toml").string() + " --out " + out.string() + " --operator \"$(printf 'A\\tB')\"");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("--operator"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(out));
}

// The verification report: the numbers of verification.json, the operator,
// every input (the plan's and the delivered image) by SHA-256, fonts embedded.
TEST_F(PlanPdf, VerificationReportShowsTheNumbersOfVerificationJson) {
  const fs::path out = dir() / "verified";
  const CommandResult r = sirtkit("verify " + (dir() / "plan.toml").string() + " --delivered " + (dir() / "post_spect.nii.gz").string() +
                                  " --out " + out.string() + " --operator 'B. Physicist'");
  ASSERT_EQ(r.code, 0) << r.out;
  const std::string pdf = slurp(out / "report.pdf");
  ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u);
  const json j = json::parse(slurp(out / "verification.json"));
  const CommandResult text = shell("pdftotext " + (out / "report.pdf").string() + " -");
  ASSERT_EQ(text.code, 0) << text.out;
  const std::string t = text.out, packed = without_spaces(text.out);
  ASSERT_GE(j["vois"].size(), 4u);
  for (const auto& v : j["vois"]) {
    EXPECT_NE(packed.find(without_spaces(v["name"].get<std::string>())), std::string::npos) << v["name"];
    EXPECT_NE(t.find(fmt::format("{:.2f}", v["planned_mean_gy"].get<double>())), std::string::npos) << v["name"];
    EXPECT_NE(t.find(fmt::format("{:.2f}", v["delivered_mean_gy"].get<double>())), std::string::npos) << v["name"];
  }
  for (const auto& ratio : j["tumour_to_normal"]) EXPECT_NE(t.find(fmt::format("{:.2f}", ratio["delivered"].get<double>())), std::string::npos);
  EXPECT_NE(t.find(fmt::format("{:.2f}", j["tumour_dose_agreement"]["mean_difference"].get<double>())), std::string::npos);
  EXPECT_NE(t.find(fmt::format("{:.3f} GBq", j["delivered"]["region_gbq"].get<double>())), std::string::npos);
  EXPECT_NE(t.find("B. Physicist"), std::string::npos);
  const CommandResult sum = shell("sha256sum " + (dir() / "post_spect.nii.gz").string());
  ASSERT_EQ(sum.code, 0);
  EXPECT_NE(packed.find(sum.out.substr(0, 64)), std::string::npos) << "the delivered image's SHA-256";
  EXPECT_NE(t.find("Signatures"), std::string::npos);
  const CommandResult fonts = shell("pdffonts " + (out / "report.pdf").string());
  ASSERT_EQ(fonts.code, 0);
  EXPECT_EQ(fonts.out.find(" no "), std::string::npos) << fonts.out;
}

}  // namespace
