// Propensity score + nearest-neighbour matching vs R in the same run
// (DESIGN.md: ratios against the peer measured in the same run; never fails
// the build):
//   glm(binomial) on 5 covariates + 1:1 nearest-neighbour matching without
//   replacement on the propensity score, caliper 0.2 SD of the logit
//   vs  MatchIt::matchit(link = "linear.logit", caliper = 0.2) (which fits the same glm)
// Simulated data are handed to R as raw doubles (readBin), so neither side
// times CSV parsing; each side's fastest of --reps runs is reported.
//
// usage: sirtkit_matching_bench [--n 20000] [--reps 3] [--no-r]

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "stats/matching/logistic_regression.h"
#include "stats/matching/nearest_neighbour_matching.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
using namespace sirtkit::stats;

template <class Fn>
double fastest(int reps, Fn&& fn) {
  double best = 1e300;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = Clock::now();
    fn();
    best = std::min(best, std::chrono::duration<double>(Clock::now() - t0).count());
  }
  return best;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = 20000;
  int reps = 3;
  bool with_r = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--n" && i + 1 < argc) n = static_cast<std::size_t>(std::stod(argv[++i]));
    else if (a == "--reps" && i + 1 < argc) reps = std::atoi(argv[++i]);
    else if (a == "--no-r") with_r = false;
  }
  const int p = 5;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> norm;
  std::uniform_real_distribution<double> unif;
  Eigen::MatrixXd x(static_cast<Eigen::Index>(n), p);
  std::vector<int> treat(n);
  for (std::size_t i = 0; i < n; ++i) {
    double lp = -1.2;
    for (int j = 0; j < p; ++j) {
      x(static_cast<Eigen::Index>(i), j) = norm(rng);
      lp += 0.3 * x(static_cast<Eigen::Index>(i), j);
    }
    treat[i] = unif(rng) < 1 / (1 + std::exp(-lp)) ? 1 : 0;
  }
  std::size_t pairs = 0;
  const double ours = fastest(reps, [&] {
    const auto fit = logistic_regression(treat, x);
    std::vector<double> d(fit.linear.data(), fit.linear.data() + fit.linear.size());
    double m = 0, ss = 0;
    for (double v : d) m += v / static_cast<double>(n);
    for (double v : d) ss += (v - m) * (v - m);
    NearestNeighbourOptions o;
    o.caliper = 0.2 * std::sqrt(ss / static_cast<double>(n - 1));
    pairs = nearest_neighbour_match(treat, d, {}, o).matched_treated;
  });
  std::printf("n = %zu, 5 covariates, %zu pairs\n  sirtkit glm + match: %.4f s\n", n, pairs, ours);
  if (!with_r) return 0;
  const fs::path dir = fs::temp_directory_path() / ("sirtkit_matching_bench_" + std::to_string(getpid()));
  fs::create_directories(dir);
  {
    std::vector<double> col(n * (p + 1));
    for (std::size_t i = 0; i < n; ++i) {
      col[i] = treat[i];
      for (int j = 0; j < p; ++j) col[(static_cast<std::size_t>(j) + 1) * n + i] = x(static_cast<Eigen::Index>(i), j);
    }
    std::ofstream(dir / "data.bin", std::ios::binary)
        .write(reinterpret_cast<const char*>(col.data()), static_cast<std::streamsize>(col.size() * sizeof(double)));
  }
  std::ofstream(dir / "bench.R") << "suppressMessages(library(MatchIt))\n"
                                 << "n <- " << n << "; v <- readBin('" << (dir / "data.bin").string() << "', 'double', n * 6)\n"
                                 << "d <- as.data.frame(matrix(v, n, 6)); names(d) <- c('t', paste0('x', 1:5))\n"
                                 << "best <- Inf; for (r in 1:" << reps << ") { t0 <- Sys.time();\n"
                                 << "m <- matchit(t ~ x1 + x2 + x3 + x4 + x5, data = d, link = 'linear.logit', caliper = 0.2)\n"
                                 << "best <- min(best, as.numeric(Sys.time() - t0, units = 'secs')) }\n"
                                 << "cat(best, sum(!is.na(m$match.matrix[, 1])), '\\n')\n";
  const std::string cmd = "Rscript " + (dir / "bench.R").string() + " > " + (dir / "out.txt").string() + " 2>/dev/null";
  if (std::system(cmd.c_str()) == 0) {
    std::ifstream in(dir / "out.txt");
    double r = 0;
    std::size_t rp = 0;
    if (in >> r >> rp)
      std::printf("  R glm + matchit:     %.4f s (%zu pairs; MatchIt 4.5.1 truncates distance differences)\n  ratio R / sirtkit: %.1fx\n", r,
                  rp, r / ours);
  } else {
    std::printf("  R not run (Rscript or MatchIt missing)\n");
  }
  fs::remove_all(dir);
  return 0;
}
