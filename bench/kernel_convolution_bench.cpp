// Dose-voxel-kernel convolution: sirtkit (FFTW, float, 2 threads) against
// SciPy's scipy.signal.fftconvolve on the same volume and kernel, in one run,
// and against the raw FFTW forward + inverse transform of the same padded size
// (the physical limit). Prints ratios and the largest relative difference.
// Never fails the build; run: build/bench/sirtkit_bench_convolution [sizes...]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "dosimetry/voxel/dose_kernel.h"
#include "dosimetry/voxel/kernel_convolution.h"

namespace fs = std::filesystem;
using sirtkit::dosimetry::KernelConvolution;

namespace {

void write_floats(const fs::path& p, const std::vector<float>& v) {
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float)));
}

std::vector<float> read_floats(const fs::path& p, std::size_t n) {
  std::vector<float> v(n);
  std::ifstream(p, std::ios::binary).read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(n * sizeof(float)));
  return v;
}

template <typename F>
double best_of(int repeats, F&& f) {
  double best = 1e300;
  for (int i = 0; i < repeats; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<int> sizes{128, 256};
  if (argc > 1) {
    sizes.clear();
    for (int i = 1; i < argc; ++i) sizes.push_back(std::atoi(argv[i]));
  }
  const int threads = 2;
  const auto kernel = sirtkit::dosimetry::y90_soft_tissue_kernel({4.42, 4.42, 4.42});
  const fs::path dir = fs::temp_directory_path() / "sirtkit_bench_convolution";
  fs::create_directories(dir);
  write_floats(dir / "kernel.f32", kernel.fraction);
  const fs::path script = fs::path(SIRTKIT_SOURCE_DIR) / "bench" / "scipy_convolve.py";

  std::printf("%-6s %-12s %10s %10s %10s %10s %12s %12s %12s\n", "n", "padded", "sirtkit s", "measure s", "raw fft s", "scipy s",
              "scipy/sirtk", "sirtk/raw", "max rel diff");
  for (int n : sizes) {
    const std::array<int, 3> size{n, n, n};
    std::vector<float> activity(static_cast<std::size_t>(n) * n * n);
    std::mt19937 rng(42);
    std::gamma_distribution<float> uptake(0.5f, 2.0f);  // a skewed, SPECT-like activity
    for (float& a : activity) a = uptake(rng);
    write_floats(dir / "volume.f32", activity);

    std::vector<float> out;
    KernelConvolution conv(size, kernel, threads, false);
    const double t_estimate = best_of(5, [&] { conv.apply(activity, out); });
    KernelConvolution measured(size, kernel, threads, true);
    std::vector<float> out_measured;
    const double t_measure = best_of(5, [&] { measured.apply(activity, out_measured); });
    const double t_raw = KernelConvolution::time_raw_roundtrip_s(measured.padded_size(), threads, true, 5);
    const double t_sirtkit = std::min(t_estimate, t_measure);

    // Debian's interpreter, where python3-scipy installs.
    const std::string cmd = "/usr/bin/python3 " + script.string() + " " + (dir / "volume.f32").string() + " " + std::to_string(n) + " " +
                            std::to_string(n) + " " + std::to_string(n) + " " + (dir / "kernel.f32").string() + " " +
                            std::to_string(kernel.extent(0)) + " " + std::to_string(kernel.extent(1)) + " " +
                            std::to_string(kernel.extent(2)) + " " + (dir / "scipy.f32").string() + " 3";
    double t_scipy = NAN, max_rel = NAN;
    if (FILE* p = popen(cmd.c_str(), "r")) {
      if (std::fscanf(p, "%lf", &t_scipy) != 1) t_scipy = NAN;
      pclose(p);
      const auto ref = read_floats(dir / "scipy.f32", activity.size());
      double peak = 0, worst = 0;
      for (std::size_t i = 0; i < ref.size(); ++i) peak = std::max(peak, std::abs(static_cast<double>(ref[i])));
      for (std::size_t i = 0; i < ref.size(); ++i) worst = std::max(worst, std::abs(static_cast<double>(out_measured[i]) - ref[i]));
      max_rel = worst / peak;
    }
    const auto& pad = measured.padded_size();
    std::printf("%-6d %-12s %10.4f %10.4f %10.4f %10.4f %12.2f %12.2f %12.2e\n", n,
                (std::to_string(pad[0]) + "^3").c_str(), t_estimate, t_measure, t_raw, t_scipy, t_scipy / t_sirtkit,
                t_measure / t_raw, max_rel);
  }
  std::printf("sirtkit: FFTW float, %d threads, kernel spectrum cached; 'measure' = FFTW_MEASURE plans. "
              "scipy: scipy.signal.fftconvolve(mode='same'), best of 3. max rel diff = max|sirtkit - scipy| / max|scipy|.\n",
              threads);
  return 0;
}
