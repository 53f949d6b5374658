#include "clinical/response/landmark_response.h"

#include <cstdlib>

#include "core/error.h"

namespace sirtkit::clinical {

std::vector<LandmarkResponse> landmark_responses(const std::vector<TimedResponse>& tps, Date reference,
                                                 const std::vector<int>& landmark_days, int window_days) {
  if (window_days < 0) fail_input("landmark response", "window_days", std::to_string(window_days), "0 or more days");
  for (size_t i = 1; i < tps.size(); ++i) {
    if (!(tps[i - 1].date < tps[i].date))
      fail_input("landmark response", "date", "(value not shown: a date)",
                 tps[i - 1].date == tps[i].date ? "duplicate time point" : "dates out of order");
  }
  std::optional<size_t> first_pd;
  for (size_t i = 0; i < tps.size() && !first_pd; ++i)
    if (tps[i].response == Response::pd) first_pd = i;
  std::vector<LandmarkResponse> out;
  for (int L : landmark_days) {
    if (L <= 0) fail_input("landmark response", "landmark", std::to_string(L), "a day after the reference date (> 0)");
    LandmarkResponse lr;
    lr.day = L;
    const int lo = L - window_days, hi = L + window_days;
    if (first_pd && days_between(reference, tps[*first_pd].date) < lo) {
      lr.response = Response::pd;
      lr.date = tps[*first_pd].date;
      lr.reason = "progressed on " + to_iso(tps[*first_pd].date) + ", before the window";
      out.push_back(lr);
      continue;
    }
    std::optional<size_t> best;
    const size_t end = first_pd ? *first_pd + 1 : tps.size();
    for (size_t i = 0; i < end; ++i) {
      const int d = days_between(reference, tps[i].date);
      if (d < lo || d > hi) continue;
      if (!best || std::abs(d - L) < std::abs(days_between(reference, tps[*best].date) - L)) best = i;
    }
    if (!best) {
      lr.response = Response::missing;
      lr.reason = "no assessment within " + std::to_string(window_days) + " days of day " + std::to_string(L);
    } else {
      lr.response = tps[*best].response;
      lr.date = tps[*best].date;
      lr.reason = "assessment on day " + std::to_string(days_between(reference, tps[*best].date));
    }
    out.push_back(lr);
  }
  return out;
}

}  // namespace sirtkit::clinical
