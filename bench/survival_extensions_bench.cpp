// The survival extensions vs R in the same run (DESIGN.md: ratios against the
// peer measured in the same run; never fails the build):
//   weighted Cox (Efron, 5 covariates, non-integer weights -> robust SE)  vs  coxph(weights = w)
//   weighted Kaplan-Meier (infinitesimal-jackknife SE)                    vs  survfit(weights = w)
//   cumulative incidence, 2 causes, 2 groups + Gray's test               vs  cmprsk::cuminc
//   Fine-Gray, 2 covariates                                              vs  cmprsk::crr
// Simulated data are handed to R as raw doubles (readBin), so neither side
// times CSV parsing; each side's fastest of --reps runs is reported.
//
// usage: sirtkit_survival_extensions_bench [--n-cox 1e5] [--n-km 1e6] [--n-cif 1e5] [--n-crr 2000] [--reps 3] [--no-r]

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <unistd.h>
#include <vector>

#include "stats/survival/competing_risks.h"
#include "stats/cox/cox_model.h"
#include "stats/survival/fine_gray.h"
#include "stats/survival/kaplan_meier.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
using namespace sirtkit::stats;

struct Data {
  std::vector<double> time, w, group;
  std::vector<int> status, cause;  // status: 0/1; cause: 0/1/2
  Eigen::MatrixXd x;
};

Data simulate(std::size_t n, int p, unsigned seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> norm;
  std::exponential_distribution<double> unit_exp(1.0);
  std::uniform_real_distribution<double> unif(0.2, 3.0);
  Data d;
  d.x.resize(static_cast<Eigen::Index>(n), p);
  for (std::size_t i = 0; i < n; ++i) {
    double lp = 0;
    for (int j = 0; j < p; ++j) {
      d.x(static_cast<Eigen::Index>(i), j) = norm(rng);
      lp += 0.2 * d.x(static_cast<Eigen::Index>(i), j);
    }
    const double t1 = unit_exp(rng) / std::exp(lp), t2 = unit_exp(rng) / 0.7, c = unit_exp(rng) / 0.5;
    const double t = std::min({t1, t2, c});
    d.time.push_back(std::round(t * 1e3) / 1e3);  // ties, as day-level data
    d.status.push_back(t == c ? 0 : 1);
    d.cause.push_back(t == c ? 0 : t == t1 ? 1 : 2);
    d.w.push_back(unif(rng));
    d.group.push_back(static_cast<double>(rng() & 1u));
  }
  return d;
}

void write_doubles(const fs::path& path, const std::vector<double>& v) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(double)));
}

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

// Writes the data, runs `call` (an R expression timed by system.time) and returns R's fastest seconds and `value`.
std::pair<double, double> r_time(const Data& d, int p, const std::string& call, const std::string& value, int reps, const fs::path& dir) {
  const std::size_t n = d.time.size();
  std::vector<double> st(d.status.begin(), d.status.end()), ca(d.cause.begin(), d.cause.end()), flat(n * static_cast<std::size_t>(p));
  for (int j = 0; j < p; ++j)
    for (std::size_t i = 0; i < n; ++i) flat[static_cast<std::size_t>(j) * n + i] = d.x(static_cast<Eigen::Index>(i), j);
  write_doubles(dir / "time.bin", d.time);
  write_doubles(dir / "status.bin", st);
  write_doubles(dir / "cause.bin", ca);
  write_doubles(dir / "w.bin", d.w);
  write_doubles(dir / "group.bin", d.group);
  write_doubles(dir / "x.bin", flat);
  std::ostringstream r;
  auto bin = [&](const char* f, const std::string& len) { return "readBin('" + (dir / f).string() + "', 'double', " + len + ")"; };
  r << "suppressMessages({library(survival); library(cmprsk)})\nn <- " << n << "; p <- " << p << "\n"
    << "d <- data.frame(time=" << bin("time.bin", "n") << ", status=" << bin("status.bin", "n") << ", cause=" << bin("cause.bin", "n")
    << ", w=" << bin("w.bin", "n") << ", g=" << bin("group.bin", "n") << ")\n"
    << "X <- matrix(" << bin("x.bin", "n*p") << ", n, p)\nfor (j in 1:p) d[[paste0('X', j)]] <- X[, j]\ninvisible(gc())\n"
    << "tms <- sapply(1:" << reps << ", function(i) system.time(res <<- " << call << ")[['elapsed']])\n"
    << "cat(sprintf('%.17g', c(min(tms), " << value << ")), file='" << (dir / "r_out.txt").string() << "')\n";
  std::ofstream(dir / "bench.R") << r.str();
  const std::string cmd = "Rscript --vanilla " + (dir / "bench.R").string() + " > " + (dir / "r.log").string() + " 2>&1";
  if (std::system(cmd.c_str()) != 0) return {std::nan(""), std::nan("")};
  std::ifstream in(dir / "r_out.txt");
  double a = std::nan(""), b = std::nan("");
  in >> a >> b;
  return {a, b};
}

