#pragma once
// Pocock-Simon minimisation (Pocock SJ, Simon R. Sequential treatment assignment with
// balancing for prognostic factors in the controlled clinical trial. Biometrics
// 1975;31:103-115), as the R package Minirand computes it (Jin, Polis, Hartzel 2019;
// cran/Minirand R/Minirand.R; statistics-methods.md §3.4):
//
//  for each arm k, put the new patient hypothetically on k; for each factor i take the
//  counts of patients with the new patient's level of i on every arm, each divided by
//  that arm's allocation ratio; d_ik = D(those numbers), D = range, variance or standard
//  deviation (both with the n − 1 divisor, as R's var() and sd()); G_k = Σ_i w_i d_ik.
//  The arm(s) with the smallest G share probability p, the others share 1 − p; when every
//  arm has the same G, the arms are drawn with the allocation ratio.
//
// One deliberate difference from Minirand: when every G is equal Minirand draws the arms
// with equal probability whatever the ratio; here they are drawn with the ratio, as the
// first patient is in both (statistics-methods.md §3.4).

#include <string>
#include <vector>

namespace sirtkit::stats {

enum class ImbalanceMeasure { range, variance, sd };
// "range", "variance" (or "var"), "sd"; bad input naming `where` otherwise.
ImbalanceMeasure parse_imbalance_measure(const std::string& text, const std::string& where);
const char* imbalance_measure_name(ImbalanceMeasure m);

// level_counts[i][k]: patients already allocated to arm k with the new patient's level of
// factor i. weights[i] > 0, ratio[k] >= 1. Returns G_k for every arm.
std::vector<double> minimisation_scores(const std::vector<std::vector<long long>>& level_counts, const std::vector<int>& ratio,
                                        const std::vector<double>& weights, ImbalanceMeasure measure);

// The probability of each arm given its G: p shared by the arms whose G equals the
// smallest (within 1e-9 relative: G are sums of quotients), 1 − p shared by the others;
// the ratio when all are equal.
std::vector<double> minimisation_probabilities(const std::vector<double>& scores, const std::vector<int>& ratio, double p_preferred);

}  // namespace sirtkit::stats
