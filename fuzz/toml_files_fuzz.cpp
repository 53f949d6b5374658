// The TOML files users write: the plan file (its images need not exist: the
// reader refuses a missing file as bad input), the eligibility rule file, the
// registry's plain-CSV mapping file and the statistical analysis plan of
// `sirtkit report`. The last byte chooses the reader.
#include "fuzz_support.h"
#include "pipelines/study/analysis_plan.h"
#include "pipelines/clinical/clinical_eligibility.h"
#include "pipelines/planning/plan_file.h"
#include "registry/import/csv_mapping.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sirtkit;
  if (size == 0) return 0;
  const std::string text(fuzz::as_text(data, size - 1));
  fuzz::expect_clean_refusal([&] {
    switch (data[size - 1] % 4) {
      case 0: pipelines::read_plan_file(fuzz::write_input(fuzz::scratch_dir() / "plan.toml", data, size - 1)); break;
      case 1: pipelines::parse_eligibility_rules(text, "rules.toml"); break;
      case 2: registry::parse_csv_mapping(text, "mapping.toml"); break;
      case 3: pipelines::read_analysis_plan(fuzz::write_input(fuzz::scratch_dir() / "sap.toml", data, size - 1)); break;
    }
  });
  return 0;
}
