#include "pipelines/clinical/clinical_response.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

#include "clinical/rule_result.h"
#include "core/error.h"
#include "core/format.h"
#include "core/text.h"

namespace sirtkit::pipelines {
using namespace sirtkit::clinical;

namespace {


double parse_millimetres(const std::string& t, const std::string& where, const char* field) {
  double v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size() || !std::isfinite(v))
    fail_input(where, field, shown_value(t), "a number of millimetres");
  return v;
}

LesionStatus parse_status(const std::string& text, LesionKind kind, const std::string& where) {
  const std::string t = ascii_lower(trim(text));
  if (t == "ne" || t == "not_evaluated" || t == "not evaluated") return LesionStatus::not_evaluated;
  switch (kind) {
    case LesionKind::target:
      if (t.empty() || t == "measured") return LesionStatus::measured;
      if (t == "tstm" || t == "too_small" || t == "too small to measure") return LesionStatus::too_small;
      if (t == "absent" || t == "disappeared") return LesionStatus::absent;
      fail_input(where, "status", shown_value(text), "for a target: empty (measured), TSTM, absent or NE");
    case LesionKind::non_target:
      if (t == "present" || t == "persisting") return LesionStatus::present;
      if (t == "absent" || t == "disappeared") return LesionStatus::absent;
      if (t == "progression" || t == "pd" || t == "unequivocal_progression") return LesionStatus::progression;
      if (t == "increase" || t == "further_increase") return LesionStatus::increase;
      fail_input(where, "status", shown_value(text), "for a non-target: present, absent, progression, increase or NE");
    case LesionKind::new_lesion:
      if (t == "unequivocal" || t == "yes") return LesionStatus::unequivocal;
      if (t == "equivocal") return LesionStatus::equivocal;
      if (t == "increase" || t == "further_increase") return LesionStatus::increase;
      fail_input(where, "status", shown_value(text), "for a new lesion: unequivocal, equivocal or increase");
  }
  return LesionStatus::not_evaluated;
}

}  // namespace

