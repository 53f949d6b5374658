#include <fmt/format.h>

#include <cmath>

#include "core/date_time.h"
#include "report/planning/plan_report.h"

namespace sirtkit::report {

int check_digits(const dosimetry::Check& c) {
  for (int digits = 2; digits < 12; ++digits) {
    const double shown = std::stod(fmt::format("{:.{}f}", c.value_gy, digits));
    const double shown_margin = std::stod(fmt::format("{:.{}f}", c.margin_gy, digits));
    // Met: the margin shown must not be negative. Not met: it must be negative, and
    // the value must not print equal to the limit.
    if (!c.active) return 2;
    if (c.met && shown_margin >= 0) return digits;
    if (!c.met && shown_margin < 0 && shown != c.limit_gy) return digits;
  }
  return 12;
}

std::string bound_text(double gbq) {
  if (std::isnan(gbq)) return "none";
  if (!std::isfinite(gbq)) return "no limit up to 1000 GBq";
  return fmt::format("{:.3f} GBq", gbq);
}

std::string plan_summary_text(const PlanView& p) {
  const auto& m = p.model;
  const auto& r = p.result;
  const auto& e = r.evaluation;
  std::string s;
  auto line = [&s](const std::string& x) { s += x + "\n"; };
  line(fmt::format("sirtkit plan — patient {}  ({})", p.context.patient_id, p.context.plan_file));
  line(fmt::format("  approach      {}{}", p.context.approach,
                   m.options.approach == dosimetry::Approach::voxel ? std::string(", ") + dosimetry::voxel_method_name(m.options.voxel_method) : ""));
  if (m.kernel) line(fmt::format("  kernel        {} ({:.4f} MeV/decay in table, normalised to 1)", m.kernel->source, m.kernel->table_energy_mev));
  line(fmt::format("  dose constant {:.3f} Gy·kg/GBq, {}", m.options.k_gy_kg_per_gbq, p.context.dose_constant_source));
  line(fmt::format("  lung shunt    {:.2f} % ({}); lung mass {:.3f} kg ({})", 100 * m.lung_shunt.fraction, m.lung_shunt.method,
                   m.quantification.lung_mass_kg, m.quantification.lung_mass_source));
  line(fmt::format("  calibration   {}; liver-retained fraction {:.4f}; hepatic reserve {:.1f} %",
                   dosimetry::calibration_name(m.options.calibration), m.quantification.liver_retained_fraction,
                   m.hepatic_reserve_percent));
  if (!r.solver.empty()) line("  activities    " + r.solver);
  for (const auto& [name, tn] : m.quantification.tn_ratios) line(fmt::format("  T/N           {}: {:.2f}", name, tn));
  if (m.quantification.counts_in_liver_outside_territories_fraction > 0.05)
    line(fmt::format("  note          {:.1f} % of liver counts lie outside every perfused territory",
                     100 * m.quantification.counts_in_liver_outside_territories_fraction));
  if (m.excluded_energy_fraction > 1e-5)
    line(fmt::format("  note          {:.3f} % of the energy fell in voxels below the density floor and is not shown as dose",
                     100 * m.excluded_energy_fraction));
  for (const auto& n : p.context.notes) line("  note          " + n);
  line("");
  const bool deliverable = dosimetry::plan_status_deliverable(r.status);
  line(fmt::format("STATUS: {}{}", dosimetry::plan_status_name(r.status),
                   deliverable ? "" : "  (NOT DELIVERABLE: nothing to order, exit 3)"));
  for (const auto& f : r.findings) line("  - " + f);
  line("");
  line("Injections");
  for (std::size_t k = 0; k < m.injections.size(); ++k) {
    line(fmt::format("  {:<24} {} {:.3f} GBq (aim {:.3f} GBq)  territory '{}'", m.injections[k].name,
                     deliverable ? "administered" : "evaluated at", e.administered_gbq[k], r.aim_gbq[k], m.injections[k].territory));
    const auto& v = p.vials[k];
    if (v.chosen)
      line(fmt::format("    vial {} GBq ({}): {}", v.chosen->vial_gbq, p.context.device, v.chosen->reason));
    else if (v.options.empty())
      line("    no vial ordered: the plan is not deliverable");
    else
      line(fmt::format("    NO VIAL delivers {:.3f} GBq (vial activity incl. residual):", v.needed_vial_activity_gbq));
    if (!v.chosen)
      for (const auto& o : v.options) line(fmt::format("      {} GBq: {}", o.vial_gbq, o.reason));
  }
  if (!r.bounds.empty()) {
    const bool one = r.bounds.size() == 1;
    for (std::size_t k = 0; k < r.bounds.size(); ++k) {
      const auto& b = r.bounds[k];
      const std::string who = one ? "" : fmt::format("{}: ", m.injections[k].name);
      const std::string others = one ? "" : " (the others as shown)";
      line(fmt::format("  {}every constraint kept up to {}{}{}", who, bound_text(b.keeps_constraints_up_to_gbq),
                       b.set_by.empty() ? "" : " (set by '" + b.set_by + "')", others));
      if (!std::isnan(b.meets_goals_from_gbq))
        line(fmt::format("  {}every goal met and constraint kept for {}–{}{}", who, fmt::format("{:.3f}", b.meets_goals_from_gbq),
                         bound_text(b.keeps_constraints_up_to_gbq), others));
    }
  }
  line("");
  line("Goals");
  for (const auto& g : e.goals) {
    const int d = check_digits(g);
    line(fmt::format("  [{}] {:<48} {:8.{}f} Gy{}", g.met ? "ok" : "NO", g.label, g.value_gy, d,
                     g.aim_gy ? fmt::format("  (aim {} Gy)", *g.aim_gy) : ""));
  }
  line("Constraints");
  for (const auto& c : e.constraints) {
    const int d = check_digits(c);
    line(fmt::format("  [{}] {:<48} {:8.{}f} Gy  margin {:+.{}f} Gy{}", !c.active ? "--" : c.met ? "ok" : "NO", c.label,
                     c.value_gy, d, c.margin_gy, d, c.binding ? "  binds" : ""));
  }
  line("");
  std::string dhead, vhead;
  if (!e.vois.empty()) {
    for (const auto& [x, d] : e.vois[0].metrics.d_at_percent) dhead += fmt::format(" {:>7}", fmt::format("D{}", x));
    for (const auto& [x, v] : e.vois[0].metrics.v_at_gy) vhead += fmt::format(" {:>6}", fmt::format("V{}", x));
  }
  line(fmt::format("{:<36} {:>9} {:>8} {:>8}{} {:>8}{}", "VOI", "volume mL", "mass kg", "mean Gy", dhead, "BED Gy", vhead));
  for (const auto& v : e.vois) {
    std::string d, vv;
    for (const auto& [x, val] : v.metrics.d_at_percent) d += fmt::format(" {:7.1f}", val);
    for (const auto& [x, val] : v.metrics.v_at_gy) vv += fmt::format(" {:5.1f}%", val);
    line(fmt::format("{:<36} {:9.1f} {:8.3f} {:8.1f}{} {:8.1f}{}", v.name.substr(0, 36), v.metrics.volume_ml, v.metrics.mass_kg,
                     v.metrics.mean_gy, d, v.radiobiology.bed_mean_gy, vv));
  }
  line("Radiobiology (voxel by voxel; tumour voxels take the tumour parameters)");
  for (const auto& v : e.vois) {
    const auto& rb = v.radiobiology;
    std::string outcome;
    if (rb.ntcp) outcome += fmt::format("  NTCP {:.1f} %", 100 * *rb.ntcp);
    if (rb.tcp) outcome += fmt::format("  TCP {:.1f} %", 100 * *rb.tcp);
    line(fmt::format("  {:<36} BED {:7.1f} Gy  EUD {:7.1f} Gy  EUBED {:7.1f} Gy{}", v.name.substr(0, 36), rb.bed_mean_gy, rb.eud_gy,
                     rb.eubed_gy, outcome));
  }
  const auto& nt = p.context.liver_ntcp;
  const auto& tc = p.context.tumour_tcp;
  line(fmt::format("  NTCP: LKB on BED of the whole normal liver, TD50 {} Gy, m {}, n {}.  TCP: LQ Poisson on BED, alpha {} /Gy, {:g} clonogens/mL.",
                   nt.td50_gy, nt.m, nt.n, tc.alpha_per_gy, tc.clonogen_density_per_ml));
  line(fmt::format("lungs: {:.2f} Gy this session, {:.2f} Gy cumulative.  Computed in {:.2f} s.", e.lung_dose_gy,
                   e.lung_cumulative_gy, p.context.elapsed_s));
  return s;
}

}  // namespace sirtkit::report
