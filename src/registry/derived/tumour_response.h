#pragma once
// Tumour response per patient derived from the lesion measurements of the
// registry through the clinical engine (clinical/response/recist.h, best_response.h,
// landmark_response.h), in the shape of a CDISC ADaM ADRS data set (one row
// per subject, parameter and time point): STUDYID, USUBJID, SITEID, TRT01P,
// PARAMCD, PARAM, PARCAT1 (criteria), AVALC, AVAL, ADT, ADY, AVISIT, TRTSDT.
//
// Parameters:
//   OVRLRESP  overall time-point response of each follow-up scan
//   BOR       best overall response (RECIST 1.1 §4.4, no confirmation)
//   CBOR      best overall response with CR/PR confirmed >= 28 days later
//   RSP       objective response: BOR is CR or PR (Y/N)
//   DCR       disease control: BOR is CR, PR, SD or NON-CR/NON-PD (Y/N)
//   LMRESP    response at a landmark day after the reference date (AVISIT "DAY 90")
// AVAL of a response is admiralonco's order (CR 1, PR 2, SD 3, NON-CR/NON-PD 4,
// PD 5, NE 6, MISSING 7); of a Y/N flag 1/0. ADY counts as ADaM does (the
// reference day is day 1, the day before it day -1).
//
// What the registry stores per lesion and scan is read as:
//   target      RECIST 1.1: longest diameter (lymph nodes, organ naming a node:
//               short axis); mRECIST: enhancing (viable) diameter. A missing
//               value is "not evaluated".
//   non_target  present; absent when its longest diameter is 0 (a node: short
//               axis < 10 mm).
//   new         an unequivocal new lesion at that scan.
// The reference date (TRTSDT) is the first treatment, or the index date for a
// patient without treatment; the baseline is the last scan on or before it
// (RECIST 1.1 §3.2), later scans are the follow-up time points. Patients
// without measurements, or whose measurements the criteria refuse (e.g. a
// target under 10 mm at baseline), are listed as excluded with the reason.

#include <string>
#include <utility>
#include <vector>

#include "registry/derived/patient_view.h"
#include "registry/store/store.h"

namespace sirtkit::registry {

enum class ResponseCriteria { recist11, mrecist };
ResponseCriteria parse_response_criteria(const std::string& name);  // recist | mrecist

struct ResponseDerivationOptions {
  ResponseCriteria criteria = ResponseCriteria::recist11;
  std::vector<int> landmark_days;  // e.g. 90, 180: LMRESP rows
  int window_days = 30;            // ± window around each landmark
  int sd_min_days = 42;            // SD counts for BOR only >= this many days after the reference
  int confirm_days = 28;           // CBOR: confirmation interval
  std::string study;               // empty: every study
  long long patient_id = 0;        // > 0: this patient only (the server's response on save)
  SiteScope sites;                 // nullopt: every site (the server's site scoping)
};

struct AdrsRecord {
  std::string studyid, usubjid, siteid, trt01p, paramcd, param, parcat1, avalc;
  int aval = 0;
  std::string adt;  // shifted date; empty when no assessment
  std::string ady;  // empty when no assessment
  std::string avisit;
  std::string trtsdt;
};

struct ResponseDataSet {
  std::string criteria;  // "RECIST 1.1" or "mRECIST"
  std::vector<AdrsRecord> records;
  std::vector<std::pair<std::string, std::string>> excluded;  // pseudonym, reason
};

ResponseDataSet derive_tumour_response(Store& store, const ResponseDerivationOptions& options);

std::string adrs_csv(const ResponseDataSet& data);

}  // namespace sirtkit::registry
