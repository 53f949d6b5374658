// A DICOM file through the de-identifier. Besides the clean-refusal rule, the
// output must stay inside its folder: after every run the scratch folder may
// hold only the input and output folders.
#include "fuzz_support.h"
#include "pipelines/dicom/dicom_jobs.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sirtkit;
  const auto root = fuzz::fresh_dir("deid");
  const auto in = root / "in";
  const auto out = root / "out";
  std::filesystem::create_directories(in);
  fuzz::write_input(in / "file.dcm", data, size);
  static const auto key = fuzz::write_input(fuzz::scratch_dir() / "deid.key",
                                            reinterpret_cast<const std::uint8_t*>("fuzz-key-0123456789abcdef0123456789abcdef"), 40);
  fuzz::expect_clean_refusal([&] { pipelines::dicom_deid(in, out, key.string()); });
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (entry.path() != in && entry.path() != out) {
      std::fprintf(stderr, "fuzz finding: deid wrote outside its output folder\n");
      std::abort();
    }
  }
  return 0;
}
