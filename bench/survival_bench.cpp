// Survival engine vs R survival in the same run (DESIGN.md: benchmarks report
// ratios against the peer measured in the same run and never fail the build).
//
//   Cox PH, Efron, 10 covariates, with SE, Wald/LR/score tests and concordance:
//     sirtkit::stats::cox_fit  vs  R coxph(Surv(time, status) ~ X1 + ... + X10)
//   Kaplan-Meier + 2-group log-rank:
//     kaplan_meier + km_median + log_rank  vs  survfit(~1) + survdiff(~g)
//
// Data are simulated here (exponential times with a linear predictor,
// exponential censoring), written as raw doubles, and read by R with readBin so
// that neither side's timing includes CSV parsing. R timings are system.time()
// elapsed around the model call only. Each side runs --reps times (default 3)
// and its fastest run is reported, so that a one-off stall of the shared
// machine does not decide the ratio; for Cox the first (cold) runs are
// reported too, as a single CLI call meets them.
//
// usage: sirtkit_survival_bench [--cox-n 1e5,1e6] [--km-n 1e7] [--reps 3] [--no-r]

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <unistd.h>
#include <sstream>
#include <string>
#include <vector>

#include "stats/cox/cox_model.h"
#include "stats/survival/kaplan_meier.h"
#include "stats/survival/log_rank.h"

namespace {

using Clock = std::chrono::steady_clock;
namespace fs = std::filesystem;
using namespace sirtkit::stats;

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

std::vector<double> parse_list(const char* s) {
  std::vector<double> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) out.push_back(std::stod(item));
  return out;
}

void write_doubles(const fs::path& path, const std::vector<double>& v) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(double)));
}

std::vector<double> read_numbers(const fs::path& path) {
  std::ifstream in(path);
  std::vector<double> v;
  std::string tok;
  while (in >> tok) v.push_back(tok == "NA" ? std::nan("") : std::stod(tok));
  return v;
}

bool run_r(const std::string& script, const fs::path& dir) {
  const fs::path file = dir / "bench.R";
  std::ofstream(file) << script;
  const std::string cmd = "Rscript --vanilla " + file.string() + " > " + (dir / "r.log").string() + " 2>&1";
  return std::system(cmd.c_str()) == 0;
}

struct Timing {
  double fastest = 1e300, first = 0;
};

// `reps` timed calls of fn (which stores its result itself).
template <class Fn>
Timing time_runs(int reps, Fn&& fn) {
  Timing t;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = Clock::now();
    fn();
    const double s = seconds_since(t0);
    if (r == 0) t.first = s;
    t.fastest = std::min(t.fastest, s);
  }
  return t;
}

void bench_cox(std::size_t n, int reps, bool with_r, const fs::path& dir) {
  const int p = 10;
  const double beta[p] = {0.5, -0.3, 0.2, 0.0, 0.1, 0.05, -0.05, 0.15, -0.1, 0.0};
  std::mt19937_64 rng(20260101 + n);
  std::normal_distribution<double> norm;
  std::exponential_distribution<double> unit_exp(1.0);
  Eigen::MatrixXd x(static_cast<Eigen::Index>(n), p);
  std::vector<double> time(n), flat(n * p);
  std::vector<int> status(n);
  for (std::size_t i = 0; i < n; ++i) {
    double lp = 0;
    for (int j = 0; j < p; ++j) {
      const double v = norm(rng);
      x(static_cast<Eigen::Index>(i), j) = v;
      flat[j * n + i] = v;  // column-major for R
      lp += beta[j] * v;
    }
    const double t = unit_exp(rng) / std::exp(lp);
    const double c = unit_exp(rng) / 0.5;
    time[i] = t <= c ? t : c;
    status[i] = t <= c ? 1 : 0;
  }
  CoxFit fit;
  const Timing ours = time_runs(reps, [&] { fit = cox_fit(time, status, x); });  // Efron, SE, tests, concordance
  std::printf("cox  n=%-9zu p=%d events=%-8lld sirtkit %.3f s, first run %.3f s (iter %d, concordance %.4f)", n, p,
              static_cast<long long>(fit.nevent), ours.fastest, ours.first, fit.iterations, fit.concordance);
  if (!with_r) { std::printf("\n"); return; }
  std::vector<double> st(status.begin(), status.end());
  write_doubles(dir / "time.bin", time);
  write_doubles(dir / "status.bin", st);
  write_doubles(dir / "x.bin", flat);
  std::ostringstream r;
  r << "suppressMessages(library(survival))\n"
    << "n <- " << n << "; p <- " << p << "\n"
    << "d <- data.frame(time=readBin('" << (dir / "time.bin").string() << "', 'double', n), status=readBin('"
    << (dir / "status.bin").string() << "', 'double', n))\n"
    << "X <- matrix(readBin('" << (dir / "x.bin").string() << "', 'double', n*p), n, p)\n"
    << "for (j in 1:p) d[[paste0('X', j)]] <- X[, j]\n"
    << "f <- as.formula(paste('Surv(time, status) ~', paste0('X', 1:p, collapse=' + ')))\n"
    << "invisible(gc())\n"
    << "tms <- sapply(1:" << reps << ", function(i) system.time(fit <<- coxph(f, data=d))[['elapsed']])\n"
    << "s <- summary(fit)\n"
    << "cat(sprintf('%.17g', c(min(tms), coef(fit), sqrt(diag(vcov(fit))), fit$loglik[2], fit$concordance[['concordance']], fit$iter, tms[1])), '\\n', file='"
    << (dir / "r_out.txt").string() << "')\n";
  if (!run_r(r.str(), dir)) { std::printf("  [R failed, see %s]\n", (dir / "r.log").c_str()); return; }
  const auto v = read_numbers(dir / "r_out.txt");
  const double rt = v[0], rt_first = v[4 + 2 * p];
  double dcoef = 0, dse = 0;
  for (int j = 0; j < p; ++j) {
    dcoef = std::max(dcoef, std::fabs(fit.coef(j) - v[1 + j]));
    dse = std::max(dse, std::fabs(fit.se(j) - v[1 + p + j]) / v[1 + p + j]);
  }
  std::printf("  R coxph %.3f s, first run %.3f s  ratio %.1fx (first runs %.1fx)  max|coef diff| %.2e  max rel se diff %.2e  loglik diff %.2e  concordance diff %.2e\n",
              rt, rt_first, rt / ours.fastest, rt_first / ours.first, dcoef, dse, std::fabs(fit.loglik - v[1 + 2 * p]), std::fabs(fit.concordance - v[2 + 2 * p]));
}

