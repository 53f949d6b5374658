#pragma once
// `sirtkit response lirads observations.csv`: LI-RADS treatment response categories of
// treated observations, aggregated per patient and scan.

#include <filesystem>
#include <string>
#include <vector>

#include "clinical/lirads_tr.h"
#include "pipelines/clinical_tables.h"

namespace sirtkit::pipelines {

struct LiradsPatient {
  std::string patient_id;
  std::vector<clinical::LrTrScan> scans;
  std::vector<clinical::LrTrPatientScan> aggregated;
};

// CSV: patient_id, date, observation_id, category, and optional viable_mm.
std::vector<LiradsPatient> lirads_from_csv(const CsvRows& csv);
std::vector<LiradsPatient> run_lirads(const std::filesystem::path& csv);
std::string format_lirads_text(const std::vector<LiradsPatient>& r);
std::string format_lirads_json(const std::vector<LiradsPatient>& r);

}  // namespace sirtkit::pipelines
