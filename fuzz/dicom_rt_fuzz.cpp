// A DICOM file as RTSTRUCT and as SEG, rasterised onto a small oblique grid
// (the readers' own checks of frame of reference and geometry included).
#include "fuzz_support.h"
#include "io/dicom/dicom_seg.h"
#include "io/dicom/rtstruct.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sirtkit;
  const auto file = fuzz::write_input(fuzz::scratch_dir() / "object.dcm", data, size);
  image::Grid grid;
  grid.size = {7, 5, 4};
  grid.spacing_mm = {2.0, 2.5, 3.0};
  grid.origin_mm = {-10, -8, -6};
  fuzz::expect_clean_refusal([&] { io::read_rtstruct(file, grid); });
  fuzz::expect_clean_refusal([&] { io::read_dicom_seg(file, grid); });
  return 0;
}
