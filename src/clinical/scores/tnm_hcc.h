#pragma once
// AJCC Cancer Staging Manual 8th edition (2017), hepatocellular carcinoma: T, N, M and
// the anatomic stage group. clinical-rules.md §2.7.

#include "clinical/rule_result.h"

namespace sirtkit::clinical {

struct TnmHccInput {
  int tumours = 1;                      // number of tumours (satellites, multifocal, intrahepatic metastases)
  double largest_cm = 0;                // greatest dimension of the largest tumour
  bool vascular_invasion = false;       // gross or microscopic (not major-branch)
  bool major_vessel_invasion = false;   // major branch of the portal or hepatic vein
  bool adjacent_organ_invasion = false; // direct invasion of organs other than the gallbladder,
                                        // or perforation of the visceral peritoneum
  bool regional_nodes = false;          // N1
  bool distant_metastasis = false;      // M1
};

// category = stage group ("IA" ... "IVB"); notes hold T, N, M; value = 1..7 in stage order.
RuleResult tnm_hcc(const TnmHccInput& in);
// The T category alone: "T1a", "T1b", "T2", "T3", "T4".
const char* tnm_hcc_t(const TnmHccInput& in);

}  // namespace sirtkit::clinical
