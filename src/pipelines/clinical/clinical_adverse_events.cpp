#include "pipelines/clinical/clinical_adverse_events.h"

#include <fmt/format.h>

#include <charconv>
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

}  // namespace sirtkit::pipelines
