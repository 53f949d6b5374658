#pragma once
// "Table 1": baseline characteristics by arm, as in DOSISPHERE-01 Table 1
// (seed 001): categorical rows n (%) per level per arm with Fisher's exact
// test (or chi-square), continuous rows mean ± SD with a t-test (or, for
// --nonnormal variables, median with IQR or range and a Wilcoxon test).
// Percentages are of the arm's non-missing values; missing values are
// counted and shown per variable and arm, never imputed.

#include <filesystem>
#include <string>
#include <vector>

#include "io/text_formats/text_encoding.h"
#include "report/descriptive/table_one.h"

namespace sirtkit::io {
class CsvTable;
}

namespace sirtkit::pipelines {

// The table is report/descriptive/table_one's value: its JSON, text and CSV are rendered there.
using report::CategoricalTest;
using report::ContinuousSummary;
using report::Spread;
using report::TableOne;
using report::TableOneOptions;
using report::TableOneVariable;
using report::VariableTest;

CategoricalTest parse_categorical_test(const std::string& name);  // "fisher" | "chisq"
Spread parse_spread(const std::string& name);                     // "iqr" | "range"

// Validates (unknown columns, a non-numeric value in a numeric column, a
// --nonnormal variable that is not numeric, fewer than 2 arms) and computes.
TableOne build_table_one(const io::CsvTable& table, const TableOneOptions& options);

struct TableOneRequest {
  std::filesystem::path csv;
  io::TextEncoding encoding = io::TextEncoding::utf8;  // of the CSV file (--encoding)
  TableOneOptions options;
};
TableOne run_table_one(const TableOneRequest& request);

}  // namespace sirtkit::pipelines
