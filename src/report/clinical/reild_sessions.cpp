#include "report/clinical/reild_sessions.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/format.h"

namespace sirtkit::report {
using namespace sirtkit::clinical;

std::string reild_text(const std::vector<ReildResult>& rs) {
  std::string out;
  int n = 0;
  for (const ReildResult& r : rs) {
    out += fmt::format("Patient {}, SIRT on {}: {}\n", r.patient_id, to_iso(r.treatment), r.verdict);
    for (const std::string& why : r.reasons) out += "  " + why + "\n";
    n += r.verdict == "REILD";
  }
  if (!rs.empty()) out += fmt::format("\n{}\n{} of {} sessions with REILD\n", rs.front().definition, n, rs.size());
  out += "sources: Sangro B et al., Cancer 2008;112:1538; Gil-Alzugaray B et al., Hepatology 2013;57:1078; "
         "Braat MNGJA et al., Eur J Gastroenterol Hepatol 2017;29:144\n";
  return out;
}

std::string reild_json(const std::vector<ReildResult>& rs) {
  using J = nlohmann::ordered_json;
  J a = J::array();
  for (const ReildResult& r : rs) {
    a.push_back({{"patient_id", r.patient_id},
                 {"treatment_date", to_iso(r.treatment)},
                 {"definition", r.definition},
                 {"verdict", r.verdict},
                 {"lab_criterion", r.lab_criterion ? J(*r.lab_criterion) : J()},
                 {"lab_date", r.lab_date ? J(to_iso(*r.lab_date)) : J()},
                 {"reasons", r.reasons}});
  }
  return J{{"sessions", a}}.dump(2) + "\n";
}

}  // namespace sirtkit::report
