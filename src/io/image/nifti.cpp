#include "io/image/nifti.h"
#include "core/text.h"

#include <itkImage.h>
#include <itkImageFileReader.h>
#include <itkImageFileWriter.h>
#include <itkNiftiImageIO.h>
#include <nifti1_io.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <mutex>
#include <string_view>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/format.h"
#include "core/input_file.h"
#include "io/image/itk_image.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;

// The NIfTI file-name forms niftilib knows (nifti1_io.c, nifti_find_file_extension),
// longest first so that "ct.nii.gz" loses ".nii.gz", not ".gz".
constexpr std::array<std::string_view, 6> kExtensions{".nii.gz", ".hdr.gz", ".img.gz", ".nii", ".hdr", ".img"};


std::string_view extension_of(const std::string& name) {
  const std::string l = ascii_lower(name);
  for (std::string_view e : kExtensions)
    if (l.size() > e.size() && l.compare(l.size() - e.size(), e.size(), e) == 0) return e;
  return {};
}

// niftilib, under ITK's reader, finds a file by its base name: asked for
// ct.nii.gz it opens ct.nii when both exist (nifti_findhdrname tries the
// plain extension first), and an Analyze pair .hdr/.img is joined by name.
// A stale sibling would then be read instead of the file the user named,
// silently. So a name is refused when another NIfTI file shares its base name
// (in either letter case), except the other half of the file's own .hdr/.img
// pair, and then only one such half.
void refuse_ambiguous_name(const fs::path& path) {
  const std::string name = path.filename().string();
  const std::string_view ext = extension_of(name);
  const std::string base = name.substr(0, name.size() - ext.size());
  const bool header = ext.rfind(".hdr", 0) == 0, data = ext.rfind(".img", 0) == 0;
  std::vector<fs::path> partners, others;
  for (std::string_view e : kExtensions) {
    std::string upper(e);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (const std::string& variant : {std::string(e), upper}) {
      const fs::path candidate = path.parent_path() / (base + variant);
      std::error_code ec;
      if (!fs::exists(candidate, ec) || fs::equivalent(candidate, path, ec)) continue;
      if (std::find(others.begin(), others.end(), candidate) != others.end() ||
          std::find(partners.begin(), partners.end(), candidate) != partners.end())
        continue;  // a case-insensitive file system shows one file under both spellings
      const bool partner = (header && e.rfind(".img", 0) == 0) || (data && e.rfind(".hdr", 0) == 0);
      (partner ? partners : others).push_back(candidate);
    }
  }
  if (partners.size() > 1) others.push_back(partners[1]);
  if (others.empty()) return;
  fail_input(path.string(), "file name", "'" + others.front().string() + "' lies beside it",
             "another NIfTI file with the same base name would be read in its place (the NIfTI reader resolves "
             "names by base name); remove or rename one of the two files");
}

template <typename T>
typename ItkImage<T>::Pointer read_itk(const std::filesystem::path& path) {
  require_input_file(path);
  refuse_ambiguous_name(path);
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

// True when the file's header reads and its (possibly gzipped) stream holds
// the header, padding and every voxel: the byte count niftilib says it must.
bool written_completely(const std::filesystem::path& path, std::size_t voxels) {
  nifti_image* nim = nifti_image_read(path.c_str(), 0);
  if (!nim) return false;
  const std::size_t expected = static_cast<std::size_t>(nim->iname_offset) + nim->nvox * static_cast<std::size_t>(nim->nbyper);
  const bool voxels_match = nim->nvox == voxels;
  nifti_image_free(nim);
  if (!voxels_match) return false;
  znzFile fp = znzopen(path.c_str(), "rb", nifti_is_gzfile(path.c_str()));
  if (znz_isnull(fp)) return false;
  std::vector<char> chunk(1 << 16);
  std::size_t total = 0;
  for (;;) {
    const size_t n = znzread(chunk.data(), 1, chunk.size(), fp);
    if (n == 0) break;
    if (n > chunk.size()) {  // gzread's −1: a damaged or truncated stream
      total = 0;
      break;
    }
    total += n;
  }
  znzclose(fp);
  return total >= expected;
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
  // ITK's NIfTI writer (niftilib over zlib) only prints a short write (a
  // full disk) to stderr: read the file back before it is put in place.
  if (!written_completely(out.temp(), v.data.size()))
    fail_io(path.string(), "the NIfTI file could not be read back completely after writing (disk full?)");
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

// One NIfTI read or write at a time in the process. The server encodes
// volumes from several request threads at once; niftilib (nifti1_io.c) keeps
// process-wide state, and under load one of five concurrent volume requests
// of the browser test failed (422) once. The cause is not proven; NIfTI I/O
// takes milliseconds on these volumes, so serialising it costs little.
std::mutex& nifti_io_mutex() {
  static std::mutex m;
  return m;
}

}  // namespace

image::Volume<float> read_nifti_float(const std::filesystem::path& path) {
  std::lock_guard lock(nifti_io_mutex());
  auto img = read_itk<float>(path);
  image::Volume<float> v(grid_of(*img));
  const float* buffer = img->GetBufferPointer();
  std::copy(buffer, buffer + v.data.size(), v.data.begin());
  refuse_non_finite(path, v.grid);
  return v;
}

image::LabelMap read_nifti_labels(const std::filesystem::path& path) {
  std::lock_guard lock(nifti_io_mutex());
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
  std::lock_guard lock(nifti_io_mutex());
  write_itk<float>(path, volume);
}

void write_nifti(const std::filesystem::path& path, const image::LabelMap& labels) {
  std::lock_guard lock(nifti_io_mutex());
  write_itk<int>(path, labels);
}

}  // namespace sirtkit::io
