#pragma once
// "Table 1" (`sirtkit table1`, the analysis report's Table 1): what
// pipelines/descriptive/table_one computes, and its JSON, readable table and
// CSV. Categorical rows n (%) of the arm's non-missing values, continuous rows
// mean ± SD or median [Q1, Q3] / (min, max), each with its test's p-value.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace sirtkit::report {

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

nlohmann::json table_one_json(const TableOne& t);
std::string table_one_text(const TableOne& t);
std::string table_one_csv(const TableOne& t);  // the readable table as CSV (one cell per arm)

// The readable table as a report shows it: header "characteristic", one per
// arm, "p", "test"; a level in a row of its own, indented under its characteristic.
struct TableOneDisplay {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
TableOneDisplay table_one_display(const TableOne& t);

}  // namespace sirtkit::report
