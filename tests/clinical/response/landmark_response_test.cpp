#include "clinical/response/landmark_response.h"

#include <gtest/gtest.h>

#include "../expect_bad_input.h"

namespace sirtkit::clinical {
namespace {
const Date kRef = parse_date("2020-01-01", "d");
TimedResponse tr(int day, Response r) { return {Date{kRef.days + day}, r}; }
}  // namespace

TEST(LandmarkResponse, ClosestAssessmentInsideTheWindow) {
  const std::vector<TimedResponse> tps = {tr(60, Response::sd), tr(95, Response::pr), tr(170, Response::pr),
                                          tr(300, Response::sd)};
  const auto r = landmark_responses(tps, kRef, {90, 180, 270, 360}, 30);
  ASSERT_EQ(r.size(), 4u);
  EXPECT_EQ(r[0].response, Response::pr);  // day 95 is closer to 90 than day 60
  EXPECT_EQ(r[1].response, Response::pr);
  EXPECT_EQ(r[2].response, Response::sd);  // day 300 is 30 days from 270: inside
  EXPECT_EQ(r[3].response, Response::missing);  // nothing within 330-390
}

TEST(LandmarkResponse, WindowEdges) {
  // Window ±30 around 90: day 60 and 120 inside, 59 and 121 outside
  EXPECT_EQ(landmark_responses({tr(59, Response::pr)}, kRef, {90}, 30)[0].response, Response::missing);
  EXPECT_EQ(landmark_responses({tr(60, Response::pr)}, kRef, {90}, 30)[0].response, Response::pr);
  EXPECT_EQ(landmark_responses({tr(120, Response::pr)}, kRef, {90}, 30)[0].response, Response::pr);
  EXPECT_EQ(landmark_responses({tr(121, Response::pr)}, kRef, {90}, 30)[0].response, Response::missing);
  // Tie: days 80 and 100 → the earlier
  EXPECT_EQ(landmark_responses({tr(80, Response::sd), tr(100, Response::pr)}, kRef, {90}, 30)[0].response,
            Response::sd);
}

TEST(LandmarkResponse, ProgressionIsCarriedForward) {
  const std::vector<TimedResponse> tps = {tr(90, Response::pd), tr(180, Response::pr)};
  const auto r = landmark_responses(tps, kRef, {90, 180, 270}, 30);
  EXPECT_EQ(r[0].response, Response::pd);
  EXPECT_EQ(r[1].response, Response::pd);  // the PR after PD does not count
  EXPECT_EQ(r[2].response, Response::pd);
  // PD inside the window but farther than an earlier assessment
  EXPECT_EQ(landmark_responses({tr(85, Response::pr), tr(115, Response::pd)}, kRef, {90}, 30)[0].response,
            Response::pr);
}

TEST(LandmarkResponse, BadInput) {
  EXPECT_BAD_INPUT(landmark_responses({tr(90, Response::pr), tr(60, Response::pr)}, kRef, {90}, 30), "out of order");
  EXPECT_BAD_INPUT(landmark_responses({}, kRef, {0}, 30), "landmark", "0");
  EXPECT_BAD_INPUT(landmark_responses({}, kRef, {90}, -1), "window_days", "-1");
}

}  // namespace sirtkit::clinical
