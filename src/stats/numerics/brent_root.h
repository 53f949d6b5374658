#pragma once
// Brent's root finder as R's uniroot() runs it (Brent 1973; Forsythe, Malcolm
// & Moler 1977 "zeroin"; R src/library/stats/src/zeroin.c R_zeroin2). sirtkit
// uses it where R reports a root found with uniroot's default tolerance
// (tol = eps^0.25 ≈ 1.22e-4), e.g. fisher.test's odds ratio: stepping exactly
// as R does gives R's digits, not a root R itself never computed.

#include <functional>

namespace sirtkit::stats {

inline constexpr double uniroot_default_tol = 1.220703125e-4;  // .Machine$double.eps^0.25 = 2^-13

struct RootResult {
  double root = 0;
  int iterations = 0;
  bool converged = false;
};

// f(lower) and f(upper) must have opposite signs (or one be 0); the caller
// passes them, as uniroot's f.lower / f.upper.
RootResult brent_root(const std::function<double(double)>& f, double lower, double upper, double f_lower,
                      double f_upper, double tol = uniroot_default_tol, int max_iterations = 1000);

}  // namespace sirtkit::stats
