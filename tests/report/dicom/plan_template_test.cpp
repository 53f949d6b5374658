// report/dicom/plan_template.h: the plan file offered for a received study names
// the series it has and marks what it lacks as values to fill ('#!' lines).
#include "report/dicom/plan_template.h"

#include <gtest/gtest.h>

namespace sirtkit::report {
namespace {

io::ReceivedSeriesInfo series(const std::string& kind, const std::string& folder, const std::string& first_file = "") {
  io::ReceivedSeriesInfo s;
  s.kind = kind;
  s.folder = folder;
  s.objects = 2;
  s.first_file = first_file;
  return s;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(PlanTemplate, NamesTheCtNmAndRtstructSeriesReceived) {
  io::ReceivedStudyInfo s;
  s.folder = "study-0123456789abcdef";
  s.series = {series("ct", "ct-01"), series("nm", "nm-02"), series("rtstruct", "rtstruct-03", "rs.dcm"), series("pt", "pt-04")};
  const std::string t = plan_template(s);
  EXPECT_TRUE(has(t, "ct = \"ct-01\"\n")) << t;
  EXPECT_TRUE(has(t, "spect = \"nm-02\"\n")) << t;
  EXPECT_TRUE(has(t, "rtstruct = \"rtstruct-03/rs.dcm\"")) << t;
  EXPECT_TRUE(has(t, "pt-04 (PET) is listed by the workspace as a post-treatment image")) << t;
  EXPECT_FALSE(has(t, "several CT or NM series")) << t;
  EXPECT_FALSE(has(t, "No RTSTRUCT")) << t;
}

TEST(PlanTemplate, MissingSeriesAreLeftToFillAndSeveralCtsAreFlagged) {
  io::ReceivedStudyInfo s;
  s.folder = "study-0123456789abcdef";
  s.series = {series("ct", "ct-01"), series("ct", "ct-02")};
  const std::string t = plan_template(s);
  EXPECT_TRUE(has(t, "ct = \"ct-01\"\n")) << t;
  EXPECT_TRUE(has(t, "#! spect = \"\"  # no NM series was received")) << t;
  EXPECT_TRUE(has(t, "several CT or NM series")) << t;
  EXPECT_TRUE(has(t, "No RTSTRUCT was received")) << t;
  EXPECT_TRUE(has(t, "#! mask = \"\"")) << t;
}

}  // namespace
}  // namespace sirtkit::report
