#pragma once
// "Table 1": baseline characteristics by arm, as in DOSISPHERE-01 Table 1
// (seed 001): categorical rows n (%) per level per arm with Fisher's exact
// test (or chi-square), continuous rows mean ± SD with a t-test (or, for
// --nonnormal variables, median with IQR or range and a Wilcoxon test).
// Percentages are of the arm's non-missing values; missing values are
// counted and shown per variable and arm, never imputed.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "io/text_encoding.h"
#include "pipelines/descriptive/descriptive_output.h"

namespace sirtkit::io {
class CsvTable;
}

namespace sirtkit::pipelines {

enum class CategoricalTest { fisher, chisq };
enum class Spread { iqr, range };

struct TableOneOptions {
  std::string by;                       // the arm column (categorical, >= 2 levels)
  std::vector<std::string> variables;   // empty: every other column, in header order
  std::vector<std::string> factors;     // forced categorical (e.g. a numeric ECOG column)
  std::vector<std::string> nonnormal;   // numeric, summarised by median and compared by rank tests
  CategoricalTest categorical_test = CategoricalTest::fisher;
  bool equal_variance = false;          // false: Welch t (R t.test default); true: Student t
  Spread spread = Spread::iqr;          // for nonnormal variables
  int digits = 1;                       // decimals of means, SDs, medians in the readable table
  bool overall = false;                 // add an "Overall" column (all rows with an arm)
};

CategoricalTest parse_categorical_test(const std::string& name);  // "fisher" | "chisq"
Spread parse_spread(const std::string& name);                     // "iqr" | "range"

// The test applied to one variable; p is NaN (JSON null) with a note when it
// cannot be computed (one level, an arm without values, constant data).
struct VariableTest {
  std::string name;  // "fisher", "chisq", "welch", "student", "wilcoxon", "anova", "kruskal", "none"
  double p_value = 0;
  double statistic = 0;  // NaN for Fisher
  std::string note;
};

struct ContinuousSummary {
  int n = 0, missing = 0;
  double mean = 0, sd = 0, median = 0, q1 = 0, q3 = 0, min = 0, max = 0;  // NaN when n = 0 (sd when n < 2)
};

struct TableOneVariable {
  std::string name;
  bool categorical = false;
  bool nonnormal = false;
  std::vector<std::string> levels;          // categorical
  std::vector<std::vector<int>> counts;     // [level][arm]
  std::vector<int> non_missing;             // per arm
  std::vector<int> missing;                 // per arm
  std::vector<ContinuousSummary> summary;   // per arm, continuous
  ContinuousSummary overall;                // all arms together, continuous
  VariableTest test;
};

struct TableOne {
  std::string source;
  std::string by;
  std::vector<std::string> arms;
  std::vector<int> arm_n;
  std::size_t rows_read = 0;
  std::size_t rows_without_arm = 0;  // rows whose arm is missing: left out
  TableOneOptions options;
  std::vector<TableOneVariable> variables;
  std::vector<std::string> warnings;  // text levels with surrounding spaces, empty text cells
};

// Validates (unknown columns, a non-numeric value in a numeric column, a
// --nonnormal variable that is not numeric, fewer than 2 arms) and computes.
TableOne build_table_one(const io::CsvTable& table, const TableOneOptions& options);

nlohmann::json table_one_json(const TableOne& t);
std::string table_one_text(const TableOne& t);
std::string table_one_csv(const TableOne& t);  // the readable table as CSV (one cell per arm)

struct TableOneRequest {
  std::filesystem::path csv;
  io::TextEncoding encoding = io::TextEncoding::utf8;  // of the CSV file (--encoding)
  TableOneOptions options;
  std::optional<std::filesystem::path> out_dir;  // writes table1.json and table1.csv, each atomically
};
DescriptiveOutput run_table_one(const TableOneRequest& request);

}  // namespace sirtkit::pipelines
