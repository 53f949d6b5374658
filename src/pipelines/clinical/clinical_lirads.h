#pragma once
// `sirtkit response lirads observations.csv`: LI-RADS treatment response categories of
// treated observations, aggregated per patient and scan.

#include <filesystem>
#include <string>
#include <vector>

#include "clinical/response/lirads_tr.h"
#include "pipelines/clinical/clinical_tables.h"
#include "report/clinical/lirads_response.h"

namespace sirtkit::pipelines {

using report::LiradsPatient;  // rendered by report/clinical/lirads_response.h

// CSV: patient_id, date, observation_id, category, and optional viable_mm.
std::vector<LiradsPatient> lirads_from_csv(const CsvRows& csv);
std::vector<LiradsPatient> run_lirads(const std::filesystem::path& csv);

}  // namespace sirtkit::pipelines
