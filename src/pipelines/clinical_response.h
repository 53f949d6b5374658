#pragma once
// `sirtkit response recist|mrecist lesions.csv`: lesion measurements per patient →
// time-point responses → best overall response (unconfirmed and confirmed).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "clinical/best_response.h"
#include "clinical/irecist.h"
#include "clinical/landmark_response.h"
#include "clinical/recist.h"
#include "pipelines/clinical_tables.h"

namespace sirtkit::pipelines {

struct ResponseOptions {
  std::string criteria = "recist";  // recist | mrecist | easl | irecist
  int sd_min_days = 42;
  int confirm_days = 28;
  int max_ne_between = 1;
  bool accept_sd_between = false;
  std::vector<int> landmark_days;  // e.g. 90, 180, 270, 360: response at these days after start
  int window_days = 30;            // ± window around each landmark
  bool index_lesion_only = false;  // evaluate only the lesion flagged in column index_lesion
};

struct PatientResponse {
  std::string patient_id;
  clinical::RecistEvaluation evaluation;
  clinical::Date reference;
  clinical::BestResponse bor, confirmed_bor;
  std::vector<clinical::LandmarkResponse> landmarks;
  std::optional<clinical::IRecistEvaluation> irecist;  // criteria irecist only
  clinical::IBestResponse ibor;
};

struct ResponseReport {
  std::string criteria;
  ResponseOptions options;
  std::vector<PatientResponse> patients;
};

// Lesion CSV: patient_id, date, lesion_id, kind (target|non_target|new), and optional organ,
// node (yes/no), diameter_mm (number, TSTM or NE), perpendicular_mm (EASL), status,
// typical_hcc (mRECIST new intrahepatic lesions), index_lesion (yes on one target per
// patient, used with index_lesion_only), treatment_start, slice_thickness_mm (baseline
// measurability: > 5 mm raises the minimum target size to twice the thickness).
ResponseReport response_from_csv(const CsvRows& csv, const ResponseOptions& opt);
ResponseReport run_response(const std::filesystem::path& lesions_csv, const ResponseOptions& opt);
std::string format_response_text(const ResponseReport& r);
std::string format_response_json(const ResponseReport& r);

}  // namespace sirtkit::pipelines
