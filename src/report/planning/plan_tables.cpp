#include "report/planning/plan_tables.h"

#include <cmath>
#include <fmt/format.h>
#include <set>

#include "core/version.h"

namespace sirtkit::report {
namespace {

Cell number(double v, int digits = 1) { return number_cell(v, digits); }
Cell text(const std::string& s) { return text_cell(s); }

}  // namespace

ReportTable plan_injection_table(const PlanView& p) {
  const auto& m = p.model;
  const auto& r = p.result;
  const auto& e = r.evaluation;
  const bool deliverable = dosimetry::plan_status_deliverable(r.status);
  ReportTable t{{"injection", "territory", "aim GBq", deliverable ? "administered GBq" : "evaluated at GBq", "constraints kept up to",
                 "goals met from", "vial"},
                {},
                {1.2, 1.4, 0.8, 1, 1.3, 1.1, 2.2}};
  for (std::size_t k = 0; k < m.injections.size(); ++k) {
    const auto& v = p.vials[k];
    const Cell vial = v.chosen            ? text(fmt::format("{} GBq: {}", v.chosen->vial_gbq, v.chosen->reason))
                      : v.options.empty() ? Cell{"none ordered: the plan is not deliverable", Tone::bad, true}
                                          : Cell{fmt::format("none delivers {:.3f} GBq", v.needed_vial_activity_gbq), Tone::bad, true};
    const bool bounded = k < r.bounds.size();
    t.rows.push_back({text(m.injections[k].name), text(m.injections[k].territory), number(r.aim_gbq[k], 3), number(e.administered_gbq[k], 3),
                      {bounded ? bound_text(r.bounds[k].keeps_constraints_up_to_gbq) : ""},
                      {bounded && !std::isnan(r.bounds[k].meets_goals_from_gbq) ? fmt::format("{:.3f} GBq", r.bounds[k].meets_goals_from_gbq) : ""},
                      vial});
  }
  return t;
}

ReportTable plan_check_table(const PlanView& p) {
  ReportTable t{{"check", "value Gy", "limit Gy", "margin Gy", ""}, {}, {3, 1, 1, 1, 1.4}};
  const auto row = [&](const dosimetry::Check& c) {
    Cell verdict = !c.active ? Cell{"not active", Tone::plain, true} : c.met ? Cell{"met", Tone::good, true} : Cell{"NOT MET", Tone::bad, true};
    if (c.binding) verdict.text += " (binds)";
    const int d = check_digits(c);
    t.rows.push_back({text(c.label), number(c.value_gy, d), number(c.limit_gy, 1), number(c.margin_gy, d), verdict});
  };
  for (const auto& g : p.result.evaluation.goals) row(g);
  for (const auto& c : p.result.evaluation.constraints) row(c);
  return t;
}

ReportTable plan_voi_table(const PlanView& p) {
  ReportTable t{{"VOI", "role", "volume mL", "mass kg", "mean Gy", "min Gy", "max Gy", "BED Gy", "EUD Gy", "EUBED Gy", "NTCP %", "TCP %"}, {}, {}};
  for (const auto& v : p.result.evaluation.vois) {
    const auto& rb = v.radiobiology;
    const auto pct = [&](const std::optional<double>& x) { return x ? number(100 * *x) : Cell{"—"}; };
    t.rows.push_back({text(v.name), text(v.role), number(v.metrics.volume_ml), number(v.metrics.mass_kg, 3), number(v.metrics.mean_gy),
                      number(v.metrics.min_gy), number(v.metrics.max_gy), number(rb.bed_mean_gy), number(rb.eud_gy), number(rb.eubed_gy),
                      pct(rb.ntcp), pct(rb.tcp)});
  }
  t.widths.assign(t.header.size(), 1.0);
  t.widths[0] = 2.4;
  t.widths[1] = 1.4;  // "tumour", "territory" on one line
  return t;
}

ReportTable plan_dvh_point_table(const PlanView& p) {
  const auto& vois = p.result.evaluation.vois;
  ReportTable t{{"VOI"}, {}, {}};
  if (!vois.empty()) {
    for (const auto& [x, d] : vois[0].metrics.d_at_percent) t.header.push_back(fmt::format("D{} Gy", x));
    for (const auto& [x, d] : vois[0].metrics.v_at_gy) t.header.push_back(fmt::format("V{} %", x));
  }
  for (const auto& v : vois) {
    std::vector<Cell> row{text(v.name)};
    for (const auto& [x, d] : v.metrics.d_at_percent) row.push_back(number(d));
    for (const auto& [x, d] : v.metrics.v_at_gy) row.push_back(number(d));
    t.rows.push_back(std::move(row));
  }
  t.widths.assign(t.header.size(), 1.0);
  t.widths[0] = 2.4;
  return t;
}

ReportTable plan_inputs_table(const PlanContext& c) {
  ReportTable t{{"input", "file", "SHA-256"}, {}, {1, 2, 4.2}};
  for (const auto& f : c.inputs) t.rows.push_back({text(f.role), text(f.name), text(f.sha256)});
  return t;
}

ReportTable plan_signature_table(const PlanSignature& sig) {
  ReportTable t{{}, {}, {1.3, 4}};
  const auto row = [&](const std::string& what, const std::string& value) { t.rows.push_back({text(what), text(value)}); };
  row("Meaning", sig.meaning);
  row("Signed by", sig.signed_by + " (" + sig.role + ")");
  row("Signed (UTC)", sig.signed_utc);
  row("Plan version", std::to_string(sig.version));
  if (!sig.plan_sha256.empty()) row("Plan document SHA-256", sig.plan_sha256);
  return t;
}

ReportTable signature_lines_table(const std::vector<std::string>& roles) {
  ReportTable t{{"role", "name", "signature", "date"}, {}, {1.6, 2, 2, 1.2}};
  for (const auto& role : roles) t.rows.push_back({text(role), {"\n\n"}, {""}, {""}});
  return t;
}

std::string computed_by_text(const std::string& utc, const std::string& operator_name) {
  return fmt::format("Computed {} by {} with sirtkit {}", utc.empty() ? "(no date)" : utc,
                     operator_name.empty() ? "(operator not given: --operator)" : operator_name, version_long());
}

std::vector<std::string> plan_method_notes(const PlanView& p) {
  const auto& m = p.model;
  std::vector<std::string> n;
  n.push_back(fmt::format("Dose constant {:.4f} Gy·kg/GBq — {}", m.options.k_gy_kg_per_gbq, p.context.dose_constant_source));
  if (m.kernel)
    n.push_back(fmt::format("Kernel: {} ({:.4f} MeV per decay in the table, normalised to conserve energy)", m.kernel->source,
                            m.kernel->table_energy_mev));
  n.push_back(fmt::format("Count calibration: {}; liver-retained fraction {:.4f}", dosimetry::calibration_name(m.options.calibration),
                          m.quantification.liver_retained_fraction));
  n.push_back(fmt::format("Lung mass {:.3f} kg ({})", m.quantification.lung_mass_kg, m.quantification.lung_mass_source));
  for (const auto& [name, tn] : m.quantification.tn_ratios) n.push_back(fmt::format("T/N {}: {:.2f}", name, tn));
  const auto& tr = p.context.tumour_radiobiology;
  const auto& nr = p.context.normal_radiobiology;
  n.push_back(fmt::format("BED (Dale): tumour α/β {} Gy, T_rep {} h; normal α/β {} Gy, T_rep {} h; EUD α {} / {} per Gy", tr.alpha_beta_gy,
                          tr.repair_half_time_h, nr.alpha_beta_gy, nr.repair_half_time_h, tr.alpha_per_gy, nr.alpha_per_gy));
  n.push_back("BED, EUD and EUBED are computed voxel by voxel (BED is the mass-weighted mean of the voxel BEDs); "
              "voxels inside a tumour VOI take the tumour parameters, all others the normal ones");
  n.push_back(fmt::format("NTCP of the whole normal liver: Lyman-Kutcher-Burman on BED, TD50 {} Gy, m {}, n {}; "
                          "TCP of each tumour: LQ Poisson on BED, α {} per Gy, {:g} clonogens per mL",
                          p.context.liver_ntcp.td50_gy, p.context.liver_ntcp.m, p.context.liver_ntcp.n, p.context.tumour_tcp.alpha_per_gy,
                          p.context.tumour_tcp.clonogen_density_per_ml));
  for (const auto& note : p.context.notes) n.push_back(note);
  n.push_back(fmt::format("Computed by sirtkit {} in {:.2f} s. Mean doses are mass-weighted; Dx and Vx are by volume.", version(), p.context.elapsed_s));
  return n;
}

std::vector<double> plan_reference_doses_gy(const PlanView& p) {
  std::set<double> refs;
  for (const auto& g : p.result.evaluation.goals) refs.insert(g.limit_gy);
  return {refs.begin(), refs.end()};
}

DoseSlice plan_dose_slice(const PlanView& p) {
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
  return {k, max_gy, fmt::format("Axial slice {} of {}{}", k + 1, g.size[2], focus ? " through " + focus->name : "")};
}

}  // namespace sirtkit::report
