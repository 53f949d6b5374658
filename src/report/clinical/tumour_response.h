#pragma once
// Text and JSON of tumour response by RECIST 1.1, mRECIST, EASL or iRECIST
// (`sirtkit response`): per patient the time points, best overall response
// (unconfirmed and confirmed) and landmark responses, then ORR and DCR.

#include <optional>
#include <string>
#include <vector>

#include "clinical/response/best_response.h"
#include "clinical/response/irecist.h"
#include "clinical/response/landmark_response.h"
#include "clinical/response/recist.h"

namespace sirtkit::report {

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

std::string response_text(const ResponseReport& r);
std::string response_json(const ResponseReport& r);

}  // namespace sirtkit::report
