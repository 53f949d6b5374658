#pragma once
// Radioembolization-induced liver disease (REILD): the laboratory part computed from
// bilirubin (and albumin) after each SIRT session, and the clinical part (ascites, no
// tumour progression, no biliary obstruction) taken from explicit flags, never inferred.
// clinical-rules.md §3.4.
//
// Definitions:
//  - gil_alzugaray: total bilirubin >= 3 mg/dL and ascites, appearing 4-8 weeks (days
//    28-56) after SIRT (Sangro B et al., Cancer 2008;112:1538; operational thresholds of
//    Gil-Alzugaray B et al., Hepatology 2013;57:1078 [R]), without tumour progression or
//    biliary obstruction.
//  - braat: jaundice with hyperbilirubinemia (> ULN) and hypoalbuminemia (< LLN) and new or
//    increased ascites, 2 weeks - 4 months (days 14-120) after SIRT, without tumour
//    progression or biliary obstruction (Braat MNGJA et al., Eur J Gastroenterol Hepatol
//    2017;29:144).

#include <optional>
#include <string>
#include <vector>

#include "clinical/date.h"

namespace sirtkit::clinical {

enum class ReildDefinition { gil_alzugaray, braat };
ReildDefinition parse_reild_definition(const std::string& text);  // gil-alzugaray | braat

struct ReildLab {
  Date date;
  double value = 0;                // bilirubin mg/dL or albumin g/dL
  std::optional<double> lln, uln;  // same unit
};

struct ReildCase {
  std::string patient_id;
  Date treatment;                       // SIRT session
  std::vector<ReildLab> bilirubin;      // mg/dL
  std::vector<ReildLab> albumin;        // g/dL
  std::optional<bool> ascites;          // new or increased ascites after the session
  std::optional<bool> tumour_progression;
  std::optional<bool> biliary_obstruction;
};

struct ReildResult {
  std::string patient_id;
  Date treatment;
  std::string definition;
  std::string verdict;                // "REILD", "no REILD", "undetermined"
  std::optional<bool> lab_criterion;  // empty: not decidable (e.g. no result in the window)
  std::optional<Date> lab_date;       // first date the laboratory criterion was met
  std::vector<std::string> reasons;
};

ReildResult assess_reild(const ReildCase& c, ReildDefinition def);

}  // namespace sirtkit::clinical
