#include <fmt/format.h>

#include <algorithm>

#include "report/planning/dose_slice_svg.h"
#include "report/pdf_document.h"
#include "report/planning/plan_tables.h"
#include "report/planning/plan_verification.h"

namespace sirtkit::report {
namespace {

Cell text(const std::string& s) { return text_cell(s); }
Cell number(double x, int digits) { return number_cell(x, digits); }

ReportTable voi_table(const VerificationView& v) {
  ReportTable t{{"VOI", "planned mean (Gy)", "delivered mean (Gy)", "difference (Gy)", "planned D70 (Gy)", "delivered D70 (Gy)"}, {}, {2.6, 1, 1, 1, 1, 1}};
  for (const auto& r : v.vois)
    t.rows.push_back({text(r.name), number(r.planned_mean_gy, 2), number(r.delivered_mean_gy, 2),
                      number(r.delivered_mean_gy - r.planned_mean_gy, 2), number(r.planned_d70_gy, 2), number(r.delivered_d70_gy, 2)});
  return t;
}

ReportTable ratio_table(const VerificationView& v) {
  ReportTable t{{"tumour", "normal tissue", "planned T/N", "delivered T/N"}, {}, {1.6, 2.4, 1, 1}};
  for (const auto& r : v.ratios) t.rows.push_back({text(r.tumour), text(r.normal), number(r.planned, 2), number(r.delivered, 2)});
  return t;
}

std::string agreement_text(const std::string& what, const std::optional<stats::PairedAgreement>& a) {
  if (!a) return what + ": fewer than 2 tumours, no paired summary.";
  return fmt::format("{}: n = {}, mean difference (delivered − planned) {:.2f} (95 % CI {:.2f} to {:.2f}), limits of agreement {:.2f} to {:.2f}; "
                     "median planned {:.2f}, delivered {:.2f}.",
                     what, a->n, a->mean_difference, a->ci_low, a->ci_high, a->limits_low, a->limits_high, a->median_a, a->median_b);
}

// The axial slice holding the most planned dose.
int hottest_slice(const image::Volume<float>& dose) {
  const auto& n = dose.grid.size;
  int best = 0;
  double most = -1;
  for (int k = 0; k < n[2]; ++k) {
    double sum = 0;
    for (int j = 0; j < n[1]; ++j)
      for (int i = 0; i < n[0]; ++i) sum += dose.at(i, j, k);
    if (sum > most) most = sum, best = k;
  }
  return best;
}


}  // namespace

std::string verification_pdf(const VerificationView& v) {
  PdfMetadata meta;
  meta.title = "Y-90 radioembolization dose verification — " + v.patient_id;
  meta.author = v.operator_name;
  meta.subject = "Planned and delivered dose of " + v.plan_file;
  meta.created_utc = v.generated_utc;
  meta.footer = fmt::format("sirtkit verify · {} · {} · {}", v.patient_id, v.plan_file, v.generated_utc.empty() ? "undated" : v.generated_utc);
  PdfDocument doc(meta);
  doc.title(meta.title);
  doc.paragraph(fmt::format("{} · delivered image {} ({})", v.plan_file, v.delivered_file, v.modality));
  doc.paragraph(computed_by_text(v.generated_utc, v.operator_name));
  double administered = 0;
  for (double a : v.administered_gbq) administered += a;
  doc.paragraph(fmt::format("Administered {:.3f} GBq; delivered activity found in liver and lungs {:.3f} GBq (whole image {:.3f} GBq).",
                            administered, v.delivered_region_gbq, v.delivered_total_gbq));
  doc.heading("Planned and delivered dose per volume of interest");
  doc.table(voi_table(v));
  doc.heading("Tumour-to-normal ratios");
  doc.table(ratio_table(v));
  doc.paragraph(agreement_text("Tumour mean dose (Gy)", v.tumour_dose));
  doc.paragraph(agreement_text("Tumour-to-normal ratio", v.tumour_ratio));
  if (v.mass_kg && v.planned_dose_gy && v.delivered_dose_gy) {
    const int k = hottest_slice(*v.planned_dose_gy);
    double top = 0;
    for (const auto* d : {v.planned_dose_gy, v.delivered_dose_gy})
      for (float x : d->data) top = std::max<double>(top, x);
    doc.heading("Dose maps (the same axial slice and colour scale)");
    doc.figure(axial_dose_svg(*v.mass_kg, *v.planned_dose_gy, k, top, 0.05 * top, fmt::format("planned, slice {}", k)), 110);
    doc.figure(axial_dose_svg(*v.mass_kg, *v.delivered_dose_gy, k, top, 0.05 * top, fmt::format("delivered, slice {}", k)), 110);
  }
  doc.heading("Notes");
  for (const auto& n : v.notes) doc.paragraph("• " + n);
  if (!v.inputs.empty()) {
    doc.heading("Inputs");
    PlanContext c;
    c.inputs = v.inputs;
    doc.table(plan_inputs_table(c));
  }
  doc.heading("Signatures");
  doc.table(signature_lines_table({"Verified by (physicist)", "Reviewed by (physician)"}));
  return doc.finish();
}

}  // namespace sirtkit::report
