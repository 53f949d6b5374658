// sirtkit's lexicographic activity LP (GLPK) against an independent solver:
// random multi-injection programmes shaped like the planner's (a shared lung
// row, per-session and cumulative; territory constraints; goal minimums and
// aims in order; resin caps; 10 MBq least activity) are solved here with solve_lexicographic and by
// tests/dosimetry/planning/activity_lp_reference.py with SciPy's HiGHS, written from the
// documented semantics (docs/planning.md) in another formulation. The optimum
// activities, the levels reached, the first level short of its aim and the
// binding constraints (non-zero duals) must agree.
#include "dosimetry/planning/activity_lp.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

namespace sirtkit::dosimetry {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
// Activities agree to 1 kBq (1e-6 GBq) + 1e-6 relative: far below the 1 MBq the
// planner prints, and above both simplex codes' feasibility tolerance (~1e-7 relative).
constexpr double kActivityTolGbq = 1e-6;

LexicographicLp random_programme(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  const auto between = [&](double a, double b) { return a + (b - a) * u(rng); };
  LexicographicLp lp;
  lp.variables = 2 + static_cast<std::size_t>(u(rng) < 0.5);
  const std::size_t n = lp.variables;
  for (std::size_t k = 0; k < n; ++k) lp.upper_bound.push_back(u(rng) < 0.3 ? between(0.5, 3.0) : kInf);  // resin vial
  lp.lower_bound.assign(n, 0.01);  // every injection gets at least 10 MBq (planner.h kMinAdministeredGbq)
  // Lungs: K·LSF/M_lung Gy per GBq of every injection; 30 Gy per session, 50 Gy cumulative less the earlier dose.
  const double lung = between(1.0, 15.0);
  lp.hard.push_back({std::vector<double>(n, lung), -kInf, 30.0});
  lp.hard.push_back({std::vector<double>(n, lung), -kInf, 50.0 - between(0.0, 35.0)});
  const auto coefficients = [&](double top) {
    std::vector<double> c(n, 0.0);
    while (std::all_of(c.begin(), c.end(), [](double v) { return v == 0; }))
      for (double& v : c) v = u(rng) < 0.35 ? 0.0 : between(1.0, top);  // an injection not perfusing the VOI gives it nothing
    return c;
  };
  const int constraints = static_cast<int>(u(rng) * 4);  // 0..3 (normal liver, territories)
  for (int i = 0; i < constraints; ++i) lp.hard.push_back({coefficients(80.0), -kInf, between(20.0, 150.0)});
  const int goals = 1 + static_cast<int>(u(rng) * 3);  // 1..3, in the plan-file order
  for (int i = 0; i < goals; ++i) {
    const auto c = coefficients(400.0);
    const double min_gy = u(rng) < 0.3 ? 0.0 : between(20.0, 200.0);
    lp.hard.push_back({c, min_gy, kInf});
    lp.levels.push_back({c, -kInf, min_gy + between(0.0, 250.0)});
  }
  if (u(rng) < 0.3) {  // a stated perfused-liver dose: its own level on one injection
    std::vector<double> c(n, 0.0);
    c[static_cast<std::size_t>(u(rng) * n)] = between(20.0, 120.0);
    lp.levels.push_back({c, -kInf, between(60.0, 150.0)});
  }
  return lp;
}

std::string number(double v) {
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string programme_text(const LexicographicLp& lp) {
  std::string s = "P " + std::to_string(lp.variables) + "\nU";
  for (double ub : lp.upper_bound) s += " " + number(ub);
  s += "\nB";
  for (double lb : lp.lower_bound) s += " " + number(lb);
  for (const LpRow& r : lp.hard) {
    s += "\nH " + number(r.lower) + " " + number(r.upper);
    for (double c : r.coef) s += " " + number(c);
  }
  for (const LpRow& r : lp.levels) {
    s += "\nL " + number(r.upper);
    for (double c : r.coef) s += " " + number(c);
  }
  return s + "\nE\n";
}

struct Reference {
  bool feasible = false;
  int first_short = -1;
  std::vector<double> x, attained, duals;
};

std::vector<double> numbers(std::istringstream& in) {
  std::vector<double> v;
  for (std::string t; in >> t && t != ";";) v.push_back(std::stod(t));
  return v;
}

TEST(ActivityLpCrossCheck, AgreesWithScipyHighsOnRandomMultiInjectionProgrammes) {
  std::mt19937_64 rng(20261205);
  std::vector<LexicographicLp> programmes;
  std::string text;
  for (int i = 0; i < 300; ++i) {
    programmes.push_back(random_programme(rng));
    text += programme_text(programmes.back());
  }
  const auto input = std::filesystem::temp_directory_path() / ("sirtkit_lp_crosscheck_" + std::to_string(::getpid()) + ".txt");
  std::ofstream(input) << text;
  const std::string cmd = std::string(SIRTKIT_PYTHON3) + " " + SIRTKIT_SOURCE_DIR +
                          "/tests/dosimetry/planning/activity_lp_reference.py < " + input.string() + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  ASSERT_NE(p, nullptr);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  const int status = pclose(p);
  std::filesystem::remove(input);
  ASSERT_EQ(status, 0) << "the SciPy reference failed (python3-scipy, scripts/install-deps.sh):\n" << out;

  std::istringstream lines(out);
  double max_dx = 0, max_dual_diff = 0;
  int feasible = 0, short_of_aim = 0, binding_rows = 0;
  for (std::size_t i = 0; i < programmes.size(); ++i) {
    std::string line;
    ASSERT_TRUE(std::getline(lines, line)) << "reference gave " << i << " answers for " << programmes.size();
    std::istringstream in(line);
    Reference ref;
    int f = 0;
    in >> f >> ref.first_short;
    ref.feasible = f != 0;
    ref.x = numbers(in);
    ref.attained = numbers(in);
    ref.duals = numbers(in);
    const LpOutcome got = solve_lexicographic(programmes[i]);
    ASSERT_EQ(got.feasible, ref.feasible) << "programme " << i << "\n" << programme_text(programmes[i]);
    if (!got.feasible) continue;
    ++feasible;
    const std::string where = "programme " + std::to_string(i) + "\n" + programme_text(programmes[i]);
    ASSERT_EQ(got.first_short_level, ref.first_short) << where;
    for (std::size_t k = 0; k < got.x.size(); ++k) {
      EXPECT_NEAR(got.x[k], ref.x[k], kActivityTolGbq * (1 + std::abs(ref.x[k]))) << where << "activity " << k;
      max_dx = std::max(max_dx, std::abs(got.x[k] - ref.x[k]));
    }
    for (std::size_t l = 0; l < got.attained.size(); ++l)
      EXPECT_NEAR(got.attained[l], ref.attained[l], 1e-6 * (1 + std::abs(ref.attained[l]))) << where << "level " << l;
    if (got.first_short_level < 0) continue;
    ++short_of_aim;
    for (std::size_t r = 0; r < got.hard_duals.size(); ++r) {
      const bool binds = got.hard_duals[r] > 1e-9, ref_binds = ref.duals[r] > 1e-9;
      EXPECT_EQ(binds, ref_binds) << where << "hard row " << r << ": " << got.hard_duals[r] << " vs " << ref.duals[r];
      EXPECT_NEAR(got.hard_duals[r], ref.duals[r], 1e-6 * (1 + std::abs(ref.duals[r]))) << where << "dual of row " << r;
      max_dual_diff = std::max(max_dual_diff, std::abs(got.hard_duals[r] - ref.duals[r]));
      binding_rows += binds;
    }
  }
  // The sample must exercise every case: infeasible, aims met, aims cut by binding rows.
  EXPECT_GT(feasible, 100);
  EXPECT_LT(feasible, 300);
  EXPECT_GT(short_of_aim, 30);
  EXPECT_GT(binding_rows, 30);
  std::printf("[ crosscheck ] %d feasible of %zu, %d short of an aim, %d binding rows; max |dx| %.3g GBq, max |d dual| %.3g\n",
              feasible, programmes.size(), short_of_aim, binding_rows, max_dx, max_dual_diff);
}

}  // namespace
}  // namespace sirtkit::dosimetry
