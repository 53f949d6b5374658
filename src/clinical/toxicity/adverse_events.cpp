#include "clinical/toxicity/adverse_events.h"
#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "core/error.h"

namespace sirtkit::clinical {
namespace {
std::string key(const std::string& s) {
  std::string t;
  for (char c : s)
    if (c != ' ' && c != '_' && c != '-') t += c;
  return ascii_lower(t);
}
void check(const AdverseEvent& e) {
  if (e.patient_id.empty()) fail_input(e.where, "patient_id", "''", "a patient identifier");
  if (e.term.empty()) fail_input(e.where, "term", "''", "a CTCAE term");
  if (e.grade < 1 || e.grade > 5)
    fail_input(e.where, "grade", std::to_string(e.grade), "a CTCAE grade from 1 to 5 (grade 0 is no event: omit the row)");
}
}  // namespace

std::vector<AeTermRow> adverse_event_table(const std::vector<AdverseEvent>& events) {
  std::map<std::string, std::string> shown;                  // key → first spelling
  std::map<std::string, std::map<std::string, int>> worst;   // key → patient → worst grade
  for (const AdverseEvent& e : events) {
    check(e);
    const std::string k = key(e.term);
    shown.emplace(k, e.term);
    int& w = worst[k][e.patient_id];
    w = std::max(w, e.grade);
  }
  std::vector<AeTermRow> out;
  for (const auto& [k, patients] : worst) {
    AeTermRow r;
    r.term = shown[k];
    for (const auto& [pid, g] : patients) {
      ++r.any;
      if (g <= 2) ++r.grade_1_2;
      else if (g == 3) ++r.grade_3;
      else if (g == 4) ++r.grade_4;
      else ++r.grade_5;
    }
    out.push_back(r);
  }
  std::stable_sort(out.begin(), out.end(), [](const AeTermRow& a, const AeTermRow& b) {
    return a.any != b.any ? a.any > b.any : key(a.term) < key(b.term);
  });
  return out;
}

bool is_pres_component(const std::string& term) {
  // Post-radioembolization syndrome: fatigue, nausea, vomiting, anorexia, fever, abdominal
  // pain (van Roekel thesis p. 38; clinical-rules.md §3.5)
  static const char* kTerms[] = {"fatigue", "nausea", "vomiting", "anorexia", "fever", "abdominalpain"};
  const std::string k = key(term);
  for (const char* t : kTerms)
    if (k == t) return true;
  return false;
}

PresFlag post_radioembolization_syndrome(const std::vector<AdverseEvent>& events, const std::string& patient_id,
                                         Date treatment, int window_days) {
  if (window_days < 0) fail_input("post-radioembolization syndrome", "window_days", std::to_string(window_days), ">= 0");
  PresFlag f;
  f.patient_id = patient_id;
  f.treatment = treatment;
  for (const AdverseEvent& e : events) {
    check(e);
    if (e.patient_id != patient_id || !is_pres_component(e.term)) continue;
    if (!e.onset) fail_input(e.where, "onset", "(missing)", "an onset date to place the event after SIRT");
    const int d = days_between(treatment, *e.onset);
    if (d < 0 || d > window_days) continue;
    f.present = true;
    if (std::find(f.terms.begin(), f.terms.end(), e.term) == f.terms.end()) f.terms.push_back(e.term);
    f.worst_grade = std::max(f.worst_grade, e.grade);
  }
  return f;
}

}  // namespace sirtkit::clinical
