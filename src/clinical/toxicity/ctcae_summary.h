#pragma once
// CTCAE v5.0 laboratory grading over patients and time: each result graded against
// the patient's baseline for that test, the worst post-baseline grade per patient and
// term, and the adverse-event table by term and grade (seed 002, Table 2 style).

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "clinical/toxicity/ctcae_lab.h"
#include "clinical/date.h"

namespace sirtkit::clinical {

struct LabRecord {
  std::string patient_id;
  Date date;
  LabTest test = LabTest::alt;
  double value = 0;
  std::string unit;
  std::optional<double> lln, uln;
  bool baseline = false;     // this record is the patient's baseline for the test
  std::optional<bool> anticoagulated;  // INR: on anticoagulation at this result (empty: not recorded)
  std::string where;         // "labs.csv line 7", for messages
};

struct GradedRecord {
  LabRecord record;
  LabGrade grade;            // baseline records are graded against ULN/LLN only
  std::optional<int> day;    // days after the baseline of this patient and test (or, for a test
                             // without its own baseline, after the patient's earliest baseline)
};

// Grades every record. Per patient and test: at most one baseline (else bad_input), no two
// records on the same date (duplicate time point → bad_input). Records without a baseline
// for their patient and test are graded without one (liver terms then not gradable); a
// patient without any baseline has no post-baseline results.
// One GradedRecord per record and CTCAE term (sodium, magnesium and calcium give two: the
// hypo and the hyper term). `missing_baseline_is_normal` as in LabValue.
std::vector<GradedRecord> grade_lab_records(const std::vector<LabRecord>& records,
                                            bool missing_baseline_is_normal = false);

struct WorstGrade {
  std::string patient_id;
  std::string term;
  std::optional<int> grade;  // worst post-baseline grade; empty if none was gradable
  std::optional<Date> date;  // first date the worst grade was reached
  int results = 0;           // post-baseline results considered
  int not_gradable = 0;      // of which not gradable
  std::optional<int> baseline_grade;
};

// Worst post-baseline grade per patient and term, optionally only for results whose day
// after baseline is within [from_day, to_day].
std::vector<WorstGrade> worst_grades(const std::vector<GradedRecord>& graded, std::optional<int> from_day = {},
                                     std::optional<int> to_day = {});

struct AeTableRow {
  std::string term;
  int patients = 0;  // patients with at least one gradable post-baseline result
  int grade_1_2 = 0, grade_3 = 0, grade_4 = 0;  // by worst grade (grade 5 is not lab-derivable)
};
std::vector<AeTableRow> ae_table(const std::vector<WorstGrade>& worst);

}  // namespace sirtkit::clinical
