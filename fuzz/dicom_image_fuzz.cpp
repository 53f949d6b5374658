// A DICOM file as an image series: `sirtkit dicom info` and `dicom to-nifti`
// (header parsing, geometry, pixel decoding through ITK/GDCM behind the guards).
#include "fuzz_support.h"
#include "pipelines/dicom/dicom_jobs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sirtkit;
  const auto dir = fuzz::fresh_dir("series");
  fuzz::write_input(dir / "image.dcm", data, size);
  fuzz::expect_clean_refusal([&] { pipelines::dicom_info(dir); });
  fuzz::expect_clean_refusal([&] { pipelines::dicom_to_nifti(dir, fuzz::scratch_dir() / "image.nii.gz", ""); });
  return 0;
}
