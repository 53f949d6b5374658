// Verification of the demo patient against "delivered" images made from its
// own planning SPECT: rescaled, shifted, or turned into a quantitative PET.
#include "pipelines/planning/verify_patient.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>

#include "../../io/dicom_fixture.h"
#include "core/error.h"
#include "io/image/nifti.h"
#include "physics/y90.h"
#include "pipelines/planning/phantom.h"

namespace sirtkit::pipelines {
namespace {

namespace fs = std::filesystem;

class VerifyDemo : public ::testing::Test {
 protected:
  static fs::path dir() { return fs::temp_directory_path() / ("sirtkit_verify_" + std::to_string(::getpid())); }
  static void SetUpTestSuite() {
    fs::remove_all(dir());
    write_phantom(dir());
  }
  static const VoiComparison& voi(const VerifyOutcome& v, const std::string& name) {
    for (const auto& c : v.vois)
      if (c.name == name) return c;
    throw std::runtime_error("no VOI " + name);
  }
};

TEST_F(VerifyDemo, RescaledImageGivesThePlannedDoseAndTheScale) {
  auto spect = io::read_nifti_float(dir() / "maa_spect.nii.gz");
  for (float& c : spect.data) c *= 7.25f;
  io::write_nifti(dir() / "post_scaled.nii.gz", spect);
  VerifyOptions o;
  o.delivered = dir() / "post_scaled.nii.gz";
  const VerifyOutcome v = verify_patient(read_plan_file(dir() / "plan.toml"), o);
  const double a = v.plan.result.evaluation.administered_gbq[0];
  EXPECT_NEAR(v.delivered.region_gbq, a, 1e-4 * a);
  // The scale is recovered: GBq per count of the rescaled image is 1/7.25 of the planning one.
  double region_counts = 0;
  const auto planning = io::read_nifti_float(dir() / "maa_spect.nii.gz");
  const auto& liver = v.plan.model.voi("liver").mask;
  const auto& lungs = v.plan.model.voi("lungs").mask;
  for (std::size_t i = 0; i < planning.data.size(); ++i)
    if (liver.data[i] || lungs.data[i]) region_counts += planning.data[i];
  EXPECT_NEAR(v.delivered.gbq_per_unit * 7.25 * region_counts, a, 1e-4 * a);
  // Same distribution: the delivered tumour dose equals the planned one, up to the
  // counts of the non-perfused liver, which the plan leaves out and the SPECT keeps.
  EXPECT_NEAR(voi(v, "index tumour").delivered_mean_gy, voi(v, "index tumour").planned_mean_gy, 0.03 * 250);
  ASSERT_TRUE(v.tumour_dose.has_value());
  EXPECT_EQ(v.tumour_dose->n, 2);
  ASSERT_EQ(v.tn.size(), 2u);
  EXPECT_NEAR(v.tn[0].delivered, v.tn[0].planned, 0.05 * v.tn[0].planned);
}

TEST_F(VerifyDemo, ShiftedImageIsRegisteredBack) {
  // Move the SPECT by (+2, −1, +3) voxels: the same patient imaged 8.84, −4.42, 13.26 mm off.
  const auto spect = io::read_nifti_float(dir() / "maa_spect.nii.gz");
  image::Volume<float> shifted(spect.grid, 0.f);
  const auto& s = spect.grid.size;
  for (int k = 0; k < s[2]; ++k)
    for (int j = 0; j < s[1]; ++j)
      for (int i = 0; i < s[0]; ++i) {
        const int ti = i + 2, tj = j - 1, tk = k + 3;
        if (ti < s[0] && tj >= 0 && tk < s[2]) shifted.at(ti, tj, tk) = 3.0f * spect.at(i, j, k);
      }
  io::write_nifti(dir() / "post_shifted.nii.gz", shifted);
  VerifyOptions o;
  o.delivered = dir() / "post_shifted.nii.gz";
  o.register_images = true;
  const VerifyOutcome v = verify_patient(read_plan_file(dir() / "plan.toml"), o);
  ASSERT_TRUE(v.registration.has_value());
  const auto p = v.registration->apply({0, 0, 0});
  EXPECT_NEAR(p[0], 8.84, 1.5);
  EXPECT_NEAR(p[1], -4.42, 1.5);
  EXPECT_NEAR(p[2], 13.26, 1.5);
  EXPECT_NEAR(voi(v, "index tumour").delivered_mean_gy, voi(v, "index tumour").planned_mean_gy, 0.05 * 250);
}

TEST_F(VerifyDemo, QuantitativePetIsDecayCorrectedToTheInjection) {
  // A PET 20 h after injection showing the planned activity distribution in Bq/mL.
  VerifyOptions base;
  base.delivered = dir() / "maa_spect.nii.gz";
  const VerifyOutcome spect = verify_patient(read_plan_file(dir() / "plan.toml"), base);
  const double a = spect.plan.result.evaluation.administered_gbq[0];
  const auto counts = io::read_nifti_float(dir() / "maa_spect.nii.gz");
  image::Volume<float> pet(counts.grid, 0.f);
  const double decay = physics::decay_factor(20.0, 64.1);
  for (std::size_t i = 0; i < pet.data.size(); ++i)
    pet.data[i] = static_cast<float>(counts.data[i] * spect.delivered.gbq_per_unit * 1e9 * decay / counts.grid.voxel_volume_ml());
  io::write_nifti(dir() / "post_pet.nii.gz", pet);
  VerifyOptions o;
  o.delivered = dir() / "post_pet.nii.gz";
  o.modality = PostModality::pet;
  o.hours_after_injection = 20.0;
  const VerifyOutcome v = verify_patient(read_plan_file(dir() / "plan.toml"), o);
  EXPECT_NEAR(v.delivered.region_gbq, a, 1e-4 * a);
  EXPECT_NEAR(voi(v, "index tumour").delivered_mean_gy, voi(spect, "index tumour").delivered_mean_gy, 1e-3 * 250);
  o.hours_after_injection.reset();
  EXPECT_THROW(verify_patient(read_plan_file(dir() / "plan.toml"), o), Error);
}

TEST_F(VerifyDemo, DicomPetInSuvIsConvertedAndDecayCorrected) {
  // The quantitative PET of the previous test as a DICOM PET series in SUVbw,
  // decay-corrected to its start 20 h after injection (DecayCorrection START).
  VerifyOptions base;
  base.delivered = dir() / "maa_spect.nii.gz";
  const VerifyOutcome spect = verify_patient(read_plan_file(dir() / "plan.toml"), base);
  const auto counts = io::read_nifti_float(dir() / "maa_spect.nii.gz");
  const double injected_bq = 1.5e9, weight_kg = 70;  // the fixture writes 1.5 GBq; weight below
  image::Volume<float> suv(counts.grid, 0.f);
  const double decay = physics::decay_factor(20.0, 64.1);
  for (std::size_t i = 0; i < suv.data.size(); ++i)
    suv.data[i] = static_cast<float>(counts.data[i] * spect.delivered.gbq_per_unit * 1e9 * decay / counts.grid.voxel_volume_ml() /
                                     (injected_bq / (weight_kg * 1000)));
  io::fixture::SeriesSpec pt;
  pt.modality = "PT";
  pt.sop_class = UID_PositronEmissionTomographyImageStorage;
  float max_suv = 0;
  for (float x : suv.data) max_suv = std::max(max_suv, x);
  const double slope = max_suv / 30000.0;  // int16 storage with the full range used
  pt.slope = [slope](int) { return slope; };
  const fs::path folder = dir() / "pet_dicom";
  fs::create_directories(folder);
  for (const auto& f : io::fixture::write_slices(folder, suv, pt))
    io::fixture::edit_file(f, [&](DcmDataset& ds) {
      ds.putAndInsertOFStringArray(DCM_Units, "GML");
      ds.putAndInsertOFStringArray(DCM_PatientWeight, "70");
    });
  VerifyOptions o;
  o.delivered = folder;
  o.modality = PostModality::pet;
  o.hours_after_injection = 20.0;
  const VerifyOutcome v = verify_patient(read_plan_file(dir() / "plan.toml"), o);
  const double a = v.plan.result.evaluation.administered_gbq[0];
  EXPECT_NEAR(v.delivered.region_gbq, a, 2e-3 * a);  // SUV quantised to 1/30000 of its maximum in the files
  EXPECT_NEAR(voi(v, "index tumour").delivered_mean_gy, voi(spect, "index tumour").delivered_mean_gy, 3e-3 * 250);
  o.hours_after_injection.reset();  // START needs the hours from injection
  EXPECT_THROW(verify_patient(read_plan_file(dir() / "plan.toml"), o), Error);
}

}  // namespace
}  // namespace sirtkit::pipelines
