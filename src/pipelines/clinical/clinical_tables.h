#pragma once
// Reading clinical CSV tables (lab results, lesion measurements) into the clinical
// layer's records. The CSV parsing here is deliberately
// minimal and strict (RFC 4180 quoting, a header row whose names are matched
// case-insensitively, no ragged rows); it should move to io::CsvTable once that reader
// is in the tree.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "clinical/toxicity/ctcae_summary.h"
#include "report/clinical/ctcae_tables.h"

namespace sirtkit::pipelines {

struct CsvRows {
  std::string source;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;  // file line of each row
  std::optional<std::size_t> column(const std::string& name) const;
  std::size_t require_column(const std::string& name) const;  // bad_input if absent
  std::string where(std::size_t row) const { return source + " line " + std::to_string(lines[row]); }
};
CsvRows parse_csv(const std::string& text, const std::string& source);
CsvRows read_csv(const std::filesystem::path& path);

// Lab CSV: columns patient_id, date (YYYY-MM-DD), test, value, unit, and optional lln, uln,
// baseline (yes/no), anticoagulation (yes/no, used for INR). Without a baseline column, `baseline_first` makes the earliest record
// of each patient and test its baseline; otherwise there is no baseline.
std::vector<clinical::LabRecord> lab_records_from_csv(const CsvRows& csv, bool baseline_first);

using report::CtcaeReport;  // rendered by report/clinical/ctcae_tables.h
CtcaeReport run_ctcae(const std::filesystem::path& labs_csv, bool baseline_first, std::optional<int> from_day,
                      std::optional<int> to_day, bool missing_baseline_is_normal = false);

}  // namespace sirtkit::pipelines