namespace {

void check_options(const ResponseOptions& opt) {
  if (opt.criteria != "recist" && opt.criteria != "mrecist" && opt.criteria != "easl" && opt.criteria != "irecist")
    fail_input("response", "criteria", opt.criteria, "recist, mrecist, easl or irecist");
  if (opt.criteria == "irecist" && !opt.landmark_days.empty())
    fail_input("response irecist", "--at-days", std::to_string(opt.landmark_days.front()),
               "landmark responses are computed for recist, mrecist and easl only");
  if (opt.sd_min_days < 0 || opt.confirm_days < 0 || opt.max_ne_between < 0)
    fail_input("response", "options", "negative", "day counts and NE counts of 0 or more");
}

// The lesion CSV's columns: required ones by index, optional ones when present.
struct LesionColumns {
  std::size_t pid = 0, date = 0, id = 0, kind = 0;
  std::optional<std::size_t> organ, node, diam, status, start, perp, typical, index, slice;
};

LesionColumns lesion_columns(const CsvRows& csv, const ResponseOptions& opt) {
  LesionColumns c;
  c.pid = csv.column("patient") ? *csv.column("patient") : csv.require_column("patient_id");
  c.date = csv.require_column("date");
  c.id = csv.require_column("lesion_id");
  c.kind = csv.require_column("kind");
  c.organ = csv.column("organ"), c.node = csv.column("node"), c.diam = csv.column("diameter_mm"),
  c.status = csv.column("status"), c.start = csv.column("treatment_start"), c.perp = csv.column("perpendicular_mm"),
  c.typical = csv.column("typical_hcc"), c.index = csv.column("index_lesion"), c.slice = csv.column("slice_thickness_mm");
  if (opt.index_lesion_only && !c.index)
    fail_input(csv.source, "column", "index_lesion", "a column marking each patient's index lesion (yes)");
  if (opt.criteria == "easl" && !c.perp)
    fail_input(csv.source, "column", "perpendicular_mm", "EASL needs the perpendicular viable diameter of each target");
  if (csv.column("diameter")) fail_input(csv.source, "column", "diameter", "diameter_mm (the unit is part of the name)");
  return c;
}

// A row's lesion, its measures and flags; `status` receives the status text to parse
// (TSTM or NE given as the diameter become the status).
LesionObservation read_lesion(const std::vector<std::string>& row, const std::string& w, const LesionColumns& c,
                              std::string& status) {
  LesionObservation l;
  l.where = w;
  l.lesion_id = trim(row[c.id]);
  l.kind = parse_lesion_kind(trim(row[c.kind]), w + " kind");
  if (c.organ) l.organ = trim(row[*c.organ]);
  if (c.node && !trim(row[*c.node]).empty()) l.lymph_node = parse_yes_no(trim(row[*c.node]), w + " node");
  status = c.status ? trim(row[*c.status]) : "";
  const std::string diam = c.diam ? trim(row[*c.diam]) : "";
  const std::string dl = ascii_lower(diam);
  if (dl == "tstm" || dl == "ne") {
    if (!status.empty() && ascii_lower(status) != dl)
      fail_input(w, "status", shown_value(status), "consistent with diameter_mm " + diam);
    status = diam;
  } else if (!diam.empty()) {
    double v = 0;
    auto [p, ec] = std::from_chars(diam.data(), diam.data() + diam.size(), v);
    if (ec != std::errc() || p != diam.data() + diam.size() || !std::isfinite(v))
      fail_input(w, "diameter_mm", shown_value(diam), "a number of millimetres, TSTM or NE");
    l.diameter_mm = v;
  }
  if (c.perp && !trim(row[*c.perp]).empty()) l.perpendicular_mm = parse_millimetres(trim(row[*c.perp]), w, "perpendicular_mm");
  if (c.slice && !trim(row[*c.slice]).empty())
    l.slice_thickness_mm = parse_millimetres(trim(row[*c.slice]), w, "slice_thickness_mm");
  if (c.typical && !trim(row[*c.typical]).empty()) l.typical_hcc = parse_yes_no(trim(row[*c.typical]), w + " typical_hcc");
  return l;
}

// The file's rows grouped by patient (in file order) and date, with each
// patient's treatment start and index lesion as the rows give them.
struct LesionTable {
  std::vector<std::string> order;
  std::map<std::string, std::map<int, LesionAssessment>> by_patient;
  std::map<std::string, std::pair<Date, std::string>> start;           // patient → date, where
  std::map<std::string, std::string> first_where;                      // patient → "lesions.csv line N" of its first row
  std::map<std::string, std::pair<std::string, std::string>> index_of;  // patient → lesion id, where
};

LesionTable read_lesion_table(const CsvRows& csv, const LesionColumns& c, const ResponseOptions& opt) {
  LesionTable t;
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const auto& row = csv.rows[i];
    const std::string w = csv.where(i);
    const std::string pid = trim(row[c.pid]);
    if (pid.empty()) fail_input(w, "patient_id", "''", "a patient identifier");
    const Date d = parse_date(trim(row[c.date]), w + " date");
    std::string status;
    LesionObservation l = read_lesion(row, w, c, status);
    if (c.index && !trim(row[*c.index]).empty() && parse_yes_no(trim(row[*c.index]), w + " index_lesion")) {
      if (l.kind != LesionKind::target)
        fail_input(w, "index_lesion", "yes", "the index lesion must be a target lesion");
      auto [it, fresh] = t.index_of.emplace(pid, std::pair{l.lesion_id, w});
      if (!fresh && it->second.first != l.lesion_id)
        fail_input(w, "index_lesion", "(label not shown)",
                   "one index lesion per patient (" + it->second.second + " marks another lesion)");
    }
    // mRECIST: a new intrahepatic lesion with size and pattern needs no reader status; the rule decides
    if (l.kind == LesionKind::new_lesion && status.empty() && opt.criteria == "mrecist" && l.diameter_mm &&
        l.typical_hcc)
      status = "equivocal";
    l.status = parse_status(status, l.kind, w);
    if (l.kind == LesionKind::target && l.status == LesionStatus::measured && !l.diameter_mm)
      fail_input(w, "diameter_mm", "(missing)", "a measurement, TSTM or NE for a target lesion; sirtkit never assumes one");
    if (c.start && !trim(row[*c.start]).empty()) {
      const Date s = parse_date(trim(row[*c.start]), w + " treatment_start");
      auto [it, fresh] = t.start.emplace(pid, std::pair{s, w});
      if (!fresh && !(it->second.first == s))
        fail_input(w, "treatment_start", "(date not shown)",
                   "the same date on every row of the patient (" + it->second.second + " has another)");
    }
    if (!t.by_patient.count(pid)) {
      t.order.push_back(pid);
      t.first_where[pid] = w;
    }
    LesionAssessment& a = t.by_patient[pid][d.days];
    a.date = d;
    a.lesions.push_back(std::move(l));
  }
  return t;
}

