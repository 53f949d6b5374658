#pragma once
// Response at landmark times (e.g. 3, 6, 9 and 12 months after treatment), as reported
// per patient in SIRT cohorts (seed 003): the time-point response of the assessment
// closest to each landmark within a window, with progression carried forward.

#include <optional>
#include <string>
#include <vector>

#include "clinical/response/best_response.h"

namespace sirtkit::clinical {

struct LandmarkResponse {
  int day = 0;                        // landmark, days after the reference date
  Response response = Response::missing;
  std::optional<Date> date;           // assessment used
  std::string reason;
};

// For each landmark L (days after `reference`): PD if the patient progressed before the
// window [L - window_days, L + window_days] opened; otherwise the overall response of the
// assessment closest to L inside the window (earlier one on ties; assessments after the
// first PD do not count); MISSING if there is none. Dates must be strictly increasing.
std::vector<LandmarkResponse> landmark_responses(const std::vector<TimedResponse>& tps, Date reference,
                                                 const std::vector<int>& landmark_days, int window_days);

}  // namespace sirtkit::clinical
