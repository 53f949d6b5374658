// The clinical commands' CSV readers: ctcae (labs), response (lesions, each
// criterion), lirads, reild (labs + treatments) and eligibility (the bundled
// DOSISPHERE-01 rule file against fuzzed patients). The input's last byte
// chooses the reader, so one corpus covers all of them.
#include "fuzz_support.h"
#include "pipelines/clinical/clinical_eligibility.h"
#include "pipelines/clinical/clinical_lirads.h"
#include "pipelines/clinical/clinical_reild.h"
#include "pipelines/clinical/clinical_response.h"
#include "pipelines/clinical/clinical_tables.h"

#ifndef SIRTKIT_SOURCE_DIR
#error "SIRTKIT_SOURCE_DIR must name the source tree (for the bundled rule file)"
#endif

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sirtkit;
  if (size == 0) return 0;
  const auto csv = fuzz::write_input(fuzz::scratch_dir() / "clinical.csv", data, size - 1);
  const std::uint8_t choice = data[size - 1];
  fuzz::expect_clean_refusal([&] {
    switch (choice % 8) {
      case 0: pipelines::run_ctcae(csv, choice & 8, std::nullopt, std::nullopt, choice & 16); break;
      case 1: pipelines::run_response(csv, {.criteria = "recist", .landmark_days = {90, 180}}); break;
      case 2: pipelines::run_response(csv, {.criteria = "mrecist"}); break;
      case 3: pipelines::run_response(csv, {.criteria = "easl"}); break;
      case 4: pipelines::run_response(csv, {.criteria = "irecist"}); break;
      case 5: pipelines::run_lirads(csv); break;
      case 6: pipelines::run_reild(csv, csv, clinical::ReildDefinition::gil_alzugaray); break;
      case 7:
        pipelines::run_eligibility(std::filesystem::path(SIRTKIT_SOURCE_DIR) / "examples/clinical/eligibility/dosisphere01.toml", csv);
        break;
    }
  });
  return 0;
}
