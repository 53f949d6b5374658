#include "dosimetry/voxel/kernel_convolution.h"

#include <fftw3.h>

#include <algorithm>
#include <chrono>
#include <complex>
#include <cstring>
#include <mutex>

#include "core/error.h"

namespace sirtkit::dosimetry {
namespace {

// FFTW's planner is not thread-safe; every plan is made under this lock.
std::mutex& planner_mutex() {
  static std::mutex m;
  return m;
}

void init_threads_once() {
  static std::once_flag once;
  std::call_once(once, [] { fftwf_init_threads(); });
}

struct FftwFree {
  void operator()(void* p) const { fftwf_free(p); }
};

}  // namespace

struct KernelConvolution::Plans {
  std::unique_ptr<float, FftwFree> real;
  std::unique_ptr<fftwf_complex, FftwFree> spectrum;
  fftwf_plan forward = nullptr;
  fftwf_plan inverse = nullptr;
  size_t real_count = 0;
  size_t complex_count = 0;

  Plans(const std::array<int, 3>& p, int threads, bool measure) {
    // FFTW is row-major with the last index fastest: (z, y, x).
    real_count = static_cast<size_t>(p[0]) * p[1] * p[2];
    complex_count = static_cast<size_t>(p[2]) * p[1] * (p[0] / 2 + 1);
    real.reset(static_cast<float*>(fftwf_malloc(sizeof(float) * real_count)));
    spectrum.reset(static_cast<fftwf_complex*>(fftwf_malloc(sizeof(fftwf_complex) * complex_count)));
    if (!real || !spectrum) throw Error(ErrorCategory::internal, "out of memory for the FFT buffers");
    init_threads_once();
    std::lock_guard lock(planner_mutex());
    fftwf_plan_with_nthreads(threads);
    const unsigned flags = measure ? FFTW_MEASURE : FFTW_ESTIMATE;
    forward = fftwf_plan_dft_r2c_3d(p[2], p[1], p[0], real.get(), spectrum.get(), flags);
    inverse = fftwf_plan_dft_c2r_3d(p[2], p[1], p[0], spectrum.get(), real.get(), flags);
    if (!forward || !inverse) throw Error(ErrorCategory::internal, "FFTW could not plan the transform");
  }
  ~Plans() {
    std::lock_guard lock(planner_mutex());
    if (forward) fftwf_destroy_plan(forward);
    if (inverse) fftwf_destroy_plan(inverse);
  }
};

int KernelConvolution::good_fft_size(int n) {
  for (int m = std::max(1, n);; ++m) {
    int r = m;
    for (int f : {2, 3, 5, 7})
      while (r % f == 0) r /= f;
    if (r == 1) return m;
  }
}

KernelConvolution::KernelConvolution(const std::array<int, 3>& size, const DoseKernel& kernel, int threads,
                                     bool measure)
    : size_(size) {
  for (int d = 0; d < 3; ++d) padded_[d] = good_fft_size(size[d] + kernel.half[d]);
  plans_ = std::make_unique<Plans>(padded_, std::max(1, threads), measure);

  // Kernel centred at the origin, negative offsets wrapped to the far end.
  float* r = plans_->real.get();
  std::memset(r, 0, sizeof(float) * plans_->real_count);
  for (int dz = -kernel.half[2]; dz <= kernel.half[2]; ++dz)
    for (int dy = -kernel.half[1]; dy <= kernel.half[1]; ++dy)
      for (int dx = -kernel.half[0]; dx <= kernel.half[0]; ++dx) {
        const int x = (dx + padded_[0]) % padded_[0], y = (dy + padded_[1]) % padded_[1],
                  z = (dz + padded_[2]) % padded_[2];
        r[(static_cast<size_t>(z) * padded_[1] + y) * padded_[0] + x] += kernel.at(dx, dy, dz);
      }
  fftwf_execute(plans_->forward);
  // FFTW's inverse is unnormalised; fold 1/N into the kernel spectrum.
  const double norm = 1.0 / static_cast<double>(plans_->real_count);
  kernel_spectrum_.resize(plans_->complex_count);
  const fftwf_complex* s = plans_->spectrum.get();
  for (size_t i = 0; i < plans_->complex_count; ++i) kernel_spectrum_[i] = static_cast<float>(s[i][0] * norm);
}

KernelConvolution::~KernelConvolution() = default;

void KernelConvolution::apply(const std::vector<float>& in, std::vector<float>& out) {
  const long nx = size_[0], ny = size_[1], nz = size_[2];
  if (in.size() != static_cast<size_t>(nx * ny * nz)) throw Error(ErrorCategory::internal, "KernelConvolution: input size mismatch");
  float* r = plans_->real.get();
  const long px = padded_[0], py = padded_[1], pz = padded_[2];
  // Copy in and zero only the padding: one pass over the buffer, not two.
#pragma omp parallel for schedule(static)
  for (long z = 0; z < pz; ++z) {
    float* plane = r + z * py * px;
    if (z >= nz) {
      std::memset(plane, 0, sizeof(float) * py * px);
      continue;
    }
    for (long y = 0; y < ny; ++y) {
      std::memcpy(plane + y * px, in.data() + (z * ny + y) * nx, sizeof(float) * nx);
      std::memset(plane + y * px + nx, 0, sizeof(float) * (px - nx));
    }
    std::memset(plane + ny * px, 0, sizeof(float) * (py - ny) * px);
  }
  fftwf_execute(plans_->forward);
  fftwf_complex* s = plans_->spectrum.get();
  const float* k = kernel_spectrum_.data();
  const long complex_count = static_cast<long>(plans_->complex_count);
#pragma omp parallel for schedule(static)
  for (long i = 0; i < complex_count; ++i) {
    s[i][0] *= k[i];
    s[i][1] *= k[i];
  }
  fftwf_execute(plans_->inverse);
  out.resize(in.size());
  float peak = 0, most_negative = 0;
#pragma omp parallel for schedule(static) reduction(max : peak) reduction(min : most_negative)
  for (long z = 0; z < nz; ++z)
    for (long y = 0; y < ny; ++y) {
      const float* src = r + (z * py + y) * px;
      float* dst = out.data() + (z * ny + y) * nx;
      for (long x = 0; x < nx; ++x) {
        const float v = src[x];
        peak = std::max(peak, v);
        most_negative = std::min(most_negative, v);
        dst[x] = std::max(v, 0.0f);
      }
    }
  if (-most_negative > 1e-5f * peak)
    throw Error(ErrorCategory::internal, "KernelConvolution: negative output beyond FFT round-off");
}

double KernelConvolution::time_raw_roundtrip_s(const std::array<int, 3>& padded, int threads, bool measure, int repeats) {
  Plans plans(padded, threads, measure);
  std::memset(plans.real.get(), 0, sizeof(float) * plans.real_count);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < repeats; ++i) {
    fftwf_execute(plans.forward);
    fftwf_execute(plans.inverse);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count() / repeats;
}

}  // namespace sirtkit::dosimetry
