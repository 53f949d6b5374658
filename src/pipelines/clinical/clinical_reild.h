#pragma once
// `sirtkit reild labs.csv treatments.csv`: REILD assessment per SIRT session from the lab
// CSV of `sirtkit ctcae` (bilirubin and albumin rows) and a treatment CSV with the
// clinical flags (patient_id, treatment_date, ascites, tumour_progression,
// biliary_obstruction; yes / no / empty = not recorded).

#include <filesystem>
#include <string>
#include <vector>

#include "clinical/toxicity/reild.h"
#include "pipelines/clinical/clinical_tables.h"
#include "report/clinical/reild_sessions.h"

namespace sirtkit::pipelines {

std::vector<clinical::ReildResult> reild_from_csv(const CsvRows& labs, const CsvRows& treatments,
                                                  clinical::ReildDefinition def);
std::vector<clinical::ReildResult> run_reild(const std::filesystem::path& labs_csv,
                                             const std::filesystem::path& treatments_csv,
                                             clinical::ReildDefinition def);

}  // namespace sirtkit::pipelines