// Index-lesion response: the flagged target alone (non-targets and new lesions are
// not part of a single lesion's response).
void keep_index_lesion(const LesionTable& t, const std::string& pid, std::vector<LesionAssessment>& as) {
  auto ix = t.index_of.find(pid);
  if (ix == t.index_of.end())
    fail_input(t.first_where.at(pid), "index_lesion", "(none)", "an index lesion marked yes for this row's patient");
  for (LesionAssessment& a : as) {
    std::vector<LesionObservation> keep;
    for (LesionObservation& l : a.lesions)
      if (l.lesion_id == ix->second.first) keep.push_back(std::move(l));
    a.lesions = std::move(keep);
  }
}

// One patient: time-point responses, then best, confirmed, landmark (and iRECIST) responses.
PatientResponse patient_response(const LesionTable& t, const std::string& pid, const std::vector<LesionAssessment>& as,
                                 const ResponseOptions& opt, const RecistOptions& ro) {
  PatientResponse p;
  p.patient_id = pid;
  try {
    if (opt.criteria == "irecist") {
      p.irecist = evaluate_irecist(as);
      p.evaluation = p.irecist->recist;
    } else {
      p.evaluation = evaluate_recist(as, ro);
    }
  } catch (const Error& e) {
    // The patient is named by the line of its first row (identifiers are patient data).
    throw Error(e.category(), "patient of " + t.first_where.at(pid) + ": " + e.what());
  }
  p.reference = p.evaluation.baseline_date;
  if (auto s = t.start.find(pid); s != t.start.end()) {
    p.reference = s->second.first;
    for (const auto& tp : p.evaluation.timepoints)
      if (tp.date < p.reference)
        fail_input(s->second.second, "treatment_start", "(date not shown)",
                   "on or before the patient's first follow-up assessment");
  }
  std::vector<TimedResponse> tps;
  for (const auto& tp : p.evaluation.timepoints) tps.push_back({tp.date, tp.overall});
  BorOptions bo;
  bo.reference = p.reference;
  bo.sd_min_days = opt.sd_min_days;
  bo.confirm_days = opt.confirm_days;
  bo.max_ne_between = opt.max_ne_between;
  bo.accept_sd_between = opt.accept_sd_between;
  bo.non_target_only = p.evaluation.targets == 0;
  p.bor = best_overall_response(tps, bo);
  p.confirmed_bor = confirmed_best_overall_response(tps, bo);
  if (!opt.landmark_days.empty()) p.landmarks = landmark_responses(tps, p.reference, opt.landmark_days, opt.window_days);
  if (p.irecist) p.ibor = irecist_best_response(p.irecist->timepoints, p.reference, opt.sd_min_days);
  return p;
}

}  // namespace

ResponseReport response_from_csv(const CsvRows& csv, const ResponseOptions& opt) {
  check_options(opt);
  const LesionColumns columns = lesion_columns(csv, opt);
  LesionTable table = read_lesion_table(csv, columns, opt);

  ResponseReport rep;
  rep.options = opt;
  // mRECIST (Lencioni & Llovet 2010) and EASL (Bruix 2001) share the lesion engine
  // with their own thresholds (clinical-rules.md §1.2, §1.3).
  RecistOptions ro = opt.criteria == "mrecist" ? mrecist_options()
                     : opt.criteria == "easl"  ? easl_options()
                                               : recist11_options();
  if (opt.criteria == "irecist") ro.criteria = "iRECIST";
  rep.criteria = ro.criteria + (opt.index_lesion_only ? " (index lesion)" : "");
  for (const std::string& pid : table.order) {
    std::vector<LesionAssessment> as;
    for (auto& [days, a] : table.by_patient[pid]) as.push_back(a);
    if (opt.index_lesion_only) keep_index_lesion(table, pid, as);
    rep.patients.push_back(patient_response(table, pid, as, opt, ro));
  }
  return rep;
}

ResponseReport run_response(const std::filesystem::path& lesions_csv, const ResponseOptions& opt) {
  return response_from_csv(read_csv(lesions_csv), opt);
}


}  // namespace sirtkit::pipelines
