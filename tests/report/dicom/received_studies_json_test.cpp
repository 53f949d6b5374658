// report/dicom/received_studies_json.h: the STOW-RS response in DICOM JSON
// (PS3.18 Table 10.5.3-2) and one entry of GET /api/dicom/studies.
#include "report/dicom/received_studies_json.h"

#include <gtest/gtest.h>

namespace sirtkit::report {
namespace {

io::StowInstanceResult instance(bool stored, const std::string& cls, const std::string& uid, std::uint16_t failure, const std::string& reason) {
  io::StowInstanceResult i;
  i.stored = stored;
  i.sop_class_uid = cls;
  i.sop_instance_uid = uid;
  i.failure = failure;
  i.reason = reason;
  return i;
}

// A stored object is referenced by class and instance; a refused one carries
// its FailureReason and the reason in words in SIRTKIT's private block; a part
// that could not be read has no UIDs to reference.
TEST(ReceivedStudiesJson, StowResponseReferencesStoredAndFailedInstances) {
  io::StowOutcome o;
  o.instances = {instance(true, "1.2.840.10008.5.1.4.1.1.2", "1.2.3.4", 0, ""),
                 instance(false, "", "", 0xC000, "not a DICOM file")};
  EXPECT_EQ(stow_response_json(o).dump(),
            R"({"00081198":{"Value":[{"00081197":{"Value":[49152],"vr":"US"},"00090010":{"Value":["SIRTKIT"],"vr":"LO"},)"
            R"("00091001":{"Value":["not a DICOM file"],"vr":"UT"}}],"vr":"SQ"},)"
            R"("00081199":{"Value":[{"00081150":{"Value":["1.2.840.10008.5.1.4.1.1.2"],"vr":"UI"},"00081155":{"Value":["1.2.3.4"],"vr":"UI"}}],"vr":"SQ"}})");
  // Nothing refused: no FailedSOPSequence at all.
  o.instances.pop_back();
  EXPECT_FALSE(stow_response_json(o).contains("00081198"));
  EXPECT_EQ(stow_response_json(io::StowOutcome{}).dump(), "{}");
}

TEST(ReceivedStudiesJson, StudyListsSeriesAndPlansAndNullSite) {
  io::ReceivedStudyInfo s;
  s.folder = "study-0123456789abcdef";
  s.last_received = "2026-12-06T07:00:00Z";
  io::ReceivedSeriesInfo ct;
  ct.folder = "ct-00000000000000aa";
  ct.kind = "ct";
  ct.objects = 3;
  ct.bytes = 1536;
  ct.last_received = "2026-12-06T06:59:00Z";
  s.series = {ct};
  EXPECT_EQ(received_study_json(s, {{"00112233445566ff", "plan.toml"}}).dump(),
            R"({"folder":"study-0123456789abcdef","last_received":"2026-12-06T07:00:00Z",)"
            R"("plans":[{"id":"00112233445566ff","plan_file":"plan.toml"}],)"
            R"("series":[{"bytes":1536,"folder":"ct-00000000000000aa","kind":"ct","last_received":"2026-12-06T06:59:00Z","objects":3}],"site":null})");
  s.site = "LYON";
  EXPECT_EQ(received_study_json(s, {})["site"], "LYON");
  EXPECT_TRUE(received_study_json(s, {})["plans"].empty());
}

}  // namespace
}  // namespace sirtkit::report
