#pragma once
// Time-to-event data sets derived from the registry, in the shape of a CDISC
// ADaM ADTTE data set (one row per subject and parameter; ADaM Basic Data
// Structure for Time-to-Event Analyses v1.0): STUDYID, USUBJID, SITEID, TRT01P,
// PARAMCD, PARAM, STARTDT, ADT, AVAL, AVALU, CNSR (0 = event, 1 = censored),
// EVNTDESC, CNSDTDSC. Dates are the registry's shifted dates.
//
// Endpoint rules:
//  - OS: event = death. Censored at the last date the patient was known
//    alive (latest dated record of any kind: follow-up, lab, imaging,
//    treatment, adverse event).
//  - PFS: event = first progression or death, whichever first. Without either,
//    censored at the last tumour assessment (latest lesion measurement), or at
//    the origin when there is none (FDA guidance "Clinical Trial Endpoints for
//    the Approval of Cancer Drugs and Biologics", 2018, Table A: censoring at
//    the last adequate assessment).
//  - TTP: event = first progression; deaths without progression are censored
//    at the last tumour assessment (same guidance: TTP censors deaths).
//  - Option: censor at resection or transplant (seed 001: "censored at the
//    time of surgery"): a surgery before the event censors at the surgery day.
// Origin: the index date (registration / randomisation) or the first treatment.
//
// Subject-level covariates added to every row (ADaM lets ADTTE carry ADSL
// variables): WORSTAE, the worst CTCAE grade of the patient's adverse events
// (0 = none recorded); TDOSE, the highest tumour absorbed dose of the
// patient's SIRT sessions (planned or verified); TDOSEGR, TDOSE against a
// threshold, e.g. 205 Gy (DOSISPHERE-01 personalised-dosimetry target, seed 001);
// NLDOSE, the highest mean absorbed dose to the perfused normal liver of the
// same sessions and source, and NLDOSEGR against its own threshold;
// and the baseline covariates of a Cox model, as stored (empty when not
// recorded): AGE (years at the index date), SEX, ECOG, CHILDPGH (Child-Pugh
// class), BCLC, PVI (portal vein invasion 0/1).

#include <optional>
#include <string>
#include <vector>

#include "registry/store/store.h"

namespace sirtkit::registry {

enum class Endpoint { os, pfs, ttp };
enum class Origin { index_date, first_treatment };
enum class DoseSource { planned, verified };
Endpoint parse_endpoint(const std::string& name);  // os | pfs | ttp
Origin parse_origin(const std::string& name);      // index | first-treatment

struct TteOptions {
  Endpoint endpoint = Endpoint::os;
  Origin origin = Origin::index_date;
  bool censor_at_surgery = false;
  std::string study;  // empty: every study
  DoseSource dose_source = DoseSource::planned;
  double dose_threshold_gy = 0;  // > 0: fill TDOSEGR (">=205 Gy" / "<205 Gy")
  // nullopt: every site; otherwise only patients whose site id is listed (the
  // server's site scoping, as registry/derived/patient_view.h's SiteScope).
  std::optional<std::vector<long long>> site_ids;
  // > 0: fill NLDOSEGR from NLDOSE, e.g. 150 Gy to the perfused normal liver.
  double normal_liver_threshold_gy = 0;
};

// Baseline covariates as stored (text; empty when not recorded).
struct Baseline {
  std::string age, sex, ecog, child_pugh_class, bclc_stage, portal_vein_invasion;
};

struct TteRecord {
  std::string studyid, usubjid, siteid, trt01p, paramcd, param, startdt, adt;
  int aval_days = 0;
  int cnsr = 1;
  std::string evntdesc, cnsdtdsc;
  int worst_ae_grade = 0;
  std::string tumour_dose_gy;  // as stored; empty when no SIRT dose recorded
  std::string dose_group;      // empty without threshold or dose
  std::string normal_liver_dose_gy;  // as stored (same source as the tumour dose); empty when none recorded
  std::string normal_liver_dose_group;  // empty without threshold or dose
  Baseline baseline;
};

struct TteDataSet {
  std::vector<TteRecord> records;
  // Patients left out, with the reason (e.g. no treatment when the origin is the first treatment).
  std::vector<std::pair<std::string, std::string>> excluded;
};

TteDataSet derive_time_to_event(Store& store, const TteOptions& options);

// AVAL in days, or in months of 365.25/12 days (the Julian year / 12, as R's
// lubridate and most SIRT papers report months).
std::string adtte_csv(const TteDataSet& data, bool months);

}  // namespace sirtkit::registry
