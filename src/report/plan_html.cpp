#include <cmath>
#include <fmt/format.h>
#include <set>

#include "core/date_time.h"
#include "core/version.h"
#include "report/dose_slice_svg.h"
#include "report/dvh_svg.h"
#include "report/plan_report.h"

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

std::string td(double v, int digits = 1) { return fmt::format("<td>{:.{}f}</td>", v, digits); }

// The axial slice through the centre of mass of the first tumour (or of the dose).
std::string dose_slice_section(const PlanView& p) {
  const image::Volume<float>& dose = *p.dose_gy;
  const dosimetry::Voi* focus = nullptr;
  for (const auto& v : p.model.vois)
    if (v.role == dosimetry::VoiRole::tumour) {
      focus = &v;
      break;
    }
  const auto& g = dose.grid;
  double sum = 0, weighted = 0, max_gy = 0;
  for (int k = 0; k < g.size[2]; ++k)
    for (int j = 0; j < g.size[1]; ++j)
      for (int i = 0; i < g.size[0]; ++i) {
        const std::size_t n = g.index(i, j, k);
        const double w = focus ? focus->mask.data[n] : dose.data[n];
        sum += w;
        weighted += w * k;
        max_gy = std::max<double>(max_gy, dose.data[n]);
      }
  const int k = sum > 0 ? static_cast<int>(std::lround(weighted / sum)) : g.size[2] / 2;
  const std::string title = fmt::format("Axial slice {} of {}{}", k + 1, g.size[2], focus ? " through " + focus->name : "");
  return "<h2>Dose map</h2>" + axial_dose_svg(p.model.mass_kg, dose, k, max_gy, 0.05 * max_gy, title);
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

  h += "<h2>Injections and vials</h2><table><tr><th>injection</th><th>territory</th><th>aim GBq</th><th>" + std::string(deliverable ? "administered" : "evaluated at") +
       " GBq</th><th>constraints kept up to</th><th>goals met from</th><th>vial</th></tr>";
  for (std::size_t k = 0; k < m.injections.size(); ++k) {
    const auto& v = p.vials[k];
    const std::string vial = v.chosen            ? fmt::format("{} GBq: {}", v.chosen->vial_gbq, escape_xml(v.chosen->reason))
                             : v.options.empty() ? std::string("<span class=\"no\">none ordered: the plan is not deliverable</span>")
                                                 : fmt::format("<span class=\"no\">none delivers {:.3f} GBq</span>", v.needed_vial_activity_gbq);
    const bool bounded = k < r.bounds.size();
    h += fmt::format("<tr><td>{}</td><td>{}</td>{}{}<td>{}</td><td>{}</td><td style=\"text-align:left\">{}</td></tr>",
                     escape_xml(m.injections[k].name), escape_xml(m.injections[k].territory), td(r.aim_gbq[k], 3),
                     td(e.administered_gbq[k], 3), bounded ? escape_xml(bound_text(r.bounds[k].keeps_constraints_up_to_gbq)) : "",
                     bounded && !std::isnan(r.bounds[k].meets_goals_from_gbq) ? fmt::format("{:.3f} GBq", r.bounds[k].meets_goals_from_gbq) : "",
                     vial);
  }
  h += "</table>\n";

  h += "<h2>Goals and constraints</h2><table><tr><th>check</th><th>value Gy</th><th>limit Gy</th><th>margin Gy</th><th></th></tr>";
  auto row = [&](const dosimetry::Check& c) {
    std::string verdict = !c.active ? "not active" : c.met ? "<span class=\"met\">met</span>" : "<span class=\"no\">NOT MET</span>";
    if (c.binding) verdict += " (binds)";
    const int d = check_digits(c);
    h += fmt::format("<tr><td>{}</td>{}{}{}<td>{}</td></tr>", escape_xml(c.label), td(c.value_gy, d), td(c.limit_gy, 1),
                     td(c.margin_gy, d), verdict);
  };
  for (const auto& g : e.goals) row(g);
  for (const auto& c : e.constraints) row(c);
  h += "</table>\n";

  std::set<double> refs;
  for (const auto& g : e.goals) refs.insert(g.limit_gy);
  h += "<h2>Dose-volume histograms</h2>" + dvh_svg(e.vois, std::vector<double>(refs.begin(), refs.end()));

  if (p.dose_gy) h += dose_slice_section(p);

  h += "<h2>Volumes of interest</h2><div class=\"scroll\"><table><tr><th>VOI</th><th>role</th><th>volume mL</th><th>mass kg</th><th>mean Gy</th><th>min</th><th>max</th>";
  if (!e.vois.empty()) {
    for (const auto& [x, d] : e.vois[0].metrics.d_at_percent) h += fmt::format("<th>D{}</th>", x);
    for (const auto& [x, d] : e.vois[0].metrics.v_at_gy) h += fmt::format("<th>V{} %</th>", x);
  }
  h += "<th>BED Gy</th><th>EUD Gy</th><th>EUBED Gy</th><th>NTCP %</th><th>TCP %</th></tr>";
  for (const auto& v : e.vois) {
    h += fmt::format("<tr><td>{}</td><td>{}</td>{}{}{}{}{}", escape_xml(v.name), v.role, td(v.metrics.volume_ml), td(v.metrics.mass_kg, 3),
                     td(v.metrics.mean_gy), td(v.metrics.min_gy), td(v.metrics.max_gy));
    for (const auto& [x, d] : v.metrics.d_at_percent) h += td(d);
    for (const auto& [x, d] : v.metrics.v_at_gy) h += td(d);
    const auto& rb = v.radiobiology;
    const auto pct = [&](const std::optional<double>& x) { return x ? td(100 * *x) : std::string("<td>—</td>"); };
    h += td(rb.bed_mean_gy) + td(rb.eud_gy) + td(rb.eubed_gy) + pct(rb.ntcp) + pct(rb.tcp) + "</tr>";
  }
  h += "</table></div>\n";

  h += "<h2>Method and parameters</h2><ul class=\"small\">";
  h += fmt::format("<li>Dose constant {:.4f} Gy·kg/GBq — {}</li>", m.options.k_gy_kg_per_gbq, escape_xml(p.context.dose_constant_source));
  if (m.kernel)
    h += fmt::format("<li>Kernel: {} ({:.4f} MeV per decay in the table, normalised to conserve energy)</li>", escape_xml(m.kernel->source),
                     m.kernel->table_energy_mev);
  h += fmt::format("<li>Count calibration: {}; liver-retained fraction {:.4f}</li>", dosimetry::calibration_name(m.options.calibration),
                   m.quantification.liver_retained_fraction);
  h += fmt::format("<li>Lung mass {:.3f} kg ({})</li>", m.quantification.lung_mass_kg, escape_xml(m.quantification.lung_mass_source));
  for (const auto& [name, tn] : m.quantification.tn_ratios) h += fmt::format("<li>T/N {}: {:.2f}</li>", escape_xml(name), tn);
  const auto& tr = p.context.tumour_radiobiology;
  const auto& nr = p.context.normal_radiobiology;
  h += fmt::format("<li>BED (Dale): tumour α/β {} Gy, T<sub>rep</sub> {} h; normal α/β {} Gy, T<sub>rep</sub> {} h; EUD α {} / {} per Gy</li>",
                   tr.alpha_beta_gy, tr.repair_half_time_h, nr.alpha_beta_gy, nr.repair_half_time_h, tr.alpha_per_gy, nr.alpha_per_gy);
  h += "<li>BED, EUD and EUBED are computed voxel by voxel (BED is the mass-weighted mean of the voxel BEDs); "
       "voxels inside a tumour VOI take the tumour parameters, all others the normal ones</li>";
  h += fmt::format("<li>NTCP of the whole normal liver: Lyman-Kutcher-Burman on BED, TD<sub>50</sub> {} Gy, m {}, n {}; "
                   "TCP of each tumour: LQ Poisson on BED, α {} per Gy, {:g} clonogens per mL</li>",
                   p.context.liver_ntcp.td50_gy, p.context.liver_ntcp.m, p.context.liver_ntcp.n, p.context.tumour_tcp.alpha_per_gy,
                   p.context.tumour_tcp.clonogen_density_per_ml);
  for (const auto& n : p.context.notes) h += "<li>" + escape_xml(n) + "</li>";
  h += fmt::format("<li>Computed by sirtkit {} in {:.2f} s. Mean doses are mass-weighted; Dx and Vx are by volume.</li></ul>",
                   version(), p.context.elapsed_s);
  h += "</body></html>\n";
  return h;
}

}  // namespace sirtkit::report
