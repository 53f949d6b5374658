#pragma once
// RECIST 1.1 (Eisenhauer EA et al., Eur J Cancer 2009;45:228-247) from lesion-level
// measurements over time, with the EORTC clarifications (clinical-rules.md §1.1):
// baseline target selection rules, sum of diameters (nodes by short axis), nadir,
// "too small to measure" = 5 mm, non-target and new lesions, the overall time-point
// tables (Table 4 with target disease, Table 5 non-target only).
// The same engine evaluates mRECIST (viable, arterially enhancing diameters; Lencioni &
// Llovet 2010) and EASL (bidimensional viable tumour; Bruix et al. 2001) through the
// options in RecistOptions (recist11_options, mrecist_options, easl_options).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "clinical/date.h"
#include "clinical/response/response.h"

namespace sirtkit::clinical {

enum class LesionKind { target, non_target, new_lesion };
LesionKind parse_lesion_kind(std::string_view text, std::string_view field);  // target | non_target | new

enum class LesionStatus {
  measured,        // target: diameter_mm holds the measurement (0 = disappeared)
  too_small,       // target: "too small to measure" → 5 mm (RECIST 1.1 Appendix II)
  not_evaluated,   // any kind: not assessed at this time point
  present,         // non-target: persisting
  absent,          // non-target: disappeared (nodes: short axis < 10 mm)
  progression,     // non-target: unequivocal progression
  increase,        // iRECIST, after iUPD: a further increase of a non-target lesion (still
                   // progressed) or of a new lesion (unequivocal)
  equivocal,       // new lesion: equivocal (PD only once confirmed, dated to first appearance)
  unequivocal,     // new lesion: unequivocal → PD
};

struct LesionObservation {
  std::string lesion_id;
  LesionKind kind = LesionKind::target;
  std::string organ;         // targets: max 2 per organ; all lymph nodes count as one organ
  bool lymph_node = false;   // nodes are measured by short axis
  LesionStatus status = LesionStatus::measured;
  std::optional<double> diameter_mm;  // targets (longest diameter, or short axis for nodes);
                                      // mRECIST/EASL: longest viable (enhancing) diameter
  std::optional<double> perpendicular_mm;  // EASL: viable diameter perpendicular to diameter_mm
  std::optional<double> slice_thickness_mm;  // baseline CT/MR reconstruction; > 5 mm raises the
                                             // measurable minimum to 2 x slice thickness
  std::optional<bool> typical_hcc;    // mRECIST new intrahepatic lesion: arterial hyperenhancement
                                      // with washout (typical HCC pattern)
  std::string where;         // origin for messages ("lesions.csv line 4")
};

struct LesionAssessment {
  Date date;
  std::vector<LesionObservation> lesions;
};

struct RecistOptions {
  std::string criteria = "RECIST 1.1";
  bool require_abs_5mm = true;       // PD also needs +5 mm absolute (RECIST 1.1; mRECIST: false)
  double min_target_mm = 10.0;       // non-nodal target measurable at baseline (CT, slices <= 5 mm)
  double min_target_node_mm = 15.0;  // nodal target: short axis >= 15 mm
  int max_targets = 5;
  int max_targets_per_organ = 2;
  double pr_fraction = 0.30;         // PR: decrease of at least this fraction of the baseline sum
  double pd_fraction = 0.20;         // PD: increase of this fraction over the nadir ...
  bool pd_inclusive = true;          // ... "at least" (RECIST 20 %, mRECIST 20 %, EASL 25 %) or "more than"
  bool bidimensional = false;        // EASL: per-lesion product diameter × perpendicular (mm²)
  bool nodal_cr_below_10mm = true;   // a nodal target under 10 mm short axis counts as gone
  double porta_hepatis_node_min_mm = 0;   // mRECIST: porta hepatis node target needs SA >= 20 mm
  bool mrecist_new_liver_lesions = false; // mRECIST: new intrahepatic lesion PD only if >= 10 mm
                                          // with typical HCC pattern, or after >= 10 mm growth
};
RecistOptions recist11_options();
RecistOptions mrecist_options();
RecistOptions easl_options();

struct TimepointResponse {
  Date date;
  int day = 0;                           // days after baseline
  std::optional<double> sum;             // sum of target measures (unit in RecistEvaluation);
                                         // empty when a target lesion was not evaluated
  double evaluated_sum = 0;           // sum over the targets that were evaluated
  double nadir = 0;                   // smallest sum before this time point (incl. baseline)
  std::optional<double> change_from_baseline_pct, change_from_nadir_pct;
  Response target = Response::not_applicable;
  Response non_target = Response::not_applicable;
  bool new_lesions = false;
  Response overall = Response::ne;
  std::vector<std::string> reasons;
};

struct RecistEvaluation {
  std::string criteria;
  std::string unit = "mm";  // unit of the sums: "mm" (diameters) or "mm2" (EASL products)
  Date baseline_date;
  double baseline_sum = 0;
  int targets = 0, non_targets = 0;
  std::vector<TimepointResponse> timepoints;  // follow-up assessments, in date order
};

// The first assessment is the baseline. Bad input (bad_input naming lesion and value):
// dates not strictly increasing, a duplicate lesion in one assessment, no lesion at
// baseline, a target not measurable or over the 5 / 2-per-organ limits, a new lesion at
// baseline, a target or non-target at follow-up that was never seen at baseline, a lesion
// changing kind. A baseline lesion missing at follow-up is "not evaluated" (→ NE unless PD).
RecistEvaluation evaluate_recist(const std::vector<LesionAssessment>& assessments, const RecistOptions& opt = {});

// Overall time-point response from its components (RECIST 1.1 Tables 4 and 5).
Response overall_response(bool has_targets, Response target, Response non_target, bool new_lesions);

}  // namespace sirtkit::clinical
