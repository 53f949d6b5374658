#include "clinical/toxicity/ctcae_summary.h"

#include <algorithm>
#include <tuple>

#include "core/error.h"

namespace sirtkit::clinical {

std::vector<GradedRecord> grade_lab_records(const std::vector<LabRecord>& records, bool missing_baseline_is_normal) {
  using Key = std::pair<std::string, LabTest>;
  std::map<Key, const LabRecord*> baselines;
  std::map<std::tuple<std::string, LabTest, int>, const LabRecord*> seen;
  for (const LabRecord& r : records) {
    const Key k{r.patient_id, r.test};
    auto [it, fresh] = seen.emplace(std::tuple{r.patient_id, r.test, r.date.days}, &r);
    if (!fresh) {
      // No patient identifier or date in the message (they are patient data): the lines say it.
      fail_input(r.where, "date", "(same as " + it->second->where + ")",
                 std::string("one ") + lab_test_name(r.test) + " result per patient and date (duplicate time point)");
    }
    if (r.baseline) {
      auto [b, first] = baselines.emplace(k, &r);
      if (!first) {
        fail_input(r.where, "baseline", "yes",
                   std::string("one ") + lab_test_name(r.test) + " baseline per patient (" + b->second->where +
                       " is already this patient's baseline)");
      }
    }
  }
  // A patient's reference date for tests without their own baseline: the earliest baseline
  // date over all their tests.
  std::map<std::string, Date> patient_ref;
  for (const auto& [k, r] : baselines) {
    auto it = patient_ref.find(k.first);
    if (it == patient_ref.end() || r->date < it->second) patient_ref[k.first] = r->date;
  }
  std::vector<GradedRecord> out;
  out.reserve(records.size());
  for (const LabRecord& r : records) {
    LabValue v;
    v.test = r.test;
    v.value = r.value;
    v.unit = r.unit;
    v.lln = r.lln;
    v.uln = r.uln;
    v.anticoagulated = r.anticoagulated;
    GradedRecord g;
    g.record = r;
    auto b = baselines.find({r.patient_id, r.test});
    if (r.baseline) {
      // The baseline itself is graded against the reference range only: a baseline equal
      // to the ULN selects the "baseline normal" (×ULN) criteria.
      if (r.uln) {
        v.baseline = *r.uln;
        v.baseline_uln = *r.uln;
      } else {
        v.baseline = r.value;
      }
      g.day = 0;
    } else if (b != baselines.end()) {
      v.baseline = b->second->value;
      v.baseline_unit = b->second->unit;
      v.baseline_uln = b->second->uln;
      g.day = days_between(b->second->date, r.date);
    } else if (auto p = patient_ref.find(r.patient_id); p != patient_ref.end()) {
      g.day = days_between(p->second, r.date);
    }
    v.missing_baseline_is_normal = missing_baseline_is_normal;
    std::vector<LabGrade> grades;
    try {
      grades = grade_ctcae_v5_terms(v);
    } catch (const Error& e) {
      throw Error(e.category(), r.where + ": " + e.what());
    }
    for (LabGrade& lg : grades) {
      GradedRecord one = g;
      one.grade = std::move(lg);
      out.push_back(std::move(one));
    }
  }
  return out;
}

std::vector<WorstGrade> worst_grades(const std::vector<GradedRecord>& graded, std::optional<int> from_day,
                                     std::optional<int> to_day) {
  std::map<std::pair<std::string, std::string>, WorstGrade> by;
  std::vector<std::pair<std::string, std::string>> order;
  for (const GradedRecord& g : graded) {
    const std::pair<std::string, std::string> key{g.record.patient_id, g.grade.term};
    auto it = by.find(key);
    if (it == by.end()) {
      it = by.emplace(key, WorstGrade{g.record.patient_id, g.grade.term, {}, {}, 0, 0, {}}).first;
      order.push_back(key);
    }
    WorstGrade& w = it->second;
    if (g.record.baseline) {
      w.baseline_grade = g.grade.grade;
      continue;
    }
    // Post-baseline only: after the baseline date (records before it are screening values).
    if (!g.day || *g.day <= 0) continue;
    if (from_day && *g.day < *from_day) continue;
    if (to_day && *g.day > *to_day) continue;
    ++w.results;
    if (!g.grade.grade) {
      ++w.not_gradable;
      continue;
    }
    if (!w.grade || *g.grade.grade > *w.grade || (*g.grade.grade == *w.grade && g.record.date < *w.date)) {
      w.grade = g.grade.grade;
      w.date = g.record.date;
    }
  }
  std::vector<WorstGrade> out;
  for (const auto& k : order) out.push_back(by.at(k));
  std::stable_sort(out.begin(), out.end(), [](const WorstGrade& a, const WorstGrade& b) {
    return std::tie(a.patient_id, a.term) < std::tie(b.patient_id, b.term);
  });
  return out;
}

std::vector<AeTableRow> ae_table(const std::vector<WorstGrade>& worst) {
  std::map<std::string, AeTableRow> rows;
  for (const WorstGrade& w : worst) {
    AeTableRow& r = rows[w.term];
    r.term = w.term;
    if (!w.grade) continue;
    ++r.patients;
    if (*w.grade == 1 || *w.grade == 2) ++r.grade_1_2;
    else if (*w.grade == 3) ++r.grade_3;
    else if (*w.grade == 4) ++r.grade_4;
  }
  std::vector<AeTableRow> out;
  for (auto& [term, r] : rows) out.push_back(r);
  return out;
}

}  // namespace sirtkit::clinical
