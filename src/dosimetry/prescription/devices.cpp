#include "dosimetry/prescription/devices.h"

#include <cmath>
#include <fmt/format.h>

#include "core/error.h"
#include "physics/y90.h"

namespace sirtkit::dosimetry {
namespace {

DateTime shown(DateTime t, const TreatmentWindow& w) {
  t.offset_minutes = w.display_offset_minutes;
  return t;
}

// Local hour of day (fractional) in the window's offset.
double local_hour(const DateTime& t, const TreatmentWindow& w) {
  const std::int64_t local = t.epoch_s + w.display_offset_minutes * 60;
  const std::int64_t in_day = ((local % 86400) + 86400) % 86400;
  return static_cast<double>(in_day) / 3600.0;
}

// The working-hours moment nearest to `t`: the start of the day's hours if
// before it, the end if after (next or same day, whichever is nearer).
DateTime nearest_working_time(const DateTime& t, const TreatmentWindow& w) {
  const auto [start, end] = *w.working_hours;
  const double h = local_hour(t, w);
  if (h >= start && h < end) return t;
  const double to_next_start = h < start ? start - h : 24 - h + start;
  const double since_end = h >= end ? h - end : h + 24 - end;
  return to_next_start <= since_end ? t.plus_hours(to_next_start) : t.plus_hours(-since_end);
}

VialOption glass_option(double vial, double needed, const Device& d, const TreatmentWindow& w, const DeliveredCheck& refuse) {
  VialOption o;
  o.vial_gbq = vial;
  o.hours_after_calibration = physics::hours_to_decay(vial, needed, d.half_life_h);
  o.injection_time = d.calibration.plus_hours(o.hours_after_calibration);
  o.vial_activity_at_injection_gbq = needed;
  if (w.working_hours && o.hours_after_calibration >= 0) {
    const DateTime moved = nearest_working_time(o.injection_time, w);
    if (moved.epoch_s != o.injection_time.epoch_s) {
      const double hours = moved.hours_since(d.calibration);
      const double activity = vial * physics::decay_factor(hours, d.half_life_h);
      const double deviation = 100.0 * (activity / needed - 1.0);
      if (std::abs(deviation) > w.activity_tolerance_percent) {
        o.reason = fmt::format("holds {:.3f} GBq at {}, outside working hours; at {} it would hold {:.3f} GBq ({:+.1f} %, tolerance {} %)",
                               needed, format_iso(shown(o.injection_time, w)), format_iso(shown(moved, w)), activity, deviation,
                               w.activity_tolerance_percent);
        return o;
      }
      if (refuse) {
        const std::string why = refuse(activity * (1.0 - d.residual_fraction));
        if (!why.empty()) {
          o.reason = fmt::format("holds {:.3f} GBq at {}, outside working hours; at {} it would hold {:.3f} GBq ({:+.1f} %): {}", needed,
                                 format_iso(shown(o.injection_time, w)), format_iso(shown(moved, w)), activity, deviation, why);
          return o;
        }
      }
      o.hours_after_calibration = hours;
      o.injection_time = moved;
      o.vial_activity_at_injection_gbq = activity;
      o.activity_deviation_percent = deviation;
    }
  }
  if (o.hours_after_calibration < 0) {
    o.reason = fmt::format("holds only {:.3f} GBq at calibration, less than the {:.3f} GBq needed", vial, needed);
  } else if (o.hours_after_calibration > d.max_hours_after_calibration) {
    o.reason = fmt::format("would reach {:.3f} GBq {:.1f} h after calibration, past its {:.0f} h shelf life", needed,
                           o.hours_after_calibration, d.max_hours_after_calibration);
  } else if (w.earliest && o.injection_time.epoch_s < w.earliest->epoch_s) {
    o.reason = fmt::format("holds {:.3f} GBq at {}, before the treatment window opens ({})", needed,
                           format_iso(shown(o.injection_time, w)), format_iso(shown(*w.earliest, w)));
  } else if (w.latest && o.injection_time.epoch_s > w.latest->epoch_s) {
    o.reason = fmt::format("holds {:.3f} GBq at {}, after the treatment window closes ({})", needed,
                           format_iso(shown(o.injection_time, w)), format_iso(shown(*w.latest, w)));
  } else {
    o.usable = true;
    o.reason = fmt::format("holds {:.3f} GBq at {} ({:.2f} h after calibration)", o.vial_activity_at_injection_gbq,
                           format_iso(shown(o.injection_time, w)), o.hours_after_calibration);
    if (o.activity_deviation_percent != 0)
      o.reason += fmt::format(", {:+.2f} % from the prescription (moved into working hours): doses scale by the same factor",
                              o.activity_deviation_percent);
  }
  return o;
}

VialOption resin_option(double vial, double needed, const Device& d, const DateTime& at, const TreatmentWindow& w) {
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

std::optional<DeviceLimit> device_limit(const Device& device, const TreatmentWindow& window) {
  if (device.kind != DeviceKind::resin) return std::nullopt;
  if (!window.fixed) throw Error(ErrorCategory::internal, "device_limit: a resin vial needs the injection time");
  const double hours = window.fixed->hours_since(device.calibration);
  DeviceLimit limit;
  double best_vial = 0, best_held = 0;
  for (double vial : device.vial_sizes_gbq) {
    if (hours > device.max_hours_after_calibration) continue;
    const double held = vial * physics::decay_factor(hours, device.half_life_h);
    if (held > best_held) best_held = held, best_vial = vial;
  }
  limit.max_administered_gbq = best_held * (1.0 - device.residual_fraction);
  limit.description = best_held > 0 ? fmt::format("what the {} GBq resin vial holds at {}: {:.3f} GBq, {:.3f} GBq after the {} % residual",
                                                  best_vial, format_iso(*window.fixed), best_held, limit.max_administered_gbq,
                                                  100 * device.residual_fraction)
                                     : fmt::format("every resin vial is past its {:.0f} h shelf life at {}",
                                                   device.max_hours_after_calibration, format_iso(*window.fixed));
  return limit;
}

VialChoice choose_vial(double administered_gbq, const Device& device, const TreatmentWindow& window,
                       const DeliveredCheck& refuse_delivered) {
  VialChoice c;
  if (device.kind == DeviceKind::resin && !window.fixed)
    throw Error(ErrorCategory::internal, "choose_vial: a resin vial needs the injection time");
  c.needed_vial_activity_gbq = administered_gbq / (1.0 - device.residual_fraction);
  for (double vial : device.vial_sizes_gbq) {
    VialOption o = device.kind == DeviceKind::glass
                       ? glass_option(vial, c.needed_vial_activity_gbq, device, window, refuse_delivered)
                       : resin_option(vial, c.needed_vial_activity_gbq, device, *window.fixed, window);
    c.options.push_back(o);
    if (o.usable && (!c.chosen || o.injection_time.epoch_s < c.chosen->injection_time.epoch_s)) c.chosen = o;
  }
  return c;
}

}  // namespace sirtkit::dosimetry
