#pragma once
// Stepwise selection of Cox model terms by AIC, as MASS::stepAIC on a coxph
// fit (MASS 7.3, k = 2): AIC = -2 loglik(beta-hat) + 2 edf with edf the number
// of estimated coefficients (extractAIC.coxph); the empty model has AIC
// -2 loglik(0). Each step compares the current model with every model one
// term smaller (and, for "both"/"forward", one term larger) on the same rows,
// moves to the lowest AIC, and stops when the current model is lowest.
// A term may span several design columns (factor dummies).

#include <Eigen/Dense>
#include <span>
#include <string>
#include <vector>

#include "stats/cox/cox_model.h"

namespace sirtkit::stats {

enum class StepDirection { both, backward, forward };
StepDirection parse_step_direction(const std::string& name);  // throws bad_input

struct StepwiseStep {
  std::string action;  // "start", "- term", "+ term"
  double aic = 0;
  std::vector<int> terms;  // the model after this step
};

struct StepwiseResult {
  std::vector<int> kept;  // term indices of the final model, in term order
  double aic = 0;
  std::vector<StepwiseStep> path;
};

// terms[k] = the design columns of term k; names[k] its name (for the path).
// Starts from all terms (both, backward) or none (forward). With `start`
// (entry times), `time` holds the stop times of (start, stop] rows and every
// model is fitted as coxph(Surv(start, stop, event) ~ ...).
StepwiseResult stepwise_aic(std::span<const double> time, std::span<const int> status, const Eigen::MatrixXd& x,
                            const std::vector<std::vector<int>>& terms, const std::vector<std::string>& names,
                            StepDirection direction = StepDirection::both, const CoxOptions& options = {},
                            std::span<const int> strata = {}, std::span<const double> start = {});

}  // namespace sirtkit::stats
