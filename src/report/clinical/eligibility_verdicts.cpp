#include "report/clinical/eligibility_verdicts.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/format.h"

namespace sirtkit::report {
using namespace sirtkit::clinical;

std::string eligibility_text(const EligibilityReport& r) {
  std::string out = "Eligibility: " + r.rules.name + "\n";
  if (!r.rules.source.empty()) out += "source: " + r.rules.source + "\n";
  int eligible = 0, undetermined = 0;
  for (const EligibilityResult& p : r.patients) {
    out += fmt::format("\nPatient {}: {}\n", p.patient_id, p.verdict);
    eligible += p.verdict == "eligible";
    undetermined += p.verdict == "undetermined";
    for (size_t i = 0; i < p.criteria.size(); ++i) {
      const CriterionResult& c = p.criteria[i];
      out += fmt::format("  {:<8} {:<32} {}{}\n", verdict_name(c.verdict), c.id, c.reason,
                         c.required ? "" : " (optional)");
    }
  }
  out += fmt::format("\n{} of {} patients eligible, {} undetermined (missing values or non-answers)\n", eligible, r.patients.size(),
                     undetermined);
  return out;
}

std::string eligibility_json(const EligibilityReport& r) {
  using J = nlohmann::ordered_json;
  J j;
  j["rules"] = r.rules.name;
  j["source"] = r.rules.source;
  J ps = J::array();
  for (const EligibilityResult& p : r.patients) {
    J cs = J::array();
    for (const CriterionResult& c : p.criteria)
      cs.push_back({{"id", c.id}, {"verdict", verdict_name(c.verdict)}, {"required", c.required}, {"reason", c.reason}});
    ps.push_back({{"patient_id", p.patient_id}, {"verdict", p.verdict}, {"criteria", cs}});
  }
  j["patients"] = ps;
  return j.dump(2) + "\n";
}

}  // namespace sirtkit::report
