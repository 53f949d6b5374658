#include "stats/numerics/brent_root.h"

#include <cfloat>
#include <cmath>

namespace sirtkit::stats {

// The classic zeroin: keep b the best estimate and c on the other side of the
// root; try inverse quadratic (or secant) interpolation, fall back to
// bisection when the step would leave [b, c] or shrink too slowly.
RootResult brent_root(const std::function<double(double)>& f, double lower, double upper, double f_lower,
                      double f_upper, double tol, int max_iterations) {
  double a = lower, b = upper, fa = f_lower, fb = f_upper;
  double c = a, fc = fa;
  RootResult r;
  if (fa == 0.0) return {a, 0, true};
  if (fb == 0.0) return {b, 0, true};
  int left = max_iterations + 1;
  while (left--) {
    const double prev_step = b - a;
    if (std::fabs(fc) < std::fabs(fb)) {  // b must be the best approximation
      a = b; b = c; c = a;
      fa = fb; fb = fc; fc = fa;
    }
    const double tol_act = 2 * DBL_EPSILON * std::fabs(b) + tol / 2;
    double new_step = (c - b) / 2;
    if (std::fabs(new_step) <= tol_act || fb == 0.0) {
      r.root = b;
      r.iterations = max_iterations + 1 - left - 1;
      r.converged = true;
      return r;
    }
    if (std::fabs(prev_step) >= tol_act && std::fabs(fa) > std::fabs(fb)) {
      double p, q;
      const double cb = c - b;
      if (a == c) {  // two distinct points: secant
        const double t1 = fb / fa;
        p = cb * t1;
        q = 1.0 - t1;
      } else {  // inverse quadratic interpolation
        q = fa / fc;
        const double t1 = fb / fc, t2 = fb / fa;
        p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0));
        q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (p < (0.75 * cb * q - std::fabs(tol_act * q) / 2) && p < std::fabs(prev_step * q / 2)) new_step = p / q;
    }
    if (std::fabs(new_step) < tol_act) new_step = new_step > 0 ? tol_act : -tol_act;
    a = b;
    fa = fb;
    b += new_step;
    fb = f(b);
    if ((fb > 0 && fc > 0) || (fb < 0 && fc < 0)) {
      c = a;
      fc = fa;
    }
  }
  r.root = b;
  r.iterations = max_iterations;
  r.converged = false;
  return r;
}

}  // namespace sirtkit::stats
