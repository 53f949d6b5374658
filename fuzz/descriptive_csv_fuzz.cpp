// The descriptive commands' CSV path (read, compute, render): compare, table1 and kappa on columns
// named value, arm, r1 and r2, as the seeds in corpus/descriptive_csv use them.
#include "fuzz_support.h"
#include "io/text_formats/csv_table.h"
#include "pipelines/descriptive/group_comparison.h"
#include "pipelines/descriptive/rater_agreement.h"
#include "pipelines/descriptive/table_one.h"
#include "report/descriptive/group_comparison.h"
#include "report/descriptive/rater_agreement.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sirtkit;
  const auto csv = fuzz::write_input(fuzz::scratch_dir() / "descriptive.csv", data, size);
  const auto choice = size == 0 ? 0 : data[size - 1];
  fuzz::expect_clean_refusal([&] {
    pipelines::CompareRequest r;
    r.csv = csv;
    r.value = "value";
    r.by = "arm";
    r.test = static_cast<pipelines::GroupTest>(choice % 5);
    const auto c = pipelines::group_comparison(r);
    report::group_comparison_text(c);
    report::group_comparison_json(c).dump();
  });
  fuzz::expect_clean_refusal([&] {
    const auto table = io::CsvTable::parse(fuzz::as_text(data, size), csv.string());
    pipelines::TableOneOptions o;
    o.by = "arm";
    o.overall = choice % 2 == 1;
    pipelines::build_table_one(table, o);
  });
  fuzz::expect_clean_refusal([&] {
    pipelines::KappaRequest r;
    r.csv = csv;
    r.rater1 = "r1";
    r.rater2 = "r2";
    r.weights = static_cast<stats::KappaWeights>(choice % 3);
    const auto a = pipelines::rater_agreement(r);
    report::rater_agreement_text(a);
    report::rater_agreement_json(a).dump();
  });
  return 0;
}
