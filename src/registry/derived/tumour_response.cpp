#include "registry/derived/tumour_response.h"
#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <iterator>
#include <map>
#include <optional>

#include "clinical/response/best_response.h"
#include "clinical/date.h"
#include "clinical/response/landmark_response.h"
#include "clinical/response/recist.h"
#include "core/csv_text.h"
#include "core/error.h"
#include "registry/store/schema.h"

namespace sirtkit::registry {

namespace {

// A clinical-engine message without the patient's lesion labels, organs
// (text columns) and dates: the reason a patient is excluded is printed.
std::string without_values(std::string msg, const std::vector<std::string>& texts) {
  auto is_alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  std::vector<std::string> sorted = texts;
  std::sort(sorted.begin(), sorted.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const auto& t : sorted) {
    if (t.empty()) continue;
    for (std::size_t at = msg.find(t); at != std::string::npos; at = msg.find(t, at)) {
      const bool word = (at == 0 || !is_alnum(msg[at - 1])) && (at + t.size() >= msg.size() || !is_alnum(msg[at + t.size()]));
      if (!word) {
        at += t.size();
        continue;
      }
      msg.replace(at, t.size(), "(text)");
      at += 6;
    }
  }
  // YYYY-MM-DD dates (shifted ones included).
  for (std::size_t i = 0; i + 10 <= msg.size(); ++i) {
    const std::string d = msg.substr(i, 10);
    bool date = d[4] == '-' && d[7] == '-';
    for (int k : {0, 1, 2, 3, 5, 6, 8, 9}) date = date && std::isdigit(static_cast<unsigned char>(d[k]));
    if (date) msg.replace(i, 10, "(date)");
  }
  return msg;
}

}  // namespace

ResponseCriteria parse_response_criteria(const std::string& name) {
  if (name == "recist" || name == "recist11" || name == "RECIST") return ResponseCriteria::recist11;
  if (name == "mrecist" || name == "mRECIST") return ResponseCriteria::mrecist;
  fail_input("response", "--criteria", name, "recist (RECIST 1.1) or mrecist");
}

namespace {

using namespace sirtkit::clinical;

struct PatientLesions {
  std::string pseudonym, study, site, arm;
  Date index;
  std::optional<int> first_treatment_day;
  std::map<int, LesionAssessment> scans;  // study day → lesions seen
};

std::optional<double> number(const Value& v) {
  if (!v) return std::nullopt;
  return std::stod(*v);
}

bool is_node(const std::string& organ) {
  const std::string o = ascii_lower(organ);
  return o.find("node") != std::string::npos || o.find("lymph") != std::string::npos;
}

// One stored measurement as the criteria read it (see the header).
LesionObservation observation(const std::string& label, const std::string& organ, const std::string& kind, const Value& longest,
                              const Value& short_axis, const Value& enhancing, ResponseCriteria criteria) {
  LesionObservation l;
  l.lesion_id = label;
  l.organ = organ;
  l.lymph_node = is_node(organ);
  l.kind = parse_lesion_kind(kind, "lesions.kind");
  l.where = "lesion_measurements";
  switch (l.kind) {
    case LesionKind::target: {
      const auto d = criteria == ResponseCriteria::mrecist ? number(enhancing) : l.lymph_node ? number(short_axis) : number(longest);
      if (d) l.diameter_mm = *d;
      else l.status = LesionStatus::not_evaluated;
      break;
    }
    case LesionKind::non_target: {
      const auto d = l.lymph_node ? number(short_axis) : number(longest);
      // RECIST 1.1 §4.3.2: a node is normal again under 10 mm short axis.
      const bool gone = d && (l.lymph_node ? *d < 10.0 : *d == 0.0);
      l.status = gone ? LesionStatus::absent : LesionStatus::present;
      break;
    }
    case LesionKind::new_lesion: l.status = LesionStatus::unequivocal; break;
  }
  return l;
}

std::string ady(Date date, Date reference) {  // ADaM study day: no day 0
  const int d = days_between(reference, date);
  return std::to_string(d >= 0 ? d + 1 : d);
}

// The patients of the study (or the one patient) in the caller's sites, in
// pseudonym order, with their first treatment day and lesion scans.
struct Cohort {
  std::map<std::string, PatientLesions> by_id;
  std::vector<std::string> order;
};

Cohort load_lesions(Store& store, const ResponseDerivationOptions& o) {
  Cohort c;
  auto& by_id = c.by_id;
  auto& order = c.order;
  Params params = {o.study, o.study, std::to_string(o.patient_id), std::to_string(o.patient_id)};
  const ResultSet pats = store.query(
      "SELECT p.id, p.pseudonym, st.code AS study, si.code AS site, a.code AS arm, p.index_date_shifted FROM patients p "
      "JOIN studies st ON st.id = p.study_id LEFT JOIN sites si ON si.id = p.site_id LEFT JOIN arms a ON a.id = p.arm_id "
      "WHERE (? = '' OR st.code = ?) AND (CAST(? AS BIGINT) = 0 OR p.id = CAST(? AS BIGINT))" + site_scope_sql(o.sites, params) +
          " ORDER BY p.pseudonym",
      params);
  for (std::size_t i = 0; i < pats.size(); ++i) {
    PatientLesions& p = by_id[*pats.at(i, "id")];
    p.pseudonym = *pats.at(i, "pseudonym");
    p.study = *pats.at(i, "study");
    p.site = pats.at(i, "site").value_or("");
    p.arm = pats.at(i, "arm").value_or("");
    p.index = parse_date(*pats.at(i, "index_date_shifted"), "index_date_shifted");
    order.push_back(*pats.at(i, "id"));
  }
  for (const auto& r : store.query("SELECT patient_id, MIN(start_day) FROM treatments GROUP BY patient_id").rows)
    if (auto it = by_id.find(*r[0]); it != by_id.end() && r[1]) it->second.first_treatment_day = std::stoi(*r[1]);
  const ResultSet ms = store.query(
      "SELECT l.patient_id, l.label, l.organ, l.kind, m.day, m.longest_diameter_mm, m.short_axis_mm, m.enhancing_diameter_mm "
      "FROM lesion_measurements m JOIN lesions l ON l.id = m.lesion_id ORDER BY l.patient_id, m.day, l.label");
  for (std::size_t i = 0; i < ms.size(); ++i) {
    auto it = by_id.find(*ms.at(i, "patient_id"));
    if (it == by_id.end()) continue;  // another study
    PatientLesions& p = it->second;
    const int day = std::stoi(*ms.at(i, "day"));
    LesionAssessment& a = p.scans[day];
    a.date = Date{p.index.days + day};
    a.lesions.push_back(observation(*ms.at(i, "label"), ms.at(i, "organ").value_or(""), *ms.at(i, "kind"), ms.at(i, "longest_diameter_mm"),
                                    ms.at(i, "short_axis_mm"), ms.at(i, "enhancing_diameter_mm"), o.criteria));
  }
  return c;
}

// One patient's ADRS rows: the response at each scan from the baseline on, best
// and confirmed best overall response, responder and disease-control flags, and
// the landmark responses. Bad input (raised by the criteria) excludes the patient.
std::vector<AdrsRecord> patient_rows(const PatientLesions& p, const ResponseDerivationOptions& o, const RecistOptions& ro,
                                     const Date& reference) {
  AdrsRecord base;
  base.studyid = p.study;
  base.usubjid = p.pseudonym;
  base.siteid = p.site;
  base.trt01p = p.arm;
  base.parcat1 = ro.criteria;
  base.trtsdt = to_iso(reference);
  std::vector<AdrsRecord> rows;
  // Baseline: the last scan on or before the reference date (RECIST 1.1
  // §3.2: as close as possible to the start of treatment); earlier
  // screening scans do not count.
  const int reference_day = p.first_treatment_day.value_or(0);
  auto baseline = p.scans.upper_bound(reference_day);
  if (baseline == p.scans.begin())
    fail_input("lesion_measurements", "scan", "day " + std::to_string(p.scans.begin()->first),
               "a baseline scan on or before the reference date (day " + std::to_string(reference_day) + ")");
  std::vector<LesionAssessment> as;
  for (auto it = std::prev(baseline); it != p.scans.end(); ++it) as.push_back(it->second);
  const RecistEvaluation ev = evaluate_recist(as, ro);
  std::vector<TimedResponse> tps;
  for (const auto& tp : ev.timepoints) {
    tps.push_back({tp.date, tp.overall});
    AdrsRecord r = base;
    r.paramcd = "OVRLRESP";
    r.param = "Overall Response by Investigator (" + ro.criteria + ")";
    r.avalc = response_name(tp.overall);
    r.aval = response_rank(tp.overall);
    r.adt = to_iso(tp.date);
    r.ady = ady(tp.date, reference);
    r.avisit = "DAY " + r.ady;
    rows.push_back(r);
  }
  BorOptions bo;
  bo.reference = reference;
  bo.sd_min_days = o.sd_min_days;
  bo.confirm_days = o.confirm_days;
  bo.non_target_only = ev.targets == 0;  // RECIST 1.1 Table 5: NON-CR/NON-PD, not SD
  auto best = [&](const char* paramcd, const std::string& param, const BestResponse& b) {
    AdrsRecord r = base;
    r.paramcd = paramcd;
    r.param = param;
    r.avalc = response_name(b.response);
    r.aval = response_rank(b.response);
    if (b.date) {
      r.adt = to_iso(*b.date);
      r.ady = ady(*b.date, reference);
    }
    rows.push_back(r);
    return b.response;
  };
  const Response bor = best("BOR", "Best Overall Response (" + ro.criteria + ")", best_overall_response(tps, bo));
  best("CBOR", "Best Confirmed Overall Response (" + ro.criteria + ", >= " + std::to_string(o.confirm_days) + " days)",
       confirmed_best_overall_response(tps, bo));
  auto flag = [&](const char* paramcd, const std::string& param, bool yes) {
    AdrsRecord r = base;
    r.paramcd = paramcd;
    r.param = param;
    r.avalc = yes ? "Y" : "N";
    r.aval = yes ? 1 : 0;
    rows.push_back(r);
  };
  const bool responder = bor == Response::cr || bor == Response::pr;
  flag("RSP", "Objective Response (BOR CR or PR)", responder);
  flag("DCR", "Disease Control (BOR CR, PR, SD or NON-CR/NON-PD)", responder || bor == Response::sd || bor == Response::non_cr_non_pd);
  if (!o.landmark_days.empty())
    for (const LandmarkResponse& l : landmark_responses(tps, reference, o.landmark_days, o.window_days)) {
      AdrsRecord r = base;
      r.paramcd = "LMRESP";
      r.param = "Response at Landmark (+/- " + std::to_string(o.window_days) + " days)";
      r.avalc = response_name(l.response);
      r.aval = response_rank(l.response);
      r.avisit = "DAY " + std::to_string(l.day);
      if (l.date) {
        r.adt = to_iso(*l.date);
        r.ady = ady(*l.date, reference);
      }
      rows.push_back(r);
    }
  return rows;
}

}  // namespace

ResponseDataSet derive_tumour_response(Store& store, const ResponseDerivationOptions& o) {
  require_current_schema(store);
  for (int d : o.landmark_days)
    if (d <= 0) fail_input("response", "--at-days", std::to_string(d), "landmark days after the reference date (> 0)");
  if (o.window_days < 0) fail_input("response", "--window-days", std::to_string(o.window_days), "0 or more days");
  const Cohort cohort = load_lesions(store, o);
  const RecistOptions ro = o.criteria == ResponseCriteria::mrecist ? mrecist_options() : recist11_options();
  ResponseDataSet out;
  out.criteria = ro.criteria;
  for (const auto& id : cohort.order) {
    const PatientLesions& p = cohort.by_id.at(id);
    if (p.scans.empty()) {
      out.excluded.emplace_back(p.pseudonym, "no lesion measurements");
      continue;
    }
    const Date reference{p.index.days + p.first_treatment_day.value_or(0)};
    std::vector<AdrsRecord> rows;
    try {
      rows = patient_rows(p, o, ro, reference);
    } catch (const Error& e) {
      if (e.category() != ErrorCategory::bad_input) throw;
      std::vector<std::string> texts;
      for (const auto& [day, scan] : p.scans)
        for (const auto& l : scan.lesions) texts.push_back(l.lesion_id), texts.push_back(l.organ);
      out.excluded.emplace_back(p.pseudonym, without_values(e.what(), texts));
      continue;
    }
    out.records.insert(out.records.end(), rows.begin(), rows.end());
  }
  return out;
}

std::string adrs_csv(const ResponseDataSet& data) {
  std::string s = "STUDYID,USUBJID,SITEID,TRT01P,PARAMCD,PARAM,PARCAT1,AVALC,AVAL,ADT,ADY,AVISIT,TRTSDT\n";
  const auto q = [](const std::string& v) { return csv_field(v); };
  for (const auto& r : data.records)
    s += q(r.studyid) + "," + q(r.usubjid) + "," + q(r.siteid) + "," + q(r.trt01p) + "," + r.paramcd + "," + q(r.param) + "," +
         q(r.parcat1) + "," + q(r.avalc) + "," + std::to_string(r.aval) + "," + r.adt + "," + r.ady + "," + q(r.avisit) + "," + r.trtsdt + "\n";
  return s;
}

}  // namespace sirtkit::registry
