#include "pipelines/clinical/clinical_lirads.h"

#include <fmt/format.h>

#include <charconv>
#include <cmath>
#include <map>

#include "core/text.h"
#include "core/error.h"
#include "core/format.h"

namespace sirtkit::pipelines {
using namespace sirtkit::clinical;

std::vector<LiradsPatient> lirads_from_csv(const CsvRows& csv) {
  const std::size_t c_pid = csv.column("patient") ? *csv.column("patient") : csv.require_column("patient_id");
  const std::size_t c_date = csv.require_column("date");
  const std::size_t c_obs = csv.require_column("observation_id");
  const std::size_t c_cat = csv.require_column("category");
  const auto c_mm = csv.column("viable_mm");
  std::vector<std::string> order;
  std::map<std::string, std::map<int, LrTrScan>> by;
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const auto& row = csv.rows[i];
    const std::string w = csv.where(i);
    const std::string pid = row[c_pid];
    if (pid.empty()) fail_input(w, "patient_id", "''", "a patient identifier");
    const Date d = parse_date(row[c_date], w + " date");
    LrTrObservation o;
    o.where = w;
    o.observation_id = row[c_obs];
    if (o.observation_id.empty()) fail_input(w, "observation_id", "''", "an observation identifier");
    o.category = parse_lr_tr(row[c_cat], w);
    if (c_mm && !row[*c_mm].empty() && row[*c_mm] != "NA") {
      const std::string& t = row[*c_mm];
      double v = 0;
      auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
      if (ec != std::errc() || p != t.data() + t.size() || !std::isfinite(v))
        fail_input(w, "viable_mm", shown_value(t), "a number of millimetres");
      o.viable_mm = v;
    }
    if (!by.count(pid)) order.push_back(pid);
    LrTrScan& s = by[pid][d.days];
    s.date = d;
    s.observations.push_back(std::move(o));
  }
  std::vector<LiradsPatient> out;
  for (const std::string& pid : order) {
    LiradsPatient p;
    p.patient_id = pid;
    for (auto& [days, s] : by[pid]) p.scans.push_back(s);
    p.aggregated = aggregate_lr_tr(p.scans);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<LiradsPatient> run_lirads(const std::filesystem::path& csv) { return lirads_from_csv(read_csv(csv)); }

}  // namespace sirtkit::pipelines
