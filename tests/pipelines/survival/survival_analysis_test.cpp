#include "pipelines/survival/survival_analysis.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <fstream>
#include <random>
#include <string>

#include "core/error.h"
#include "io/text_formats/csv_table.h"
#include "report/survival/cox_analysis.h"

namespace sirtkit::pipelines {
namespace {

namespace fs = std::filesystem;

// cox_analysis(request) reads a plain numeric file with io::PlainCsv;
// cox_analysis(table, request) reads it through CsvTable. Both must give the
// same result (compared as the CLI renders it, report/survival/cox_analysis)
// and the same errors.
struct RenderedCox {
  nlohmann::json json;
  std::string text;
};
RenderedCox run_cox(const CoxRequest& rq) {
  const auto cox = cox_analysis(rq);
  return {report::cox_json(cox), report::cox_text(cox)};
}
RenderedCox run_cox(const io::CsvTable& table, const CoxRequest& rq) {
  const auto cox = cox_analysis(table, rq);
  return {report::cox_json(cox), report::cox_text(cox)};
}

class CoxPlainFileTest : public ::testing::Test {
 protected:
  fs::path dir_ = fs::temp_directory_path() / ("sirtkit_cox_plain_" + std::to_string(::getpid()));
  void SetUp() override { fs::create_directories(dir_); }
  void TearDown() override { fs::remove_all(dir_); }

  // n rows: time (tied every 7th row), status, x1..x3, and a text column.
  fs::path simulated(const std::string& name, int n, const std::string& line_end) {
    std::mt19937_64 rng(15);
    std::normal_distribution<double> norm;
    std::exponential_distribution<double> expo(1.0);
    std::string text = "id,time,status,x1,x2,x3,note" + line_end;
    char buf[64];
    for (int i = 0; i < n; ++i) {
      const double x1 = norm(rng), x2 = norm(rng), x3 = i % 2;
      const double t = i % 7 == 0 ? 1.5 : expo(rng) / std::exp(0.5 * x1 - 0.3 * x2);
      std::snprintf(buf, sizeof buf, "%d,%.6g,%d,%.8g,%.8g,%g", i + 1, t, expo(rng) < 1.2 ? 1 : 0, x1, x2, x3);
      text += buf;
      text += ",free text" + line_end;
    }
    const fs::path p = dir_ / name;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
  static CoxRequest request(const fs::path& p) {
    CoxRequest rq;
    rq.csv = p;
    rq.covariates.covariates = {"x1", "x2", "x3"};
    return rq;
  }
  static std::string error_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.what();
    }
    return "(no error)";
  }
};

TEST_F(CoxPlainFileTest, SameResultAsThroughCsvTable) {
  for (const std::string line_end : {"\n", "\r\n"}) {
    const fs::path p = simulated("cox.csv", 400, line_end);
    const CoxRequest rq = request(p);
    const auto plain = run_cox(rq);
    const auto table = run_cox(io::CsvTable::read(p), rq);
    EXPECT_EQ(plain.json.dump(), table.json.dump());
    EXPECT_EQ(plain.text, table.text);
    EXPECT_EQ(plain.json["n"], 400);
    EXPECT_EQ(plain.json["cox_zph"]["chisq"].size(), 4u);
  }
}

TEST_F(CoxPlainFileTest, FilesThePlainReaderLeavesGiveTheCsvTableResultOrError) {
  const fs::path p = simulated("cox.csv", 60, "\n");
  std::string text;
  {
    std::ifstream in(p, std::ios::binary);
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto variant = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    const auto at = t.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    t.replace(at, from.size(), to);
    const fs::path v = dir_ / "variant.csv";
    std::ofstream(v, std::ios::binary) << t;
    return v;
  };
  // A missing covariate: the row is dropped, as through CsvTable.
  {
    const fs::path v = variant("\n2,", "\n2,NA,");  // shifts row 2's fields: ragged, an error
    const CoxRequest rq = request(v);
    EXPECT_EQ(error_of([&] { run_cox(rq); }), error_of([&] { run_cox(io::CsvTable::read(v), rq); }));
    EXPECT_NE(error_of([&] { run_cox(rq); }), "(no error)");
  }
  const std::string row2 = text.substr(text.find("\n2,") + 1, text.find('\n', text.find("\n2,") + 1) - text.find("\n2,") - 1);
  auto with_row2 = [&](const std::string& replacement) { return variant(row2, replacement); };
  {
    const fs::path v = with_row2("2,1.25,1,NA,0.5,1,free text");
    const auto out = run_cox(request(v));
    EXPECT_EQ(out.json["rows_dropped"], 1);
    EXPECT_EQ(out.json.dump(), run_cox(io::CsvTable::read(v), request(v)).json.dump());
  }
  // Bad values: the same message as through CsvTable, naming the line.
  for (const std::string bad : {"2,-1,1,0.1,0.5,1,free text", "2,1.25,3,0.1,0.5,1,free text", "2,1.25,1,abc,0.5,1,free text",
                                "2,1.25,TRUE,0.1,0.5,1,\"quoted\""}) {
    const fs::path v = with_row2(bad);
    const CoxRequest rq = request(v);
    const std::string direct = error_of([&] { run_cox(rq); });
    const std::string through_table = error_of([&] {
      const auto out = run_cox(io::CsvTable::read(v), rq);
      throw Error(ErrorCategory::internal, out.json.dump());  // a result: compared as text
    });
    if (direct == "(no error)") {
      EXPECT_EQ(run_cox(rq).json.dump(), run_cox(io::CsvTable::read(v), rq).json.dump()) << bad;
    } else {
      EXPECT_EQ(direct, through_table) << bad;
      EXPECT_NE(direct.find("line 3"), std::string::npos) << direct;
    }
  }
  // An unknown column: CsvTable's message listing the columns.
  CoxRequest unknown = request(p);
  unknown.covariates.covariates = {"x1", "age"};
  EXPECT_EQ(error_of([&] { run_cox(unknown); }), error_of([&] { run_cox(io::CsvTable::read(p), unknown); }));
  EXPECT_NE(error_of([&] { run_cox(unknown); }).find("age"), std::string::npos);
}

}  // namespace
}  // namespace sirtkit::pipelines
