#pragma once
// Simon's two-stage designs for a single-arm phase II trial (Simon 1989,
// Controlled Clinical Trials 10:1-10): stage 1 treats n1 patients and stops
// for futility if <= r1 respond; otherwise n - n1 more are treated and the
// regimen is rejected if <= r respond in all n. Among all (r1, n1, r, n) with
// P(reject H0 | p0) <= alpha and P(reject H0 | p1) >= 1 - beta, found by
// exhaustive search over n <= max_n (clinfun::ph2simon's default 100):
//   optimal: least expected sample size under p0, EN(p0) (ties: smaller n);
//   minimax: least n (ties: least EN(p0)).

namespace sirtkit::stats {

enum class SimonCriterion { optimal, minimax };

struct SimonDesign {
  int r1 = 0, n1 = 0, r = 0, n = 0;
  double alpha = 0;         // exact P(X1 > r1 and X > r | p0)
  double power = 0;         // exact P(X1 > r1 and X > r | p1)
  double pet0 = 0, pet1 = 0;  // probability of early termination under p0, p1
  double en0 = 0, en1 = 0;    // expected sample size under p0, p1
};

// Infeasible (ErrorCategory::infeasible) when no design with n <= max_n meets
// alpha and beta; bad input for rates outside (0, 1), p1 <= p0, max_n outside [2, 1000].
SimonDesign simon_design(double p0, double p1, double alpha, double beta, SimonCriterion criterion, int max_n = 100);

// The operating characteristics of a given design at p0 and p1.
SimonDesign simon_characteristics(int r1, int n1, int r, int n, double p0, double p1);

}  // namespace sirtkit::stats
