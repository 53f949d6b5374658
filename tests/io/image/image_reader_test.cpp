#include "io/image/image_reader.h"

#include <gtest/gtest.h>

#include "../dicom_fixture.h"
#include "io/image/nifti.h"

namespace sirtkit::io {

TEST(ImageReader, ReadsDicomFoldersFilesAndNifti) {
  const auto dir = fixture::fresh_dir("image_reader");
  image::Volume<float> v(fixture::oblique_grid(3, 3, 4));
  for (std::size_t n = 0; n < v.data.size(); ++n) v.data[n] = static_cast<float>(n);
  fixture::SeriesSpec s;
  fixture::write_slices(dir, v, s);
  const auto a = read_image(dir);
  EXPECT_TRUE(a.from_dicom);
  EXPECT_EQ(a.units, "HU");
  EXPECT_EQ(a.frame_of_reference_uid, s.frame_of_reference_uid);
  EXPECT_EQ(a.volume.data, v.data);

  fixture::write_nm_tomo(dir.parent_path() / "sirtkit_test_image_reader_nm.dcm", v, s);
  const auto b = read_image(dir.parent_path() / "sirtkit_test_image_reader_nm.dcm");
  EXPECT_TRUE(b.from_dicom);
  EXPECT_EQ(b.volume.data, v.data);

  write_nifti(dir.parent_path() / "sirtkit_test_image_reader.nii.gz", v);
  const auto c = read_image(dir.parent_path() / "sirtkit_test_image_reader.nii.gz");
  EXPECT_FALSE(c.from_dicom);
  EXPECT_EQ(c.volume.data, v.data);
}

}  // namespace sirtkit::io
