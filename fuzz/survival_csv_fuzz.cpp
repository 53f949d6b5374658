// The survival commands' CSV path: km, logrank, cox (also (start, stop] rows
// when a start column exists) and subgroups, on columns named time, status,
// group, x, start, id and by, as the seeds in corpus/survival_csv use them;
// each result rendered as the CLI renders it (report/survival/, text and JSON).
#include "fuzz_support.h"
#include "io/text_formats/csv_table.h"
#include "pipelines/survival/survival_analysis.h"
#include "report/survival/cox_analysis.h"
#include "report/survival/km_analysis.h"
#include "report/survival/log_rank_analysis.h"
#include "report/survival/subgroup_effects.h"

namespace {

using namespace sirtkit;

pipelines::SurvivalColumns columns_of(const io::CsvTable& t) {
  pipelines::SurvivalColumns c;
  if (t.has_column("group")) c.group = "group";
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto csv = fuzz::write_input(fuzz::scratch_dir() / "survival.csv", data, size);
  fuzz::expect_clean_refusal([&] {
    const auto table = io::CsvTable::parse(fuzz::as_text(data, size), csv.string());
    const auto columns = columns_of(table);
    fuzz::expect_clean_refusal([&] {
      pipelines::KmRequest r;
      r.csv = csv;
      r.columns = columns;
      r.times = {1, 10, 100};
      const auto a = pipelines::km_analysis(r);
      report::km_text(a);
      report::km_json(a).dump();
    });
    if (!columns.group.empty()) fuzz::expect_clean_refusal([&] {
      pipelines::LogRankRequest r;
      r.csv = csv;
      r.columns = columns;
      r.trend = size % 2 == 0;
      const auto a = pipelines::log_rank_analysis(r);
      report::log_rank_text(a);
      report::log_rank_json(a).dump();
    });
    fuzz::expect_clean_refusal([&] {
      pipelines::CoxRequest r;
      r.csv = csv;
      r.columns = columns;
      if (table.has_column("start")) r.columns.start = "start";
      if (table.has_column("x")) r.covariates.covariates = {"x"};
      if (table.has_column("id")) r.covariates.cluster = "id";
      const auto a = pipelines::cox_analysis(table, r);
      report::cox_text(a);
      report::cox_json(a).dump();
    });
    if (!columns.group.empty() && table.has_column("by")) fuzz::expect_clean_refusal([&] {
      pipelines::SubgroupRequest r;
      r.csv = csv;
      r.columns = columns;
      r.by = {"by"};
      const auto a = pipelines::subgroup_effects(r);
      report::subgroup_effects_text(a);
      report::subgroup_effects_json(a).dump();
    });
  });
  return 0;
}