void bench_km(std::size_t n, int reps, bool with_r, const fs::path& dir) {
  std::mt19937_64 rng(777 + n);
  std::exponential_distribution<double> unit_exp(1.0);
  std::vector<double> time(n);
  std::vector<int> status(n), group(n);
  for (std::size_t i = 0; i < n; ++i) {
    group[i] = static_cast<int>(rng() & 1u);
    const double t = unit_exp(rng) / (group[i] ? 1.1 : 1.0);
    const double c = unit_exp(rng) / 0.5;
    // rounded to 1e-4 so that there are ties, as in day-level registry data
    time[i] = std::round((t <= c ? t : c) * 1e4) / 1e4;
    status[i] = t <= c ? 1 : 0;
  }
  KmQuantile med;
  LogRankResult lr;
  const double t_km = time_runs(reps, [&] { med = km_median(kaplan_meier(time, status)); }).fastest;
  const double t_lr = time_runs(reps, [&] { lr = log_rank(time, status, group, 2); }).fastest;
  std::printf("km+logrank n=%-9zu sirtkit km %.3f s + logrank %.3f s = %.3f s (median %.4f, chisq %.4f)", n, t_km, t_lr,
              t_km + t_lr, med.estimate, lr.chisq);
  if (!with_r) { std::printf("\n"); return; }
  std::vector<double> st(status.begin(), status.end()), gr(group.begin(), group.end());
  write_doubles(dir / "time.bin", time);
  write_doubles(dir / "status.bin", st);
  write_doubles(dir / "group.bin", gr);
  std::ostringstream r;
  r << "suppressMessages(library(survival))\n"
    << "n <- " << n << "\n"
    << "d <- data.frame(time=readBin('" << (dir / "time.bin").string() << "', 'double', n), status=readBin('"
    << (dir / "status.bin").string() << "', 'double', n), g=readBin('" << (dir / "group.bin").string() << "', 'double', n))\n"
    << "invisible(gc())\n"
    << "t1 <- min(sapply(1:" << reps << ", function(i) system.time(k <<- survfit(Surv(time, status) ~ 1, data=d))[['elapsed']]))\n"
    << "q <- quantile(k, 0.5)\n"
    << "t2 <- min(sapply(1:" << reps << ", function(i) system.time(s <<- survdiff(Surv(time, status) ~ g, data=d))[['elapsed']]))\n"
    << "cat(sprintf('%.17g', c(t1, t2, q$quantile, s$chisq)), '\\n', file='" << (dir / "r_out.txt").string() << "')\n";
  if (!run_r(r.str(), dir)) { std::printf("  [R failed, see %s]\n", (dir / "r.log").c_str()); return; }
  const auto v = read_numbers(dir / "r_out.txt");
  const double rt = v[0] + v[1];
  std::printf("  R survfit %.2f s + survdiff %.2f s = %.2f s  ratio %.1fx  median diff %.2e  chisq rel diff %.2e\n", v[0], v[1], rt,
              rt / (t_km + t_lr), std::fabs(med.estimate - v[2]), std::fabs(lr.chisq - v[3]) / v[3]);
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<double> cox_n{1e5, 1e6}, km_n{1e7};
  bool with_r = true;
  int reps = 3;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--cox-n" && i + 1 < argc) cox_n = parse_list(argv[++i]);
    else if (a == "--km-n" && i + 1 < argc) km_n = parse_list(argv[++i]);
    else if (a == "--reps" && i + 1 < argc) reps = std::max(1, std::atoi(argv[++i]));
    else if (a == "--no-r") with_r = false;
    else { std::fprintf(stderr, "usage: %s [--cox-n 1e5,1e6] [--km-n 1e7] [--reps 3] [--no-r]\n", argv[0]); return 2; }
  }
  if (with_r && std::system("Rscript -e 'suppressMessages(library(survival))' > /dev/null 2>&1") != 0) {
    std::printf("R with the survival package not found (apt-get install r-base-core r-cran-survival); timing sirtkit only\n");
    with_r = false;
  }
  const fs::path dir = fs::temp_directory_path() / ("sirtkit_survival_bench_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::printf("fastest of %d runs on each side\n", reps);
  for (double n : cox_n) bench_cox(static_cast<std::size_t>(n), reps, with_r, dir);
  for (double n : km_n) bench_km(static_cast<std::size_t>(n), reps, with_r, dir);
  std::error_code ec;
  fs::remove_all(dir, ec);
  return 0;
}
