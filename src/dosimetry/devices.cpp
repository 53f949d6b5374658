#include "dosimetry/devices.h"

#include <fmt/format.h>

#include "core/error.h"
#include "physics/y90.h"

namespace sirtkit::dosimetry {
namespace {

VialOption glass_option(double vial, double needed, const Device& d, const TreatmentWindow& w) {
  VialOption o;
  o.vial_gbq = vial;
  o.hours_after_calibration = physics::hours_to_decay(vial, needed, d.half_life_h);
  o.injection_time = d.calibration.plus_hours(o.hours_after_calibration);
  o.vial_activity_at_injection_gbq = needed;
  if (o.hours_after_calibration < 0) {
    o.reason = fmt::format("holds only {:.3f} GBq at calibration, less than the {:.3f} GBq needed", vial, needed);
  } else if (o.hours_after_calibration > d.max_hours_after_calibration) {
    o.reason = fmt::format("would reach {:.3f} GBq {:.1f} h after calibration, past its {:.0f} h shelf life", needed,
                           o.hours_after_calibration, d.max_hours_after_calibration);
  } else if (w.earliest && o.injection_time.epoch_s < w.earliest->epoch_s) {
    o.reason = fmt::format("holds {:.3f} GBq at {}, before the treatment window opens ({})", needed,
                           format_iso(o.injection_time), format_iso(*w.earliest));
  } else if (w.latest && o.injection_time.epoch_s > w.latest->epoch_s) {
    o.reason = fmt::format("holds {:.3f} GBq at {}, after the treatment window closes ({})", needed,
                           format_iso(o.injection_time), format_iso(*w.latest));
  } else {
    o.usable = true;
    o.reason = fmt::format("holds {:.3f} GBq at {} ({:.2f} h after calibration)", needed, format_iso(o.injection_time),
                           o.hours_after_calibration);
  }
  return o;
}

VialOption resin_option(double vial, double needed, const Device& d, const DateTime& at) {
  VialOption o;
  o.vial_gbq = vial;
  o.injection_time = at;
  o.hours_after_calibration = at.hours_since(d.calibration);
  o.vial_activity_at_injection_gbq = vial * physics::decay_factor(o.hours_after_calibration, d.half_life_h);
  o.draw_fraction = needed / o.vial_activity_at_injection_gbq;
  if (o.hours_after_calibration > d.max_hours_after_calibration) {
    o.reason = fmt::format("{:.1f} h after calibration, past its {:.0f} h shelf life", o.hours_after_calibration,
                           d.max_hours_after_calibration);
  } else if (o.draw_fraction > 1.0) {
    o.reason = fmt::format("holds {:.3f} GBq at injection, less than the {:.3f} GBq needed",
                           o.vial_activity_at_injection_gbq, needed);
  } else {
    o.usable = true;
    o.reason = fmt::format("draw {:.1f} % of the vial ({:.3f} of {:.3f} GBq at {})", 100 * o.draw_fraction, needed,
                           o.vial_activity_at_injection_gbq, format_iso(at));
  }
  return o;
}

}  // namespace

VialChoice choose_vial(double administered_gbq, const Device& device, const TreatmentWindow& window) {
  VialChoice c;
  if (device.kind == DeviceKind::resin && !window.fixed)
    throw Error(ErrorCategory::internal, "choose_vial: a resin vial needs the injection time");
  c.needed_vial_activity_gbq = administered_gbq / (1.0 - device.residual_fraction);
  for (double vial : device.vial_sizes_gbq) {
    VialOption o = device.kind == DeviceKind::glass
                       ? glass_option(vial, c.needed_vial_activity_gbq, device, window)
                       : resin_option(vial, c.needed_vial_activity_gbq, device, *window.fixed);
    c.options.push_back(o);
    if (o.usable && (!c.chosen || o.injection_time.epoch_s < c.chosen->injection_time.epoch_s)) c.chosen = o;
  }
  return c;
}

}  // namespace sirtkit::dosimetry
