#include <cmath>
#include <fmt/format.h>

#include "core/version.h"
#include "report/planning/dose_slice_svg.h"
#include "report/planning/dvh_svg.h"
#include "report/planning/plan_report.h"
#include "report/planning/plan_tables.h"
#include "report/svg.h"

namespace sirtkit::report {
namespace {

const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;color:#1d1d24;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
.sub{color:#666;margin-top:0} .status{padding:.8rem 1rem;border-radius:6px;font-weight:600;margin:1rem 0}
.ok{background:#e6f4ea;color:#1e6b34} .warn{background:#fff4e0;color:#8a5300} .bad{background:#fde8e8;color:#9b1c1c}
table{border-collapse:collapse;width:100%;font-size:.9rem} th,td{padding:.35rem .5rem;border-bottom:1px solid #eee;text-align:right}
th:first-child,td:first-child{text-align:left} th{background:#f5f5f8} .met{color:#1e6b34;font-weight:600} .no{color:#9b1c1c;font-weight:700}
.cards{display:flex;gap:1rem;flex-wrap:wrap} .card{flex:1;min-width:180px;background:#f7f7fa;border-radius:6px;padding:.7rem 1rem}
.scroll{overflow-x:auto} .card b{display:block;font-size:1.3rem} .small{font-size:.85rem;color:#555} ul{margin:.3rem 0}
)";

// The axial slice through the centre of mass of the first tumour (or of the dose).
std::string dose_slice_section(const PlanView& p) {
  const DoseSlice slice = plan_dose_slice(p);
  return "<h2>Dose map</h2>" + axial_dose_svg(p.model.mass_kg, *p.dose_gy, slice.k, slice.max_gy, 0.05 * slice.max_gy, slice.title);
}

}  // namespace

std::string plan_html(const PlanView& p) {
  const auto& m = p.model;
  const auto& r = p.result;
  const auto& e = r.evaluation;
  const bool deliverable = dosimetry::plan_status_deliverable(r.status);
  const char* cls = r.status == dosimetry::PlanStatus::aims_met || r.status == dosimetry::PlanStatus::what_if ? "ok"
                    : deliverable ? "warn" : "bad";
  std::string h = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>sirtkit plan " +
                  escape_xml(p.context.patient_id) + "</title><style>" + kStyle + "</style></head><body>\n";
  h += fmt::format("<h1>Y-90 radioembolization plan — {}</h1><p class=\"sub\">{} · {} microspheres · {}</p>\n",
                   escape_xml(p.context.patient_id), escape_xml(p.context.plan_file), p.context.device, escape_xml(p.context.approach));
  if (deliverable)
    h += fmt::format("<div class=\"status {}\">Status: {}", cls, dosimetry::plan_status_name(r.status));
  else
    h += fmt::format("<div class=\"status bad\">NOT DELIVERABLE — {}. Nothing is to be ordered or given; the doses below are "
                     "those of the activities evaluated, shown so the problem can be seen.",
                     dosimetry::plan_status_name(r.status));
  if (!r.findings.empty()) {
    h += "<ul>";
    for (const auto& f : r.findings) h += "<li>" + escape_xml(f) + "</li>";
    h += "</ul>";
  }
  h += "</div>\n<div class=\"cards\">";
  double total = 0;
  for (double a : e.administered_gbq) total += a;
  if (deliverable)
    h += fmt::format("<div class=\"card\">Administered<b>{:.3f} GBq</b></div>", total);
  else
    h += fmt::format("<div class=\"card bad\">Not deliverable<b>—</b><span class=\"small\">evaluated at {:.3f} GBq</span></div>", total);
  h += fmt::format("<div class=\"card\">Lung shunt<b>{:.2f} %</b><span class=\"small\">{}</span></div>", 100 * m.lung_shunt.fraction,
                   escape_xml(m.lung_shunt.method));
  h += fmt::format("<div class=\"card\">Lung dose<b>{:.2f} Gy</b><span class=\"small\">cumulative {:.2f} Gy</span></div>",
                   e.lung_dose_gy, e.lung_cumulative_gy);
  h += fmt::format("<div class=\"card\">Hepatic reserve<b>{:.1f} %</b></div></div>\n", m.hepatic_reserve_percent);

  h += "<h2>Injections and vials</h2>" + html_table(plan_injection_table(p));

  h += "<h2>Goals and constraints</h2>" + html_table(plan_check_table(p));

  h += "<h2>Dose-volume histograms</h2>" + dvh_svg(e.vois, plan_reference_doses_gy(p));

  if (p.dose_gy) h += dose_slice_section(p);

  h += "<h2>Volumes of interest</h2><div class=\"scroll\">" + html_table(plan_voi_table(p)) + "</div>\n";
  h += "<h2>Dose-volume points</h2><div class=\"scroll\">" + html_table(plan_dvh_point_table(p)) + "</div>\n";

  h += "<h2>Method and parameters</h2><ul class=\"small\">";
  for (const auto& n : plan_method_notes(p)) h += "<li>" + escape_xml(n) + "</li>";
  h += "</ul>\n";
  if (!p.context.inputs.empty()) h += "<h2>Inputs</h2>" + html_table(plan_inputs_table(p.context));
  if (p.context.signature) h += "<h2>Electronic signature</h2>" + html_table(plan_signature_table(*p.context.signature));
  h += "</body></html>\n";
  return h;
}

}  // namespace sirtkit::report
