#include "report/dicom/dicom_summaries.h"

#include <gtest/gtest.h>

#include <string>

namespace sirtkit::report {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(DicomSummariesRender, ContoursVolumeFromVoxelsAndTheUncheckedFrameNote) {
  DicomContours c;
  c.output = "labels.nii.gz";
  c.rois = {{4, "Square", 3, 75}};
  c.voxel_volume_ml = 0.002;
  CommandOutput o = dicom_contours_output(c);
  EXPECT_DOUBLE_EQ(o.json["rois"][0]["volume_ml"].get<double>(), 0.15);
  EXPECT_TRUE(has(o.text, "  label   4  Square                      3 contour(s)        0.15 mL\n")) << o.text;
  EXPECT_TRUE(has(o.text, "note: the reference is NIfTI")) << o.text;
  c.frame_of_reference_checked = true;
  EXPECT_FALSE(has(dicom_contours_output(c).text, "note:"));
}

TEST(DicomSummariesRender, DeidNamesRefusedInputsByIndexOnly) {
  io::DeidReport r;
  r.inputs = 3;
  r.files_written = 1;
  r.skipped_not_dicom = 1;
  r.refused = {{2, "burned-in annotation"}};
  const CommandOutput o = dicom_deid_output(r);
  EXPECT_TRUE(has(o.text, "de-identified 1 of 3 input file(s) -> OUT_DIR\n")) << o.text;
  EXPECT_TRUE(has(o.text, "  1 file(s) not DICOM, not copied\n  1 file(s) refused, not written:\n    input #2: burned-in annotation\n")) << o.text;
  EXPECT_FALSE(has(o.text, "pixel sample")) << o.text;
  EXPECT_EQ(o.json["refused"][0]["input"], 2);
}

TEST(DicomSummariesRender, JsonDocumentReplacesBytesThatAreNotUtf8OnlyWhenAsked) {
  const nlohmann::json j = {{"name", std::string("M\xDCLLER")}};
  EXPECT_THROW(json_document(j), nlohmann::json::type_error);
  EXPECT_EQ(json_document(j, true), "{\n  \"name\": \"M\xEF\xBF\xBDLLER\"\n}\n");
}

}  // namespace
}  // namespace sirtkit::report
