#pragma once
// Clinician-graded adverse events (CTCAE v5.0 terms and grades 1-5, e.g. fatigue,
// abdominal pain): worst grade per patient and term, and the adverse-event table by term
// and worst grade (1-2, 3, 4, 5) with percentages of the treated population, as in seed
// 002's Table 2. Post-radioembolization syndrome (fatigue, nausea, vomiting, anorexia,
// fever, abdominal pain; clinical-rules.md §3.5) has no numeric definition; sirtkit flags
// patients with any of its component terms starting within a chosen number of days after
// SIRT.

#include <optional>
#include <string>
#include <vector>

#include "clinical/date.h"

namespace sirtkit::clinical {

struct AdverseEvent {
  std::string patient_id;
  std::string term;          // CTCAE term as recorded ("Fatigue")
  int grade = 1;             // 1..5
  std::optional<Date> onset;
  std::string where;         // origin, for messages
};

struct AeTermRow {
  std::string term;
  int any = 0;  // patients with the term at any grade
  int grade_1_2 = 0, grade_3 = 0, grade_4 = 0, grade_5 = 0;  // by worst grade per patient
};

// Rows sorted by number of patients (descending), then term. Terms compare
// case-insensitively; the first spelling seen is shown. Grades outside 1-5 or an empty
// term/patient are bad_input naming `where`.
std::vector<AeTermRow> adverse_event_table(const std::vector<AdverseEvent>& events);

// Post-radioembolization syndrome components (CTCAE terms).
bool is_pres_component(const std::string& term);

struct PresFlag {
  std::string patient_id;
  Date treatment;
  bool present = false;
  std::vector<std::string> terms;  // components with onset in the window
  int worst_grade = 0;
};
// Components with onset 0..window_days after `treatment`; events without an onset date
// cannot be placed and are bad_input.
PresFlag post_radioembolization_syndrome(const std::vector<AdverseEvent>& events, const std::string& patient_id,
                                         Date treatment, int window_days);

}  // namespace sirtkit::clinical
