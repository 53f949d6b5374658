#pragma once
// `sirtkit ae-table events.csv`: adverse-event table by term and worst grade, with the
// post-radioembolization syndrome flag per SIRT session when treatments are given.

#include <optional>
#include <string>
#include <vector>

#include "clinical/toxicity/adverse_events.h"
#include "pipelines/clinical/clinical_tables.h"
#include "report/clinical/adverse_event_table.h"

namespace sirtkit::pipelines {

using report::AeReport;  // rendered by report/clinical/adverse_event_table.h

// events: patient_id, term, grade, and optional onset (YYYY-MM-DD).
// treatments (optional): patient_id, treatment_date — enables the PRES flag.
// population: the treated population; default = distinct patients in events and treatments.
AeReport ae_report_from_csv(const CsvRows& events, const std::optional<CsvRows>& treatments,
                            std::optional<int> population, int pres_days);
AeReport run_ae_report(const std::string& events_csv, const std::string& treatments_csv,
                       std::optional<int> population, int pres_days);

}  // namespace sirtkit::pipelines
