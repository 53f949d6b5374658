// The strict CSV reader and the column readers every statistics command uses
// (numeric, logical, categorical with R's level order).
#include "fuzz_support.h"
#include "io/text_formats/csv_table.h"
#include "pipelines/descriptive/csv_columns.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sirtkit;
  fuzz::expect_clean_refusal([&] {
    const auto table = io::CsvTable::parse(fuzz::as_text(data, size), "fuzz.csv");
    for (std::size_t c = 0; c < table.columns(); ++c) {
      const std::string& name = table.header()[c];
      if (pipelines::column_is_numeric(table, c)) fuzz::expect_clean_refusal([&] { pipelines::numeric_column(table, name, "fuzz"); });
      pipelines::column_is_logical(table, c);
      fuzz::expect_clean_refusal([&] { pipelines::categorical_column(table, name); });
    }
  });
  return 0;
}
