#pragma once
// Microsphere devices and the choice of vial and treatment time.
//
// Glass (TheraSphere): whole vials of 3, 5, 7, 10, 15, 20 GBq stated at a
// calibration reference time (package insert; the insert's calibration is noon
// US Eastern time on the Sunday of the calibration week — check the current
// IFU). A vial holds the prescribed activity at exactly one moment after its
// calibration: t = T½/ln2 · ln(A_vial / A_needed). The whole vial is given.
//
// Resin (SIR-Spheres): one 3 GBq vial at its calibration time, of which the
// prescribed activity is drawn: fraction = A_needed / A_vial(t_treatment).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/date_time.h"

namespace sirtkit::dosimetry {

enum class DeviceKind { glass, resin };

struct Device {
  DeviceKind kind = DeviceKind::glass;
  std::vector<double> vial_sizes_gbq;   // glass: the orderable sizes; resin: one vial
  DateTime calibration;                  // when the vial holds its nominal activity
  double residual_fraction = 0;          // left in vial and tubing (measured or stated)
  double max_hours_after_calibration = 0;  // shelf life after calibration (IFU)
  double half_life_h = 64.1;
};

struct TreatmentWindow {
  std::optional<DateTime> earliest;
  std::optional<DateTime> latest;
  std::optional<DateTime> fixed;  // resin: the planned injection time
  // Glass: local hours [start, end) in which an injection can be scheduled,
  // in the UTC offset of the window; outside them a vial whose exact moment
  // falls at night is offered at the nearest working time instead, if its
  // activity then differs by no more than `activity_tolerance_percent`.
  std::optional<std::pair<int, int>> working_hours;
  double activity_tolerance_percent = 0;
  int display_offset_minutes = 0;
};

struct VialOption {
  double vial_gbq = 0;
  double hours_after_calibration = 0;  // glass: when it holds the activity; resin: at the fixed time
  DateTime injection_time;
  double vial_activity_at_injection_gbq = 0;
  double draw_fraction = 1;            // resin: fraction of the vial drawn
  double activity_deviation_percent = 0;  // glass at a working-hours time: vial activity vs needed
  bool usable = false;
  std::string reason;                  // why it is (not) usable
};

struct VialChoice {
  double needed_vial_activity_gbq = 0;  // at injection, before residual
  std::vector<VialOption> options;      // every vial considered
  std::optional<VialOption> chosen;     // the earliest usable option
};

// Resin: the most a vial can administer at the fixed injection time, i.e. the
// largest vial's decayed activity less the residual, A_vial · 2^(−t/T½) · (1 − residual);
// 0 when every vial is past its shelf life. Glass: none (another size can be ordered).
struct DeviceLimit {
  double max_administered_gbq = 0;
  std::string description;  // "the 3 GBq resin vial holds 2.367 GBq at ... (2.296 GBq after the 3 % residual)"
};
std::optional<DeviceLimit> device_limit(const Device& device, const TreatmentWindow& window);

// `administered_gbq` is what must reach the patient; the vial must hold
// administered / (1 − residual) at injection. A glass vial moved into working
// hours delivers another activity (its activity then, less the residual):
// `refuse_delivered`, when given, says why that activity cannot be given (it
// would break a constraint or miss a goal the plan claims), and the vial is not usable.
using DeliveredCheck = std::function<std::string(double delivered_gbq)>;
VialChoice choose_vial(double administered_gbq, const Device& device, const TreatmentWindow& window,
                       const DeliveredCheck& refuse_delivered = {});

}  // namespace sirtkit::dosimetry
