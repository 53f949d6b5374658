#include <fmt/format.h>

#include "report/planning/dose_slice_svg.h"
#include "report/planning/dvh_svg.h"
#include "report/pdf_document.h"
#include "report/planning/plan_report.h"
#include "report/planning/plan_tables.h"

namespace sirtkit::report {
namespace {

ReportTable summary_table(const PlanView& p, bool deliverable) {
  const auto& m = p.model;
  const auto& e = p.result.evaluation;
  double total = 0;
  for (double a : e.administered_gbq) total += a;
  ReportTable t{{}, {}, {1.3, 3}};
  const auto row = [&](const std::string& what, const std::string& value, Tone tone = Tone::plain) {
    t.rows.push_back({{what, Tone::plain, true}, {value, tone, true}});
  };
  if (deliverable) row("Administered", fmt::format("{:.3f} GBq", total));
  else row("Not deliverable", fmt::format("evaluated at {:.3f} GBq", total), Tone::bad);
  row("Lung shunt", fmt::format("{:.2f} % ({})", 100 * m.lung_shunt.fraction, m.lung_shunt.method));
  row("Lung dose", fmt::format("{:.2f} Gy (cumulative {:.2f} Gy)", e.lung_dose_gy, e.lung_cumulative_gy));
  row("Hepatic reserve", fmt::format("{:.1f} %", m.hepatic_reserve_percent));
  return t;
}


}  // namespace

std::string plan_pdf(const PlanView& p) {
  const auto& c = p.context;
  const auto& r = p.result;
  const bool deliverable = dosimetry::plan_status_deliverable(r.status);
  PdfMetadata meta;
  meta.title = "Y-90 radioembolization plan — " + c.patient_id;
  meta.author = c.operator_name;
  meta.subject = "SIRT plan of " + c.plan_file;
  meta.created_utc = c.generated_utc;
  meta.footer = fmt::format("sirtkit plan · {} · {} · {}", c.patient_id, c.plan_file, c.generated_utc.empty() ? "undated" : c.generated_utc);
  PdfDocument doc(meta);

  doc.title(meta.title);
  doc.paragraph(fmt::format("{} · {} microspheres · {}", c.plan_file, c.device, c.approach));
  doc.paragraph(computed_by_text(c.generated_utc, c.operator_name));
  if (deliverable)
    doc.paragraph(std::string("Status: ") + dosimetry::plan_status_name(r.status),
                  r.status == dosimetry::PlanStatus::aims_met || r.status == dosimetry::PlanStatus::what_if ? Tone::good : Tone::plain, true);
  else
    doc.paragraph(std::string("NOT DELIVERABLE — ") + dosimetry::plan_status_name(r.status) +
                      ". Nothing is to be ordered or given; the doses below are those of the activities evaluated, shown so the problem can be seen.",
                  Tone::bad);
  for (const auto& f : r.findings) doc.paragraph("• " + f, deliverable ? Tone::plain : Tone::bad);
  doc.table(summary_table(p, deliverable));

  doc.heading("Injections and vials");
  doc.table(plan_injection_table(p));
  doc.heading("Goals and constraints");
  doc.table(plan_check_table(p));
  doc.heading("Dose-volume histograms");
  doc.figure(dvh_svg(r.evaluation.vois, plan_reference_doses_gy(p)), 170);
  if (p.dose_gy) {
    const DoseSlice slice = plan_dose_slice(p);
    doc.heading("Dose map");
    doc.figure(axial_dose_svg(p.model.mass_kg, *p.dose_gy, slice.k, slice.max_gy, 0.05 * slice.max_gy, slice.title), 120);
  }
  doc.heading("Volumes of interest");
  doc.table(plan_voi_table(p));
  doc.heading("Dose-volume points");
  doc.table(plan_dvh_point_table(p));
  doc.heading("Method and parameters");
  for (const auto& n : plan_method_notes(p)) doc.paragraph("• " + n);
  if (!c.inputs.empty()) {
    doc.heading("Inputs");
    doc.table(plan_inputs_table(c));
  }
  if (c.signature) {
    doc.heading("Electronic signature");
    doc.table(plan_signature_table(*c.signature));
  }
  doc.heading("Signatures");
  // Blank lines for the people who sign the printed plan; an electronic
  // approval (the workspace) is recorded in the audit trail as well.
  doc.table(signature_lines_table({"Prepared by (physicist)", "Checked by (second physicist)", "Approved by (physician)"}));
  return doc.finish();
}

}  // namespace sirtkit::report
