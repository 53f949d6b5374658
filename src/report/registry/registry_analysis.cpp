#include "report/registry/registry_analysis.h"

namespace sirtkit::report {

CommandOutput registry_analysis_output(const RegistryAnalysis& a) {
  CommandOutput out;
  out.json["derived"] = tte_derivation_output(a.derived).json;
  out.json["derived"].erase("out");
  const std::string summary = tte_derivation_summary(a.derived) + "times in months (365.25/12 days)";
  if (a.cox) {
    out.json["cox"] = cox_json(*a.cox);
    std::string terms;
    for (const auto& t : a.cox_terms) terms += (terms.empty() ? "" : ", ") + t;
    out.text = summary + "; Cox model on " + terms + "\n\n" + cox_text(*a.cox);
    return out;
  }
  if (a.km) {
    out.json["km"] = km_json(*a.km);
    out.text = summary + "\n\n" + km_text(*a.km);
  }
  if (!a.grouped) return out;
  if (a.log_rank) {
    out.json["logrank"] = log_rank_json(*a.log_rank);
    out.text += "\n" + log_rank_text(*a.log_rank);
  } else {
    out.json["logrank"] = nullptr;
    out.text += "\nno log-rank test: " + a.no_log_rank + "\n";
  }
  return out;
}

}  // namespace sirtkit::report
