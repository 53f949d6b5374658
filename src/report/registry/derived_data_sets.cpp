#include "report/registry/derived_data_sets.h"

#include <algorithm>

#include "core/format.h"

namespace sirtkit::report {
namespace {

using nlohmann::json;

json excluded_json(const ExcludedSubjects& excluded) {
  json j = json::array();
  for (const auto& [id, why] : excluded) j.push_back({{"usubjid", id}, {"reason", why}});
  return j;
}

std::string excluded_text(const ExcludedSubjects& excluded) {
  std::string t;
  for (const auto& [id, why] : excluded) t += "  excluded " + id + ": " + why + "\n";
  return t;
}

json out_json(const std::string& out) { return out.empty() ? json(nullptr) : json(out); }

// "CR 3, PR 5, SD 2" in the order of the criteria's categories, or "none".
std::string response_counts(const std::map<std::string, int>& m) {
  std::string t;
  for (const char* c : {"CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE", "MISSING"})
    if (auto it = m.find(c); it != m.end()) t += (t.empty() ? "" : ", ") + std::string(c) + " " + std::to_string(it->second);
  return t.empty() ? std::string("none") : t;
}

}  // namespace

std::string tte_derivation_summary(const TteDerivation& d) {
  return d.paramcd + " from " + (d.origin == "index" ? std::string("the index date") : std::string("the first treatment")) +
         (d.censor_at_surgery ? ", censored at resection/transplant" : "") + ": " + std::to_string(d.subjects) + " subjects, " +
         std::to_string(d.events) + " events, " + std::to_string(d.subjects - d.events) + " censored\n" + excluded_text(d.excluded);
}

CommandOutput tte_derivation_output(const TteDerivation& d) {
  CommandOutput out;
  out.json = {{"registry", d.location}, {"paramcd", d.paramcd},   {"origin", d.origin},
              {"censor_at_surgery", d.censor_at_surgery}, {"subjects", d.subjects}, {"events", d.events},
              {"censored", d.subjects - d.events},        {"excluded", excluded_json(d.excluded)}, {"out", out_json(d.out)}};
  out.text = tte_derivation_summary(d);
  if (!d.out.empty())
    out.text += "wrote " + d.out + " (ADaM ADTTE: AVAL in " + (d.months ? "months" : "days") +
                ", CNSR 0 = event); e.g. sirtkit km " + d.out + " --time AVAL --event CNSR --event-coding cnsr --group TRT01P\n";
  return out;
}

CommandOutput response_derivation_output(const ResponseDerivation& d) {
  CommandOutput out;
  json landmarks = json::object();
  for (const auto& [visit, counts] : d.landmarks) landmarks[visit] = counts;
  out.json = {{"registry", d.location},
              {"criteria", d.criteria},
              {"subjects", d.subjects},
              {"best_overall_response", d.best_overall_response},
              {"objective_response", d.objective_response},
              {"disease_control", d.disease_control},
              {"landmarks", landmarks},
              {"excluded", excluded_json(d.excluded)},
              {"out", out_json(d.out)}};
  out.text = "tumour response (" + d.criteria + ") from the registry's lesion measurements: " + std::to_string(d.subjects) + " subjects\n" +
             "  best overall response   " + response_counts(d.best_overall_response) + "\n" +
             "  objective response      " + fraction_percent(d.objective_response, d.subjects) + " (CR or PR)\n" +
             "  disease control         " + fraction_percent(d.disease_control, d.subjects) + " (CR, PR, SD or NON-CR/NON-PD)\n";
  for (int day : d.at_days) {
    const std::string visit = "DAY " + std::to_string(day);
    const auto it = d.landmarks.find(visit);
    out.text += "  at " + visit + std::string(std::max<int>(0, 20 - static_cast<int>(visit.size())), ' ') +
                response_counts(it == d.landmarks.end() ? std::map<std::string, int>{} : it->second) + "\n";
  }
  out.text += excluded_text(d.excluded);
  if (!d.out.empty())
    out.text += "wrote " + d.out + " (ADaM ADRS: PARAMCD OVRLRESP per scan, BOR, CBOR, RSP, DCR" + (d.at_days.empty() ? "" : ", LMRESP") + ")\n";
  return out;
}

CommandOutput registry_derivation_output(const RegistryDerivation& d) {
  if (const auto* tte = std::get_if<TteDerivation>(&d)) return tte_derivation_output(*tte);
  return response_derivation_output(std::get<ResponseDerivation>(d));
}

}  // namespace sirtkit::report
