#pragma once
// The lexicographic linear programme over injection activities, solved with
// GLPK's simplex (DESIGN.md: per-injection activities are a small LP).
//
//   variables  lower_bound_k <= x_k <= upper_bound_k (activity of injection k, GBq;
//              lower bound 0 when none is given)
//   hard rows  lower_r <= c_r · x <= upper_r  (constraints and goal minimums)
//   levels     in order: maximise min(c_i · x, upper_i) (upper_i the aim); then keep
//              c_i · x >= the level reached (less 1e-10 relative) for the
//              stages that follow
//   last       minimise Σ x_k (the least total activity, hence lung dose,
//              giving every level reached)
// The duals of the hard rows are kept from the stage of the first level that
// falls short of its aim: how much that level would gain per unit of each row's
// bound (zero for a row that does not limit it).

#include <cstddef>
#include <limits>
#include <vector>

namespace sirtkit::dosimetry {

struct LpRow {
  std::vector<double> coef;  // one per variable
  double lower = -std::numeric_limits<double>::infinity();
  double upper = std::numeric_limits<double>::infinity();
};

struct LexicographicLp {
  std::size_t variables = 0;
  std::vector<double> upper_bound;  // per variable; infinity when unbounded
  std::vector<double> lower_bound;  // per variable, or empty for 0; an upper bound below it is infeasible
  std::vector<LpRow> hard;
  std::vector<LpRow> levels;        // `upper` is the aim; `lower` is ignored
};

struct LpOutcome {
  bool feasible = false;            // the hard rows can all hold
  std::vector<double> x;
  std::vector<double> attained;     // per level
  int first_short_level = -1;       // -1 when every level reaches its aim
  std::vector<double> hard_duals;   // per hard row, |dual| in the stage of first_short_level
};

LpOutcome solve_lexicographic(const LexicographicLp& lp);

}  // namespace sirtkit::dosimetry
