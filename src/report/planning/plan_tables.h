#pragma once
// The tables and method notes of a plan report as data, shared by the HTML
// and the PDF report so both show the same rows and the same digits.

#include <string>
#include <vector>

#include "report/planning/plan_report.h"
#include "report/report_table.h"

namespace sirtkit::report {

ReportTable plan_injection_table(const PlanView& plan);  // activities, bounds, vial per injection
ReportTable plan_check_table(const PlanView& plan);      // goals and constraints with margins
ReportTable plan_voi_table(const PlanView& plan);        // mean/min/max dose and radiobiology per VOI
ReportTable plan_dvh_point_table(const PlanView& plan);  // Dx (dose to x % of the volume) and Vx per VOI
ReportTable plan_inputs_table(const PlanContext& context);  // input files and their SHA-256
ReportTable plan_signature_table(const PlanSignature& signature);  // the electronic signature of an approved version
// Blank lines (name, signature, date) for the people who sign a printed report.
ReportTable signature_lines_table(const std::vector<std::string>& roles);
// "Computed <UTC> by <operator> with sirtkit <version>", saying when either is missing.
std::string computed_by_text(const std::string& generated_utc, const std::string& operator_name);
std::vector<std::string> plan_method_notes(const PlanView& plan);  // plain text, one fact each
// The DVH reference lines: the goal levels.
std::vector<double> plan_reference_doses_gy(const PlanView& plan);
// The axial slice through the first tumour's centre of mass (or the dose's).
struct DoseSlice {
  int k = 0;
  double max_gy = 0;
  std::string title;
};
DoseSlice plan_dose_slice(const PlanView& plan);

}  // namespace sirtkit::report