void report(const char* what, std::size_t n, double ours, double ours_value, std::pair<double, double> r) {
  std::printf("%-34s n=%-8zu sirtkit %.4f s", what, n, ours);
  if (std::isnan(r.first)) std::printf("  (R not run)\n");
  else std::printf("  R %.4f s  ratio %.1fx  |value diff| %.2e\n", r.first, r.first / ours, std::fabs(ours_value - r.second));
}

}  // namespace

int main(int argc, char** argv) {
  double n_cox = 1e5, n_km = 1e6, n_cif = 1e5, n_crr = 2000;
  int reps = 3;
  bool with_r = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--n-cox" && i + 1 < argc) n_cox = std::atof(argv[++i]);
    else if (a == "--n-km" && i + 1 < argc) n_km = std::atof(argv[++i]);
    else if (a == "--n-cif" && i + 1 < argc) n_cif = std::atof(argv[++i]);
    else if (a == "--n-crr" && i + 1 < argc) n_crr = std::atof(argv[++i]);
    else if (a == "--reps" && i + 1 < argc) reps = std::max(1, std::atoi(argv[++i]));
    else if (a == "--no-r") with_r = false;
    else { std::fprintf(stderr, "usage: %s [--n-cox 1e5] [--n-km 1e6] [--n-cif 1e5] [--n-crr 2000] [--reps 3] [--no-r]\n", argv[0]); return 2; }
  }
  const fs::path dir = fs::temp_directory_path() / ("sirtkit_ext_bench_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto r = [&](const Data& d, int p, const std::string& call, const std::string& value) {
    return with_r ? r_time(d, p, call, value, reps, dir) : std::pair{std::nan(""), std::nan("")};
  };
  std::printf("fastest of %d runs on each side\n", reps);
  {
    const Data d = simulate(static_cast<std::size_t>(n_cox), 5, 11);
    CoxFit f;
    const double t = fastest(reps, [&] { f = cox_fit(d.time, d.status, d.x, CoxOptions{}, {}, {}, d.w); });
    report("weighted Cox (robust SE), p=5", d.time.size(), t, f.robust_se(0),
           r(d, 5, "coxph(Surv(time, status) ~ X1 + X2 + X3 + X4 + X5, data=d, weights=w)", "sqrt(res$var[1, 1])"));
  }
  {
    const Data d = simulate(static_cast<std::size_t>(n_km), 1, 12);
    KmCurve c;
    const double t = fastest(reps, [&] { c = kaplan_meier_weighted(d.time, d.status, d.w); });
    report("weighted KM (IJ SE)", d.time.size(), t, c.std_err(c.size() / 2),
           r(d, 1, "survfit(Surv(time, status) ~ 1, data=d, weights=w)", "summary(res, censored=TRUE)$std.err[" +
                                                                              std::to_string(c.size() / 2 + 1) + "]"));
  }
  {
    const Data d = simulate(static_cast<std::size_t>(n_cif), 1, 13);
    std::vector<int> g(d.group.begin(), d.group.end());
    GrayTestResult gt;
    const double t = fastest(reps, [&] {
      for (int k = 0; k < 2; ++k) {
        std::vector<double> tt;
        std::vector<int> ss;
        for (std::size_t i = 0; i < g.size(); ++i)
          if (g[i] == k) { tt.push_back(d.time[i]); ss.push_back(d.cause[i]); }
        (void)cumulative_incidence(tt, ss);
      }
      gt = gray_test(d.time, d.cause, g, 2, 1);
      (void)gray_test(d.time, d.cause, g, 2, 2);
    });
    report("cuminc by 2 groups + Gray's test", d.time.size(), t, gt.statistic, r(d, 1, "cuminc(d$time, d$cause, d$g)", "res$Tests[1, 1]"));
  }
  {
    const Data d = simulate(static_cast<std::size_t>(n_crr), 2, 14);
    FineGrayFit f;
    const double t = fastest(reps, [&] { f = fine_gray(d.time, d.cause, d.x, 1); });
    report("Fine-Gray, p=2", d.time.size(), t, f.coef(0), r(d, 2, "crr(d$time, d$cause, cbind(d$X1, d$X2))", "res$coef[1]"));
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
