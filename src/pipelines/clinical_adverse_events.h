#pragma once
// `sirtkit ae-table events.csv`: adverse-event table by term and worst grade, with the
// post-radioembolization syndrome flag per SIRT session when treatments are given.

#include <optional>
#include <string>
#include <vector>

#include "clinical/adverse_events.h"
#include "pipelines/clinical_tables.h"

namespace sirtkit::pipelines {

struct AeReport {
  int population = 0;  // denominator of the percentages
  std::vector<clinical::AeTermRow> rows;
  std::vector<clinical::PresFlag> pres;  // one per treatment row (when treatments are given)
  int pres_days = 0;
};

// events: patient_id, term, grade, and optional onset (YYYY-MM-DD).
// treatments (optional): patient_id, treatment_date — enables the PRES flag.
// population: the treated population; default = distinct patients in events and treatments.
AeReport ae_report_from_csv(const CsvRows& events, const std::optional<CsvRows>& treatments,
                            std::optional<int> population, int pres_days);
AeReport run_ae_report(const std::string& events_csv, const std::string& treatments_csv,
                       std::optional<int> population, int pres_days);
std::string format_ae_text(const AeReport& r);
std::string format_ae_json(const AeReport& r);

}  // namespace sirtkit::pipelines
