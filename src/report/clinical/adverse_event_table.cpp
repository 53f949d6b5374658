#include "report/clinical/adverse_event_table.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/format.h"

namespace sirtkit::report {
using namespace sirtkit::clinical;

std::string ae_text(const AeReport& r) {
  const int n = r.population;
  auto cell = [n](int k) { return count_percent(k, n); };
  std::string out = fmt::format("Adverse events by worst grade per patient (CTCAE v5.0), N = {}\n", n);
  out += fmt::format("  {:<32} {:>14} {:>14} {:>14} {:>14} {:>14}\n", "term", "any grade", "grade 1-2", "grade 3",
                     "grade 4", "grade 5");
  for (const AeTermRow& t : r.rows)
    out += fmt::format("  {:<32} {:>14} {:>14} {:>14} {:>14} {:>14}\n", t.term, cell(t.any), cell(t.grade_1_2),
                       cell(t.grade_3), cell(t.grade_4), cell(t.grade_5));
  if (!r.pres.empty()) {
    int k = 0;
    out += fmt::format("\nPost-radioembolization syndrome (fatigue, nausea, vomiting, anorexia, fever, abdominal pain "
                       "starting within {} days of SIRT)\n",
                       r.pres_days);
    for (const PresFlag& f : r.pres) {
      std::string terms;
      for (const std::string& t : f.terms) terms += (terms.empty() ? "" : ", ") + t;
      out += fmt::format("  {:<12} SIRT {}  {}{}\n", f.patient_id, to_iso(f.treatment), f.present ? "yes" : "no",
                         f.present ? fmt::format(" (worst grade {}: {})", f.worst_grade, terms) : "");
      k += f.present;
    }
    out += fmt::format("  {} of {} sessions\n", k, r.pres.size());
  }
  return out;
}

std::string ae_json(const AeReport& r) {
  using J = nlohmann::ordered_json;
  J rows = J::array();
  for (const AeTermRow& t : r.rows)
    rows.push_back({{"term", t.term},
                    {"any", t.any},
                    {"grade_1_2", t.grade_1_2},
                    {"grade_3", t.grade_3},
                    {"grade_4", t.grade_4},
                    {"grade_5", t.grade_5}});
  J pres = J::array();
  for (const PresFlag& f : r.pres)
    pres.push_back({{"patient_id", f.patient_id},
                    {"treatment_date", to_iso(f.treatment)},
                    {"present", f.present},
                    {"terms", f.terms},
                    {"worst_grade", f.worst_grade}});
  J j{{"population", r.population}, {"terms", rows}};
  if (!r.pres.empty()) {
    j["pres_days"] = r.pres_days;
    j["post_radioembolization_syndrome"] = pres;
  }
  return j.dump(2) + "\n";
}

}  // namespace sirtkit::report
