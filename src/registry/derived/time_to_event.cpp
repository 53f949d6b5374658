#include "registry/derived/time_to_event.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>

#include "clinical/date.h"
#include "core/csv_text.h"
#include "core/error.h"
#include "registry/derived/patient_view.h"
#include "registry/store/schema.h"

namespace sirtkit::registry {

Endpoint parse_endpoint(const std::string& name) {
  if (name == "os" || name == "OS") return Endpoint::os;
  if (name == "pfs" || name == "PFS") return Endpoint::pfs;
  if (name == "ttp" || name == "TTP") return Endpoint::ttp;
  fail_input("endpoint", "--endpoint", name, "os, pfs or ttp");
}

Origin parse_origin(const std::string& name) {
  if (name == "index" || name == "index-date") return Origin::index_date;
  if (name == "first-treatment") return Origin::first_treatment;
  fail_input("origin", "--origin", name, "index (registration/randomisation date) or first-treatment");
}

namespace {

struct PatientDays {
  std::string pseudonym, study, site, arm, index_shifted;
  Baseline baseline;
  std::optional<int> first_treatment, death, first_progression, first_surgery, last_assessment;
  int last_alive = 0;
  std::string surgery_kind;
  int worst_ae = 0;
  std::optional<double> tumour_dose;
  std::optional<double> normal_liver_dose;
};

// A dose as stored (15 significant digits, what SQLite gives back) and, with a
// threshold, its group: ">=205 Gy" or "<205 Gy".
void dose_and_group(const std::optional<double>& dose, double threshold_gy, std::string& text, std::string& group) {
  if (!dose) return;
  char b[32];
  std::snprintf(b, sizeof b, "%.15g", *dose);
  text = b;
  if (threshold_gy > 0) {
    std::snprintf(b, sizeof b, "%g", threshold_gy);
    group = (*dose >= threshold_gy ? ">=" : "<") + std::string(b) + " Gy";
  }
}

void latest(int& cur, const Value& v) {
  if (v) cur = std::max(cur, std::stoi(*v));
}

void earliest(std::optional<int>& cur, int v) {
  if (!cur || v < *cur) cur = v;
}

// The study's patients in the caller's sites, by patient id, and their ids in pseudonym order.
struct Cohort {
  std::map<std::string, PatientDays> by_id;
  std::vector<std::string> order;
};

Cohort load_patients(Store& store, const TteOptions& o) {
  Cohort c;
  auto& by_id = c.by_id;
  auto& order = c.order;
  std::string where = "(? = '' OR st.code = ?)";
  Params params{o.study, o.study};
  where += site_scope_sql(o.site_ids, params);
  const ResultSet pats = store.query(
      "SELECT p.id, p.pseudonym, st.code AS study, si.code AS site, a.code AS arm, p.index_date_shifted, p.age_years, p.sex, "
      "b.ecog, b.child_pugh_class, b.bclc_stage, b.portal_vein_invasion FROM patients p "
      "JOIN studies st ON st.id = p.study_id LEFT JOIN sites si ON si.id = p.site_id LEFT JOIN arms a ON a.id = p.arm_id "
      "LEFT JOIN baseline b ON b.patient_id = p.id WHERE " + where + " ORDER BY p.pseudonym",
      params);
  for (std::size_t i = 0; i < pats.size(); ++i) {
    PatientDays& p = by_id[*pats.at(i, "id")];
    p.pseudonym = *pats.at(i, "pseudonym");
    p.study = *pats.at(i, "study");
    p.site = pats.at(i, "site").value_or("");
    p.arm = pats.at(i, "arm").value_or("");
    p.index_shifted = *pats.at(i, "index_date_shifted");
    p.baseline = {pats.at(i, "age_years").value_or(""), pats.at(i, "sex").value_or(""), pats.at(i, "ecog").value_or(""),
                  pats.at(i, "child_pugh_class").value_or(""), pats.at(i, "bclc_stage").value_or(""),
                  pats.at(i, "portal_vein_invasion").value_or("")};
    order.push_back(*pats.at(i, "id"));
  }
  return c;
}

// Every day the registry knows of each patient: events, treatments, doses, adverse
// events, labs and tumour assessments (the last day known alive among them).
void collect_days(Store& store, const TteOptions& o, std::map<std::string, PatientDays>& by_id) {
  auto each = [&](const std::string& sql, auto&& f) {
    const ResultSet r = store.query(sql);
    for (const auto& row : r.rows) {
      auto it = by_id.find(*row[0]);
      if (it != by_id.end()) f(it->second, row);
    }
  };
  each("SELECT patient_id, kind, day FROM followup_events", [&](PatientDays& p, const std::vector<Value>& r) {
    const int day = std::stoi(*r[2]);
    const std::string& kind = *r[1];
    if (kind == "death") earliest(p.death, day);
    else if (kind == "progression") earliest(p.first_progression, day);
    else if (kind == "resection" || kind == "transplant") {
      if (!p.first_surgery || day < *p.first_surgery) p.surgery_kind = kind;
      earliest(p.first_surgery, day);
    }
    latest(p.last_alive, r[2]);
  });
  each("SELECT patient_id, start_day, end_day FROM treatments", [&](PatientDays& p, const std::vector<Value>& r) {
    earliest(p.first_treatment, std::stoi(*r[1]));
    latest(p.last_alive, r[1]);
    latest(p.last_alive, r[2]);
  });
  const std::string source = o.dose_source == DoseSource::planned ? "planned" : "verified";
  for (const auto& column_dose : {std::pair{source + "_tumour_dose_gy", &PatientDays::tumour_dose},
                                   std::pair{source + "_normal_liver_dose_gy", &PatientDays::normal_liver_dose}}) {
    // (no structured binding: clang 15, the fuzz build's compiler, cannot capture one in a lambda)
    const std::string& column = column_dose.first;
    std::optional<double> PatientDays::*const dose = column_dose.second;
    each("SELECT patient_id, " + column + " FROM treatments WHERE kind = 'sirt' AND " + column + " IS NOT NULL",
         [&](PatientDays& p, const std::vector<Value>& r) {
           const double d = std::stod(*r[1]);
           p.*dose = std::max((p.*dose).value_or(d), d);
         });
  }
  each("SELECT patient_id, grade FROM adverse_events", [&](PatientDays& p, const std::vector<Value>& r) {
    p.worst_ae = std::max(p.worst_ae, std::stoi(*r[1]));
  });
  each("SELECT patient_id, day FROM labs", [&](PatientDays& p, const std::vector<Value>& r) { latest(p.last_alive, r[1]); });
  each("SELECT patient_id, onset_day, resolved_day FROM adverse_events", [&](PatientDays& p, const std::vector<Value>& r) {
    latest(p.last_alive, r[1]);
    latest(p.last_alive, r[2]);
  });
  each("SELECT l.patient_id, m.day FROM lesion_measurements m JOIN lesions l ON l.id = m.lesion_id",
       [&](PatientDays& p, const std::vector<Value>& r) {
         const int day = std::stoi(*r[1]);
         p.last_assessment = std::max(p.last_assessment.value_or(day), day);
         latest(p.last_alive, r[1]);
       });
}

// The endpoint's event (and its description) or censoring day (and its
// description) of one patient, counted from day `origin`.
struct EndpointDay {
  std::optional<int> event;
  std::string evntdesc;
  int censor = 0;
  std::string cnsdtdsc;
};

EndpointDay endpoint_day(const PatientDays& p, const TteOptions& o, int origin) {
  std::optional<int> event;
  std::string evntdesc;
  // Event candidates after the origin.
  if (o.endpoint == Endpoint::os) {
    if (p.death) event = *p.death, evntdesc = "DEATH";
  } else {
    if (p.first_progression) event = *p.first_progression, evntdesc = "DISEASE PROGRESSION";
    if (o.endpoint == Endpoint::pfs && p.death && (!event || *p.death < *event)) event = *p.death, evntdesc = "DEATH";
  }
  // Censoring day without event.
  int censor = 0;
  std::string cnsdtdsc;
  if (o.endpoint == Endpoint::os) {
    censor = p.last_alive, cnsdtdsc = "LAST KNOWN ALIVE";
  } else if (p.last_assessment && *p.last_assessment > origin) {
    censor = *p.last_assessment, cnsdtdsc = "LAST TUMOR ASSESSMENT";
  } else {
    censor = origin, cnsdtdsc = "NO POST-BASELINE TUMOR ASSESSMENT";
  }
  if (o.endpoint == Endpoint::ttp && p.death && (!event || *p.death < *event)) {
    // TTP: a death without progression is not an event; censored at the last
    // assessment (never later than the death).
    event.reset();
    if (censor > *p.death) censor = *p.death, cnsdtdsc = "DEATH WITHOUT PROGRESSION";
  }
  if (o.censor_at_surgery && p.first_surgery && (!event || *p.first_surgery < *event)) {
    event.reset();
    censor = *p.first_surgery, cnsdtdsc = p.surgery_kind == "transplant" ? "TRANSPLANT" : "RESECTION";
  }
  return {event, evntdesc, censor, cnsdtdsc};
}

// One ADTTE row: the event or censoring on `day` counted from `origin`.
TteRecord tte_record(const PatientDays& p, const TteOptions& o, int origin, int day, const EndpointDay& d) {
  const char* paramcd = o.endpoint == Endpoint::os ? "OS" : o.endpoint == Endpoint::pfs ? "PFS" : "TTP";
  const char* param = o.endpoint == Endpoint::os    ? "Overall Survival (days)"
                      : o.endpoint == Endpoint::pfs ? "Progression-Free Survival (days)"
                                                    : "Time to Progression (days)";
  const clinical::Date index = clinical::parse_date(p.index_shifted, "index_date_shifted");
  TteRecord r;
  r.studyid = p.study;
  r.usubjid = p.pseudonym;
  r.siteid = p.site;
  r.trt01p = p.arm;
  r.paramcd = paramcd;
  r.param = param;
  r.startdt = clinical::to_iso(clinical::Date{index.days + origin});
  r.adt = clinical::to_iso(clinical::Date{index.days + day});
  r.aval_days = day - origin;
  r.cnsr = d.event ? 0 : 1;
  r.evntdesc = d.event ? d.evntdesc : "";
  r.cnsdtdsc = d.event ? "" : d.cnsdtdsc;
  r.worst_ae_grade = p.worst_ae;
  r.baseline = p.baseline;
  dose_and_group(p.tumour_dose, o.dose_threshold_gy, r.tumour_dose_gy, r.dose_group);
  dose_and_group(p.normal_liver_dose, o.normal_liver_threshold_gy, r.normal_liver_dose_gy, r.normal_liver_dose_group);
  return r;
}

}  // namespace

TteDataSet derive_time_to_event(Store& store, const TteOptions& o) {
  require_current_schema(store);
  Cohort cohort = load_patients(store, o);
  collect_days(store, o, cohort.by_id);
  TteDataSet out;
  for (const auto& id : cohort.order) {
    PatientDays& p = cohort.by_id[id];
    if (p.death) p.last_alive = *p.death;
    int origin = 0;
    if (o.origin == Origin::first_treatment) {
      if (!p.first_treatment) {
        out.excluded.emplace_back(p.pseudonym, "no treatment recorded (origin: first treatment)");
        continue;
      }
      origin = *p.first_treatment;
    }
    const EndpointDay d = endpoint_day(p, o, origin);
    const int day = d.event ? *d.event : d.censor;
    if (day < origin) {
      out.excluded.emplace_back(p.pseudonym, std::string(d.event ? "event" : "censoring") + " on day " + std::to_string(day) +
                                                 ", before the origin (day " + std::to_string(origin) + ")");
      continue;
    }
    out.records.push_back(tte_record(p, o, origin, day, d));
  }
  return out;
}

std::string adtte_csv(const TteDataSet& data, bool months) {
  std::string s = "STUDYID,USUBJID,SITEID,TRT01P,PARAMCD,PARAM,STARTDT,ADT,AVAL,AVALU,CNSR,EVNTDESC,CNSDTDSC,WORSTAE,TDOSE,TDOSEGR,"
                  "AGE,SEX,ECOG,CHILDPGH,BCLC,PVI,NLDOSE,NLDOSEGR\n";
  const auto q = [](const std::string& v) { return csv_field(v); };
  for (const auto& r : data.records) {
    char aval[32];
    if (months) std::snprintf(aval, sizeof aval, "%.6f", r.aval_days / (365.25 / 12.0));
    else std::snprintf(aval, sizeof aval, "%d", r.aval_days);
    std::string param = r.param;
    if (months) param.replace(param.find("(days)"), 6, "(months)");
    s += q(r.studyid) + "," + q(r.usubjid) + "," + q(r.siteid) + "," + q(r.trt01p) + "," + r.paramcd + "," + q(param) + "," +
         r.startdt + "," + r.adt + "," + aval + "," + (months ? "MONTHS" : "DAYS") + "," + std::to_string(r.cnsr) + "," +
         r.evntdesc + "," + q(r.cnsdtdsc) + "," + std::to_string(r.worst_ae_grade) + "," + r.tumour_dose_gy + "," + r.dose_group + "," +
         r.baseline.age + "," + r.baseline.sex + "," + r.baseline.ecog + "," + r.baseline.child_pugh_class + "," + r.baseline.bclc_stage +
         "," + r.baseline.portal_vein_invasion + "," + r.normal_liver_dose_gy + "," + r.normal_liver_dose_group + "\n";
  }
  return s;
}

}  // namespace sirtkit::registry
