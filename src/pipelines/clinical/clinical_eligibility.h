#pragma once
// `sirtkit eligible rules.toml patients.csv`: trial eligibility rules read from a TOML
// file (see docs/clinical.md and examples/clinical/eligibility/) evaluated on every row
// of a patient CSV.

#include <filesystem>
#include <string>
#include <vector>

#include "clinical/eligibility.h"
#include "report/clinical/eligibility_verdicts.h"

namespace sirtkit::pipelines {

clinical::RuleSet read_eligibility_rules(const std::filesystem::path& toml_file);
clinical::RuleSet parse_eligibility_rules(const std::string& toml_text, const std::string& file_name);

using report::EligibilityReport;  // rendered by report/clinical/eligibility_verdicts.h
EligibilityReport run_eligibility(const std::filesystem::path& rules_toml, const std::filesystem::path& patients_csv);
EligibilityReport eligibility_from_text(const std::string& rules_toml, const std::string& patients_csv);

}  // namespace sirtkit::pipelines
