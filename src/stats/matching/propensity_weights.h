#pragma once
// Inverse-probability-of-treatment weights from propensity scores e(x):
//  - ATE: 1 / e for the treated, 1 / (1 - e) for the controls;
//  - ATT: 1 for the treated, e / (1 - e) for the controls;
//  - stabilised: each weight times the proportion of units in the unit's own
//    arm (WeightIt's weightit(stabilize = TRUE); for the ATE these are the
//    stabilised weights of Robins, Hernan & Brumback 2000, Epidemiology
//    11:550, P(T = t) / P(T = t | x)), so the weights average about 1.

#include <span>
#include <vector>

namespace sirtkit::stats {

enum class Estimand { ate, att };

// treat: 0/1 per row; propensity: e(x) per row, strictly between 0 and 1.
std::vector<double> propensity_weights(std::span<const int> treat, std::span<const double> propensity, Estimand estimand,
                                       bool stabilised);

// Kish's effective sample size (sum w)^2 / sum w^2 of the rows of one arm.
double effective_sample_size(std::span<const int> treat, std::span<const double> weights, int arm);

}  // namespace sirtkit::stats
