#include "dosimetry/planning/activity_lp.h"

#include <glpk.h>

#include <cmath>
#include <memory>

#include "core/error.h"

namespace sirtkit::dosimetry {
namespace {

struct ProbDeleter {
  void operator()(glp_prob* p) const { glp_delete_prob(p); }
};
using Prob = std::unique_ptr<glp_prob, ProbDeleter>;

void set_row_bounds(glp_prob* p, int row, double lower, double upper) {
  const bool lo = std::isfinite(lower), hi = std::isfinite(upper);
  if (lo && hi && lower == upper) glp_set_row_bnds(p, row, GLP_FX, lower, upper);
  else if (lo && hi) glp_set_row_bnds(p, row, GLP_DB, lower, std::max(lower, upper));
  else if (lo) glp_set_row_bnds(p, row, GLP_LO, lower, 0.0);
  else if (hi) glp_set_row_bnds(p, row, GLP_UP, 0.0, upper);
  else glp_set_row_bnds(p, row, GLP_FR, 0.0, 0.0);
}

int add_row(glp_prob* p, const LpRow& r) {
  const int row = glp_add_rows(p, 1);
  std::vector<int> ind(1);
  std::vector<double> val(1);
  for (std::size_t k = 0; k < r.coef.size(); ++k)
    if (r.coef[k] != 0) {
      ind.push_back(static_cast<int>(k) + 1);
      val.push_back(r.coef[k]);
    }
  glp_set_mat_row(p, row, static_cast<int>(ind.size()) - 1, ind.data(), val.data());
  set_row_bounds(p, row, r.lower, r.upper);
  return row;
}

// Simplex with messages off; true when an optimum was found.
bool solve(glp_prob* p) {
  glp_smcp parm;
  glp_init_smcp(&parm);
  parm.msg_lev = GLP_MSG_OFF;
  parm.presolve = GLP_OFF;
  if (glp_simplex(p, &parm) != 0) {
    // A singular or ill-conditioned basis: restart from the standard basis once.
    glp_std_basis(p);
    if (glp_simplex(p, &parm) != 0) return false;
  }
  return glp_get_status(p) == GLP_OPT;
}

}  // namespace

LpOutcome solve_lexicographic(const LexicographicLp& lp) {
  const int n = static_cast<int>(lp.variables);
  if (n == 0 || lp.upper_bound.size() != lp.variables)
    throw Error(ErrorCategory::internal, "solve_lexicographic: variables and bounds disagree");
  glp_term_out(GLP_OFF);  // GLPK's own progress lines (basis construction) off
  if (!lp.lower_bound.empty() && lp.lower_bound.size() != lp.variables)
    throw Error(ErrorCategory::internal, "solve_lexicographic: variables and lower bounds disagree");
  LpOutcome out;
  out.hard_duals.assign(lp.hard.size(), 0.0);
  Prob p(glp_create_prob());
  glp_add_cols(p.get(), n);
  for (int k = 0; k < n; ++k) {
    const double ub = lp.upper_bound[k];
    const double lb = lp.lower_bound.empty() ? 0.0 : std::max(0.0, lp.lower_bound[k]);
    if (std::isfinite(ub) && ub < lb) return out;  // no activity within the bounds
    if (std::isfinite(ub)) glp_set_col_bnds(p.get(), k + 1, ub > lb ? GLP_DB : GLP_FX, lb, std::max(lb, ub));
    else glp_set_col_bnds(p.get(), k + 1, GLP_LO, lb, 0.0);
  }
  std::vector<int> hard_rows;
  for (const LpRow& r : lp.hard) hard_rows.push_back(add_row(p.get(), r));

  // Feasibility of the hard rows alone.
  glp_set_obj_dir(p.get(), GLP_MIN);
  for (int k = 1; k <= n; ++k) glp_set_obj_coef(p.get(), k, 0.0);
  if (!solve(p.get())) return out;
  out.feasible = true;

  // Level i: maximise z_i subject to z_i <= aim_i and z_i <= c_i · x (an extra
  // column and row), i.e. maximise min(c_i · x, aim_i); then keep z_i at what it reached.
  glp_set_obj_dir(p.get(), GLP_MAX);
  for (std::size_t i = 0; i < lp.levels.size(); ++i) {
    const LpRow& level = lp.levels[i];
    const int z = glp_add_cols(p.get(), 1);
    if (std::isfinite(level.upper)) glp_set_col_bnds(p.get(), z, GLP_UP, 0.0, level.upper);
    else glp_set_col_bnds(p.get(), z, GLP_FR, 0.0, 0.0);
    LpRow link;
    link.coef = level.coef;
    link.coef.resize(static_cast<std::size_t>(z), 0.0);
    link.coef[static_cast<std::size_t>(z) - 1] = -1.0;
    link.lower = 0.0;
    add_row(p.get(), link);
    for (int k = 1; k <= glp_get_num_cols(p.get()); ++k) glp_set_obj_coef(p.get(), k, k == z ? 1.0 : 0.0);
    if (!solve(p.get())) throw Error(ErrorCategory::internal, "solve_lexicographic: a level stage has no optimum");
    const double reached = glp_get_obj_val(p.get());
    out.attained.push_back(reached);
    const double tol = 1e-10 * std::max(1.0, std::abs(reached));
    if (out.first_short_level < 0 && std::isfinite(level.upper) && reached < level.upper - 1e-7 * std::max(1.0, std::abs(level.upper))) {
      out.first_short_level = static_cast<int>(i);
      for (std::size_t r = 0; r < hard_rows.size(); ++r) out.hard_duals[r] = std::abs(glp_get_row_dual(p.get(), hard_rows[r]));
    }
    if (std::isfinite(level.upper)) glp_set_col_bnds(p.get(), z, GLP_DB, std::min(reached - tol, level.upper), level.upper);
    else glp_set_col_bnds(p.get(), z, GLP_LO, reached - tol, 0.0);
  }

  glp_set_obj_dir(p.get(), GLP_MIN);
  for (int k = 1; k <= glp_get_num_cols(p.get()); ++k) glp_set_obj_coef(p.get(), k, k <= n ? 1.0 : 0.0);
  if (!solve(p.get())) throw Error(ErrorCategory::internal, "solve_lexicographic: the last stage lost feasibility");
  for (int k = 1; k <= n; ++k)
    out.x.push_back(std::max(lp.lower_bound.empty() ? 0.0 : lp.lower_bound[k - 1], glp_get_col_prim(p.get(), k)));
  return out;
}

}  // namespace sirtkit::dosimetry
