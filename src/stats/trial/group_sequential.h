#pragma once
// Group-sequential efficacy boundaries by Lan-DeMets alpha spending (Lan &
// DeMets 1983, Biometrika 70:659-663), with the O'Brien-Fleming-type and
// Pocock-type spending functions, as rpact's getDesignGroupSequential(
// typeOfDesign = "asOF" / "asP") and getDesignCharacteristics():
//
//   O'Brien-Fleming type: a(t) = 2 (1 - Phi(z_{alpha/2} / sqrt(t)))
//   Pocock type:          a(t) = alpha log(1 + (e - 1) t)
//
// (alpha is the total level: one-sided when sided = 1; with sided = 2 the
// boundaries are symmetric, +-c_k, and each side spends the one-sided function
// at alpha/2, as rpact: a(t) = 4 (1 - Phi(z_{alpha/4} / sqrt(t))) for O'Brien-Fleming.) The boundary at look
// k makes P(first crossing at k | H0) = a(t_k) - a(t_{k-1}); the crossing
// probabilities come from the recursive numerical integration of Armitage,
// McPherson & Rowe (1969, JRSS A 132:235-244) on the grid and Simpson weights of
// Jennison & Turnbull (2000, Group Sequential Methods, ch. 19.2), r = 64.
//
// The information-inflation factor IF is the maximum information relative to
// the fixed design with the same alpha and power: a fixed sample size (events,
// patients) times IF is the maximum of the sequential design.

#include <string>
#include <vector>

namespace sirtkit::stats {

enum class SpendingFunction { obrien_fleming, pocock };

// "obrien-fleming" | "of" | "asOF", "pocock" | "p" | "asP"; else bad input naming the value.
SpendingFunction parse_spending_function(const std::string& name);
const char* spending_function_name(SpendingFunction f);

// Cumulative alpha spent (both sides together when sided = 2) by information fraction t in [0, 1].
double alpha_spent(SpendingFunction f, double alpha, double t, int sided = 1);

struct GroupSequentialInput {
  std::vector<double> information_rates;  // increasing, last = 1 (e.g. 1/3, 2/3, 1)
  double alpha = 0.025;
  double beta = 0.2;
  int sided = 1;
  SpendingFunction spending = SpendingFunction::obrien_fleming;
};

struct GroupSequentialDesign {
  std::vector<double> information_rates;
  std::vector<double> critical_values;      // z scale, upper (and -c_k lower when two-sided)
  std::vector<double> alpha_spent;          // cumulative, from the spending function
  std::vector<double> stage_levels;         // one-sided nominal p-value per look: 1 - Phi(c_k)
  double fixed_drift_squared = 0;           // (z_{alpha/sided} + z_beta)^2: rpact nFixed
  double drift_squared = 0;                 // rpact shift: (theta sqrt(I_max))^2 for power 1 - beta
  double inflation_factor = 0;              // shift / nFixed
  std::vector<double> rejection_probabilities;  // per look under the alternative (upper boundary)
  double power = 0;
  // Expected information relative to the fixed design (rpact averageSampleNumber1/01/0):
  // under the alternative, halfway, and under H0.
  double expected_relative_size_h1 = 0, expected_relative_size_h01 = 0, expected_relative_size_h0 = 0;
};

// Bad input for rates not strictly increasing in (0, 1] ending at 1, more than 20 looks, or error rates out of range.
GroupSequentialDesign group_sequential_design(const GroupSequentialInput& input);

// Probabilities of first crossing the upper boundary (and, when two_sided, the
// lower boundary -c_k) at each look for a drift `theta` per unit of information
// (Z_k ~ N(theta sqrt(I_k), 1), information I_k = rates * information_max).
struct CrossingProbabilities {
  std::vector<double> upper, lower;
};
CrossingProbabilities boundary_crossing(const std::vector<double>& information, const std::vector<double>& critical,
                                        double theta, bool two_sided);

}  // namespace sirtkit::stats
