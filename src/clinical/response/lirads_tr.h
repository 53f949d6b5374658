#pragma once
// LI-RADS v2018 CT/MRI Treatment Response categories (LR-TR) of treated observations,
// and their aggregation per patient and scan. clinical-rules.md §1.6.
// The category of each observation is the radiologist's call (the algorithm is visual);
// sirtkit checks and aggregates. The patient-level rule is sirtkit's convention (LI-RADS
// defines categories per observation only): Viable if any observation is viable; else
// Nonevaluable if any is nonevaluable; else Equivocal if any is equivocal; else
// Nonviable — the least certain category wins, as LI-RADS step 3 asks for a single
// observation.

#include <optional>
#include <string>
#include <vector>

#include "clinical/date.h"

namespace sirtkit::clinical {

enum class LrTr { nonviable, equivocal, nonevaluable, viable };
LrTr parse_lr_tr(const std::string& text, const std::string& where);  // nonviable | equivocal | nonevaluable | viable
const char* lr_tr_name(LrTr c);  // "LR-TR Nonviable", ...

struct LrTrObservation {
  std::string observation_id;
  LrTr category = LrTr::nonevaluable;
  std::optional<double> viable_mm;  // LR-TR Viable: largest dimension of viable tissue (step 2)
  std::string where;
};

struct LrTrScan {
  Date date;
  std::vector<LrTrObservation> observations;
};

struct LrTrPatientScan {
  Date date;
  LrTr patient_category = LrTr::nonevaluable;
  int viable = 0, equivocal = 0, nonevaluable = 0, nonviable = 0;
  double largest_viable_mm = 0;  // over viable observations with a measurement
};

// Scans must have strictly increasing dates and unique observation ids; viable_mm only on
// Viable observations (>= 0, <= 500 mm). Otherwise bad_input naming the row.
std::vector<LrTrPatientScan> aggregate_lr_tr(const std::vector<LrTrScan>& scans);

}  // namespace sirtkit::clinical
