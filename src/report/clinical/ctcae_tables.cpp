#include "report/clinical/ctcae_tables.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "clinical/rule_result.h"
#include "core/format.h"

namespace sirtkit::report {
using namespace sirtkit::clinical;

namespace {
std::string grade_text(const std::optional<int>& g) { return g ? std::to_string(*g) : "NA"; }
}  // namespace

std::string ctcae_text(const CtcaeReport& r, bool per_record) {
  std::string out;
  if (per_record) {
    out += "Results (CTCAE v5.0)\n";
    out += fmt::format("  {:<12} {:<10} {:<12} {:>10} {:<10} {:>5} {:<36} {:>6}  {}\n", "patient", "date", "test",
                       "value", "unit", "day", "term", "grade", "basis / reason");
    for (const GradedRecord& g : r.graded) {
      out += fmt::format("  {:<12} {:<10} {:<12} {:>10} {:<10} {:>5} {:<36} {:>6}  {}\n", g.record.patient_id,
                         to_iso(g.record.date), lab_test_name(g.record.test), num(g.record.value), g.record.unit,
                         g.record.baseline ? "bl" : g.day ? std::to_string(*g.day) : "-", g.grade.term,
                         grade_text(g.grade.grade), g.grade.reason);
    }
    out += "\n";
  }
  out += "Worst post-baseline grade per patient (CTCAE v5.0)\n";
  out += fmt::format("  {:<12} {:<38} {:>8} {:>6} {:<10} {:>7} {:>12}\n", "patient", "term", "baseline", "worst",
                     "first on", "results", "not gradable");
  for (const WorstGrade& w : r.worst) {
    out += fmt::format("  {:<12} {:<38} {:>8} {:>6} {:<10} {:>7} {:>12}\n", w.patient_id, w.term,
                       grade_text(w.baseline_grade), grade_text(w.grade), w.date ? to_iso(*w.date) : "-", w.results,
                       w.not_gradable);
  }
  out += "\nAdverse events by worst grade (patients with a gradable post-baseline result)\n";
  out += fmt::format("  {:<38} {:>4} {:>14} {:>14} {:>14}\n", "term", "n", "grade 1-2", "grade 3", "grade 4");
  auto pct = [](int k, int n) { return count_percent(k, n); };
  for (const AeTableRow& t : r.table) {
    out += fmt::format("  {:<38} {:>4} {:>14} {:>14} {:>14}\n", t.term, t.patients, pct(t.grade_1_2, t.patients),
                       pct(t.grade_3, t.patients), pct(t.grade_4, t.patients));
  }
  out += "  grade 5 (death) is not derivable from laboratory values\n";
  out += "source: NCI CTCAE v5.0 (2017), encoded as pharmaverse/admiral ncictcaev5 (docs/clinical.md)\n";
  return out;
}

std::string ctcae_json(const CtcaeReport& r) {
  nlohmann::ordered_json j;
  j["criteria"] = "CTCAE v5.0";
  auto opt = [](const std::optional<int>& g) { return g ? nlohmann::ordered_json(*g) : nlohmann::ordered_json(); };
  nlohmann::ordered_json results = nlohmann::ordered_json::array();
  for (const GradedRecord& g : r.graded) {
    nlohmann::ordered_json e;
    e["patient_id"] = g.record.patient_id;
    e["date"] = to_iso(g.record.date);
    e["test"] = lab_test_name(g.record.test);
    e["value"] = g.record.value;
    e["unit"] = g.record.unit;
    e["baseline"] = g.record.baseline;
    e["day"] = g.day ? nlohmann::ordered_json(*g.day) : nlohmann::ordered_json();
    e["term"] = g.grade.term;
    e["grade"] = opt(g.grade.grade);
    e["basis"] = g.grade.basis;
    e["reason"] = g.grade.reason;
    results.push_back(e);
  }
  j["results"] = results;
  nlohmann::ordered_json worst = nlohmann::ordered_json::array();
  for (const WorstGrade& w : r.worst) {
    nlohmann::ordered_json e;
    e["patient_id"] = w.patient_id;
    e["term"] = w.term;
    e["baseline_grade"] = opt(w.baseline_grade);
    e["worst_grade"] = opt(w.grade);
    e["first_date"] = w.date ? nlohmann::ordered_json(to_iso(*w.date)) : nlohmann::ordered_json();
    e["results"] = w.results;
    e["not_gradable"] = w.not_gradable;
    worst.push_back(e);
  }
  j["worst"] = worst;
  nlohmann::ordered_json table = nlohmann::ordered_json::array();
  for (const AeTableRow& t : r.table) {
    table.push_back({{"term", t.term}, {"patients", t.patients}, {"grade_1_2", t.grade_1_2}, {"grade_3", t.grade_3},
                     {"grade_4", t.grade_4}});
  }
  j["ae_table"] = table;
  return j.dump(2) + "\n";
}

}  // namespace sirtkit::report
