// Planning from DICOM: the demo patient's CT as a CT series and its MAA SPECT
// as an NM tomography file give the same plan as the NIfTI originals.
#include <gtest/gtest.h>
#include <unistd.h>

#include "../../io/dicom_fixture.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "io/image/nifti.h"
#include "pipelines/planning/phantom.h"
#include "pipelines/planning/plan_patient.h"
#include "pipelines/planning/verify_patient.h"

namespace sirtkit::pipelines {
namespace {

namespace fs = std::filesystem;
namespace fx = io::fixture;

TEST(PlanDicom, SamePlanAsFromNifti) {
  const fs::path dir = fs::temp_directory_path() / ("sirtkit_plan_dicom_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  write_phantom(dir);
  fx::SeriesSpec ct_spec;
  ct_spec.intercept = -1024;  // stored = HU + 1024, as scanners write it
  fx::SeriesSpec nm_spec;
  nm_spec.study_uid = ct_spec.study_uid;
  nm_spec.frame_of_reference_uid = ct_spec.frame_of_reference_uid;  // a SPECT/CT shares its frame
  fs::create_directories(dir / "ct_dicom");
  fx::write_slices(dir / "ct_dicom", io::read_nifti_float(dir / "ct.nii.gz"), ct_spec);
  fx::write_nm_tomo(dir / "spect.dcm", io::read_nifti_float(dir / "maa_spect.nii.gz"), nm_spec);

  std::string text = read_text_file(dir / "plan.toml");
  auto swap = [&text](const std::string& from, const std::string& to) { text.replace(text.find(from), from.size(), to); };
  swap("ct = \"ct.nii.gz\"", "ct = \"ct_dicom\"");
  swap("spect = \"maa_spect.nii.gz\"", "spect = \"spect.dcm\"");
  write_file_atomic(dir / "plan_dicom.toml", text);

  const PlanOutcome nifti = plan_patient(read_plan_file(dir / "plan.toml"));
  const PlanOutcome dicom = plan_patient(read_plan_file(dir / "plan_dicom.toml"));
  EXPECT_NEAR(dicom.result.evaluation.administered_gbq[0], nifti.result.evaluation.administered_gbq[0], 1e-6);
  EXPECT_NEAR(dicom.model.lung_shunt.fraction, nifti.model.lung_shunt.fraction, 1e-9);
  EXPECT_NEAR(dicom.model.quantification.lung_mass_kg, nifti.model.quantification.lung_mass_kg, 1e-6);

  // A post-treatment SPECT in another frame of reference is registered without being asked.
  const auto planning = io::read_nifti_float(dir / "maa_spect.nii.gz");
  image::Volume<float> moved(planning.grid, 0.f);
  const auto& n = planning.grid.size;
  for (int k = 0; k + 2 < n[2]; ++k)
    for (int j = 0; j < n[1]; ++j)
      for (int i = 1; i < n[0]; ++i) moved.at(i - 1, j, k + 2) = planning.at(i, j, k);  // (−4.42, 0, +8.84) mm
  fx::SeriesSpec post = nm_spec;
  post.series_uid = fx::new_uid();
  post.frame_of_reference_uid = fx::new_uid();
  fx::write_nm_tomo(dir / "post.dcm", moved, post);
  VerifyOptions o;
  o.delivered = dir / "post.dcm";
  const VerifyOutcome v = verify_patient(read_plan_file(dir / "plan_dicom.toml"), o);
  ASSERT_TRUE(v.registration.has_value());
  const auto p = v.registration->apply({0, 0, 0});
  EXPECT_NEAR(p[0], -4.42, 1.5);
  EXPECT_NEAR(p[2], 8.84, 1.5);

  // A SPECT in another frame of reference is refused, naming the tag.
  nm_spec.frame_of_reference_uid = fx::new_uid();
  fx::write_nm_tomo(dir / "spect.dcm", io::read_nifti_float(dir / "maa_spect.nii.gz"), nm_spec);
  try {
    plan_patient(read_plan_file(dir / "plan_dicom.toml"));
    ADD_FAILURE();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("FrameOfReferenceUID"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sirtkit::pipelines

namespace sirtkit::pipelines {
namespace {

// A DICOM CT series is checked for HU after its rescale: a series whose
// rescale leaves air at 0 (HU + 1000 written with intercept 0) is refused,
// naming the folder and the values found, like a NIfTI CT.
TEST(PlanDicom, CtSeriesWithAirAtZeroIsRefused) {
  const fs::path dir = fs::temp_directory_path() / ("sirtkit_plan_dicom_offset_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  write_phantom(dir);
  image::Volume<float> ct = io::read_nifti_float(dir / "ct.nii.gz");
  for (float& v : ct.data) v += 1000.f;
  fx::SeriesSpec spec;  // intercept 0: the stored values are read as HU
  fs::create_directories(dir / "ct_dicom");
  fx::write_slices(dir / "ct_dicom", ct, spec);
  std::string text = read_text_file(dir / "plan.toml");
  text.replace(text.find("ct = \"ct.nii.gz\""), 16, "ct = \"ct_dicom\"");
  write_file_atomic(dir / "plan_dicom.toml", text);
  try {
    plan_patient(read_plan_file(dir / "plan_dicom.toml"));
    ADD_FAILURE() << "an HU + 1000 CT series was accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    const std::string m = e.what();
    EXPECT_NE(m.find("ct_dicom: values (read as HU) = 1st percentile 0, liver median 1060"), std::string::npos) << m;
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace sirtkit::pipelines
