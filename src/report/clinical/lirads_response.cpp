#include "report/clinical/lirads_response.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/format.h"

namespace sirtkit::report {
using namespace sirtkit::clinical;

std::string lirads_text(const std::vector<LiradsPatient>& r) {
  std::string out;
  for (const LiradsPatient& p : r) {
    out += "Patient " + p.patient_id + " — LI-RADS v2018 treatment response\n";
    for (size_t i = 0; i < p.scans.size(); ++i) {
      const LrTrPatientScan& a = p.aggregated[i];
      out += fmt::format("  {}  patient: {}", to_iso(a.date), lr_tr_name(a.patient_category));
      if (a.largest_viable_mm > 0) out += fmt::format(" (largest viable {:.1f} mm)", a.largest_viable_mm);
      out += "\n";
      for (const LrTrObservation& o : p.scans[i].observations) {
        out += fmt::format("    {:<12} {}", o.observation_id, lr_tr_name(o.category));
        if (o.viable_mm) out += " " + num(*o.viable_mm) + " mm";
        out += "\n";
      }
    }
    out += "\n";
  }
  out += "patient category: Viable if any observation is viable, else Nonevaluable, else Equivocal, else Nonviable\n";
  out += "source: ACR LI-RADS v2018 CT/MRI Treatment Response Algorithm\n";
  return out;
}

std::string lirads_json(const std::vector<LiradsPatient>& r) {
  using J = nlohmann::ordered_json;
  J ps = J::array();
  for (const LiradsPatient& p : r) {
    J scans = J::array();
    for (size_t i = 0; i < p.scans.size(); ++i) {
      const LrTrPatientScan& a = p.aggregated[i];
      J obs = J::array();
      for (const LrTrObservation& o : p.scans[i].observations)
        obs.push_back({{"observation_id", o.observation_id},
                       {"category", lr_tr_name(o.category)},
                       {"viable_mm", o.viable_mm ? J(*o.viable_mm) : J()}});
      scans.push_back({{"date", to_iso(a.date)},
                       {"patient_category", lr_tr_name(a.patient_category)},
                       {"largest_viable_mm", a.largest_viable_mm},
                       {"observations", obs}});
    }
    ps.push_back({{"patient_id", p.patient_id}, {"scans", scans}});
  }
  return J{{"patients", ps}}.dump(2) + "\n";
}

}  // namespace sirtkit::report
