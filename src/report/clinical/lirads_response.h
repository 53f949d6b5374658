#pragma once
// Text and JSON of LI-RADS v2018 treatment response (`sirtkit response lirads`):
// per patient and scan, the patient category and each observation's.

#include <string>
#include <vector>

#include "clinical/response/lirads_tr.h"

namespace sirtkit::report {

struct LiradsPatient {
  std::string patient_id;
  std::vector<clinical::LrTrScan> scans;
  std::vector<clinical::LrTrPatientScan> aggregated;
};

std::string lirads_text(const std::vector<LiradsPatient>& r);
std::string lirads_json(const std::vector<LiradsPatient>& r);

}  // namespace sirtkit::report
