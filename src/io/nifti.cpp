#include "io/nifti.h"

#include <itkImage.h>
#include <itkImageFileReader.h>
#include <itkImageFileWriter.h>
#include <itkNiftiImageIO.h>
#include <nifti1_io.h>

#include <cmath>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/format.h"
#include "io/itk_image.h"

namespace sirtkit::io {
namespace {

template <typename T>
typename ItkImage<T>::Pointer read_itk(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) fail_io(path.string(), "file not found");
  auto reader = itk::ImageFileReader<ItkImage<T>>::New();
  reader->SetImageIO(itk::NiftiImageIO::New());
  reader->SetFileName(path.string());
  try {
    reader->Update();
  } catch (const itk::ExceptionObject& e) {
    fail_io(path.string(), std::string("not a readable NIfTI image: ") + e.GetDescription());
  }
  return reader->GetOutput();
}

template <typename T, typename U>
void write_itk(const std::filesystem::path& path, const image::Volume<U>& v) {
  const auto img = to_itk<T>(v);

  AtomicPath out(path);
  auto writer = itk::ImageFileWriter<ItkImage<T>>::New();
  writer->SetImageIO(itk::NiftiImageIO::New());
  writer->SetFileName(out.temp().string());
  writer->SetInput(img);
  try {
    writer->Update();
  } catch (const itk::ExceptionObject& e) {
    fail_io(path.string(), std::string("cannot write NIfTI: ") + e.GetDescription());
  }
  out.commit();
}

// ITK's reader, and niftilib underneath it, turn NaN and Inf into 0, which
// would hide a broken reconstruction. So floating-point files are scanned as
// stored: niftilib reads the header, znzlib the raw (possibly gzipped) voxels.
template <typename T>
long first_non_finite(znzFile fp, size_t count, bool swap) {
  std::vector<T> chunk(1 << 16);
  size_t done = 0;
  while (done < count) {
    const size_t n = std::min(chunk.size(), count - done);
    if (znzread(chunk.data(), sizeof(T), n, fp) != n) return -2;
    if (swap) nifti_swap_Nbytes(n, sizeof(T), chunk.data());
    for (size_t i = 0; i < n; ++i)
      if (!std::isfinite(chunk[i])) return static_cast<long>(done + i);
    done += n;
  }
  return -1;
}

void refuse_non_finite(const std::filesystem::path& path, const image::Grid& g) {
  nifti_image* nim = nifti_image_read(path.c_str(), 0);
  if (!nim) fail_io(path.string(), "niftilib cannot read the header");
  const int datatype = nim->datatype;
  const size_t count = nim->nvox;
  const bool swap = nim->byteorder != nifti_short_order();
  const long offset = static_cast<long>(nim->iname_offset);
  const std::string data_file = nim->iname ? nim->iname : path.string();
  nifti_image_free(nim);
  if (datatype != DT_FLOAT32 && datatype != DT_FLOAT64) return;
  znzFile fp = znzopen(data_file.c_str(), "rb", nifti_is_gzfile(data_file.c_str()));
  if (znz_isnull(fp)) fail_io(data_file, "cannot open the voxel data");
  long bad = znzseek(fp, offset, SEEK_SET) < 0 ? -2
             : datatype == DT_FLOAT32        ? first_non_finite<float>(fp, count, swap)
                                             : first_non_finite<double>(fp, count, swap);
  znzclose(fp);
  if (bad == -2) fail_io(data_file, "voxel data shorter than the header says");
  if (bad >= 0) {
    const size_t n = static_cast<size_t>(bad), sx = g.size[0], sy = g.size[1];
    fail_input(path.string(), "voxel (" + std::to_string(n % sx) + ", " + std::to_string((n / sx) % sy) + ", " +
                                  std::to_string(n / (sx * sy)) + ")",
               "nan or inf", "image values must be finite");
  }
}

}  // namespace

image::Volume<float> read_nifti_float(const std::filesystem::path& path) {
  auto img = read_itk<float>(path);
  image::Volume<float> v(grid_of(*img));
  const float* buffer = img->GetBufferPointer();
  std::copy(buffer, buffer + v.data.size(), v.data.begin());
  refuse_non_finite(path, v.grid);
  return v;
}

image::LabelMap read_nifti_labels(const std::filesystem::path& path) {
  auto img = read_itk<double>(path);
  image::LabelMap v(grid_of(*img));
  refuse_non_finite(path, v.grid);
  const double* buffer = img->GetBufferPointer();
  for (size_t n = 0; n < v.data.size(); ++n) {
    const double x = buffer[n];
    if (!std::isfinite(x) || x != std::round(x) || x < 0 || x > 2147483647.0) {
      const auto& s = v.grid.size;
      const size_t i = n % s[0], j = (n / s[0]) % s[1], k = n / (static_cast<size_t>(s[0]) * s[1]);
      fail_input(path.string(), "voxel (" + std::to_string(i) + ", " + std::to_string(j) + ", " + std::to_string(k) + ")",
                 num(x), "a label map holds non-negative whole numbers");
    }
    v.data[n] = static_cast<int>(x);
  }
  return v;
}

void write_nifti(const std::filesystem::path& path, const image::Volume<float>& volume) {
  write_itk<float>(path, volume);
}

void write_nifti(const std::filesystem::path& path, const image::LabelMap& labels) {
  write_itk<int>(path, labels);
}

}  // namespace sirtkit::io
