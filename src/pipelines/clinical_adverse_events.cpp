#include "pipelines/clinical_adverse_events.h"

#include <fmt/format.h>

#include <charconv>
#include <nlohmann/json.hpp>
#include <set>

#include "core/format.h"
#include "core/text.h"
#include "core/error.h"

namespace sirtkit::pipelines {
using namespace sirtkit::clinical;

AeReport ae_report_from_csv(const CsvRows& events, const std::optional<CsvRows>& treatments,
                            std::optional<int> population, int pres_days) {
  const std::size_t c_pid = events.column("patient") ? *events.column("patient") : events.require_column("patient_id");
  const std::size_t c_term = events.require_column("term");
  const std::size_t c_grade = events.require_column("grade");
  const auto c_onset = events.column("onset");
  std::vector<AdverseEvent> ev;
  std::set<std::string> patients;
  for (std::size_t i = 0; i < events.rows.size(); ++i) {
    const auto& row = events.rows[i];
    AdverseEvent e;
    e.where = events.where(i);
    e.patient_id = row[c_pid];
    e.term = row[c_term];
    const std::string& g = row[c_grade];
    auto [p, ec] = std::from_chars(g.data(), g.data() + g.size(), e.grade);
    if (g.empty() || ec != std::errc() || p != g.data() + g.size())
      fail_input(e.where, "grade", shown_value(g), "a CTCAE grade from 1 to 5");
    if (c_onset && !row[*c_onset].empty() && row[*c_onset] != "NA")
      e.onset = parse_date(row[*c_onset], e.where + " onset");
    patients.insert(e.patient_id);
    ev.push_back(std::move(e));
  }
  AeReport r;
  r.rows = adverse_event_table(ev);  // validates grades and terms
  r.pres_days = pres_days;
  if (treatments) {
    const std::size_t t_pid =
        treatments->column("patient") ? *treatments->column("patient") : treatments->require_column("patient_id");
    const std::size_t t_date = treatments->require_column("treatment_date");
    for (std::size_t i = 0; i < treatments->rows.size(); ++i) {
      const std::string pid = treatments->rows[i][t_pid];
      if (pid.empty()) fail_input(treatments->where(i), "patient_id", "''", "a patient identifier");
      patients.insert(pid);
      const Date d = parse_date(treatments->rows[i][t_date], treatments->where(i) + " treatment_date");
      r.pres.push_back(post_radioembolization_syndrome(ev, pid, d, pres_days));
    }
  }
  const int distinct = static_cast<int>(patients.size());
  if (population && *population < distinct)
    fail_input("ae-table", "--n", std::to_string(*population),
               "at least the " + std::to_string(distinct) + " patients found in the files");
  if (population && *population <= 0) fail_input("ae-table", "--n", std::to_string(*population), "a positive number");
  r.population = population ? *population : distinct;
  return r;
}

AeReport run_ae_report(const std::string& events_csv, const std::string& treatments_csv,
                       std::optional<int> population, int pres_days) {
  std::optional<CsvRows> tx;
  if (!treatments_csv.empty()) tx = read_csv(treatments_csv);
  return ae_report_from_csv(read_csv(events_csv), tx, population, pres_days);
}

std::string format_ae_text(const AeReport& r) {
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

std::string format_ae_json(const AeReport& r) {
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

}  // namespace sirtkit::pipelines
