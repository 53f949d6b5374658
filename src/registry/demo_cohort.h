#pragma once
// A deterministic synthetic cohort shaped like DOSISPHERE-01 (seed 001:
// Garin et al., J Nucl Med 2024, long-term OS analysis; modified ITT, n = 28
// per arm), as a REDCap raw export + data dictionary, for demonstrations and
// tests of the whole path import → derive → Kaplan-Meier. SYNTHETIC: no real
// patient; identifiers are "DEMO-001" ...
//
//  - arms "personalised" (>= 205 Gy to the index lesion) and "standard"
//    (120 +- 20 Gy to the treated volume), 28 each;
//  - baseline counts exactly as seed 001 Table 1 (Child-Pugh A5 22/22, A6/B7
//    6/6; ECOG 0 16/13; BCLC B 3/2, C 25/26; portal vein invasion 18/21;
//    no cirrhosis 4/4); age and tumour size normal with the Table 1 mean and SD
//    (the SDA age SD printed as 63.7 is taken as 10);
//  - overall survival exponential with median 24.8 vs 10.7 months (seed 001
//    Results), drawn on the quantile grid (i - 0.5)/28 so that the Kaplan-Meier
//    medians come out at about those values; accrual 2016-01 to 2017-06;
//    data cut-off 2022-01-31; 10 vs 1 secondary resections (seed 001).
//  - one index lesion (target, liver) measured 7 days before the SIRT and, for
//    patients alive then, at 3 months: longest diameter -45 % in 71 % vs 36 %
//    of patients (seed 001 index-lesion response), else -8 %; enhancing
//    (viable) diameter for mRECIST -70 % vs -10 %.

#include <string>

namespace sirtkit::registry {

struct DemoCohort {
  std::string data_csv;        // REDCap raw export
  std::string dictionary_csv;  // its data dictionary
  std::string key;             // a fixed demo key (synthetic data only; never use it for real data)
  int patients = 0;            // the rows of data_csv that open a patient (one per record_id)
};

DemoCohort make_demo_cohort();

}  // namespace sirtkit::registry
