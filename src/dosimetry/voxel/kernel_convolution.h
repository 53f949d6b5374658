#pragma once
// FFT convolution of a volume with a dose kernel, through FFTW (single
// precision, threaded). The volume is zero-padded to at least N + half per
// axis — enough that no voxel of the output receives a wrapped-around
// contribution — rounded up to a size with factors 2, 3, 5, 7 only. The
// kernel's spectrum is computed once per object and reused, so each apply()
// costs one forward and one inverse transform.

#include <array>
#include <memory>
#include <vector>

#include "dosimetry/voxel/dose_kernel.h"

namespace sirtkit::dosimetry {

class KernelConvolution {
 public:
  // `threads` ≥ 1; `measure` asks FFTW to time plans (slower to build, faster to run).
  KernelConvolution(const std::array<int, 3>& volume_size, const DoseKernel& kernel, int threads = 2,
                    bool measure = false);
  ~KernelConvolution();
  KernelConvolution(const KernelConvolution&) = delete;
  KernelConvolution& operator=(const KernelConvolution&) = delete;

  // out[v] = Σ_u in[u] · kernel[v − u]; `in` and `out` have the volume's size.
  // With non-negative input and kernel the exact result is non-negative, so
  // negative outputs are FFT round-off: they are set to zero, and an internal
  // error is raised if any is larger than 1e-5 of the maximum (a real bug).
  void apply(const std::vector<float>& in, std::vector<float>& out);

  const std::array<int, 3>& padded_size() const { return padded_; }

  // Smallest n' ≥ n whose only prime factors are 2, 3, 5 and 7.
  static int good_fft_size(int n);

  // Seconds for one raw forward + inverse transform of `padded_size`: the
  // physical limit a convolution is measured against in bench/.
  static double time_raw_roundtrip_s(const std::array<int, 3>& padded_size, int threads, bool measure, int repeats);

 private:
  struct Plans;
  std::array<int, 3> size_;
  std::array<int, 3> padded_;
  std::unique_ptr<Plans> plans_;
  std::vector<float> kernel_spectrum_;  // real: the kernel is even, so its spectrum is real
};

}  // namespace sirtkit::dosimetry
