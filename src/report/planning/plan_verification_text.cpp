// The terminal summary of `sirtkit verify`: delivered activity, per-VOI planned
// against delivered mean dose and D70, tumour-to-normal ratios, paired agreement.

#include <fmt/format.h>

#include "report/planning/plan_verification.h"

namespace sirtkit::report {
namespace {

std::string agreement_line(const char* what, const stats::PairedAgreement& a) {
  return fmt::format(
      "  {}: n {}, median {:.2f} → {:.2f}; mean difference {:+.2f} (95 % CI {:.2f} to {:.2f}); limits of agreement {:.2f} to {:.2f}\n",
      what, a.n, a.median_a, a.median_b, a.mean_difference, a.ci_low, a.ci_high, a.limits_low, a.limits_high);
}

}  // namespace

std::string verification_text(const VerificationView& v) {
  std::string s = fmt::format("sirtkit verify — patient {}  (plan {})\n", v.patient_id, v.plan_file);
  s += fmt::format("  delivered activity {:.4f} GBq in liver + lungs, {:.4f} GBq in the field of view; calibration {:.6g} GBq per unit\n",
                   v.delivered_region_gbq, v.delivered_total_gbq, v.delivered_gbq_per_unit);
  for (const auto& n : v.notes) s += "  note  " + n + "\n";
  s += fmt::format("\n{:<36} {:>11} {:>11} {:>8} {:>10} {:>10}\n", "VOI", "planned Gy", "delivered", "diff %", "D70 plan", "D70 deliv");
  for (const auto& c : v.vois)
    s += fmt::format("{:<36} {:11.1f} {:11.1f} {:8.1f} {:10.1f} {:10.1f}\n", c.name.substr(0, 36), c.planned_mean_gy, c.delivered_mean_gy,
                     c.planned_mean_gy > 0 ? 100 * (c.delivered_mean_gy / c.planned_mean_gy - 1) : 0.0, c.planned_d70_gy, c.delivered_d70_gy);
  s += "\nTumour-to-normal dose ratio (planned → delivered)\n";
  for (const auto& t : v.ratios) s += fmt::format("  {:<24} {:6.2f} → {:6.2f}   (vs {})\n", t.tumour, t.planned, t.delivered, t.normal);
  if (v.tumour_dose) s += agreement_line("tumour mean dose (Gy)", *v.tumour_dose);
  if (v.tumour_ratio) s += agreement_line("tumour-to-normal ratio", *v.tumour_ratio);
  return s;
}

}  // namespace sirtkit::report
