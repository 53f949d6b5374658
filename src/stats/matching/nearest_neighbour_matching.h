#pragma once
// Greedy nearest-neighbour matching on a scalar distance (a propensity score
// or its logit) as MatchIt 4.5's matchit(method = "nearest") documents and
// implements it (R/matchit2nearest.R, src/nn_matchC_vec.cpp); with
// matchit_451 set, unit for unit as the installed MatchIt 4.5.1 (see below):
//  - treated units are taken in order of decreasing distance (m.order =
//    "largest", MatchIt's default for the ATT), ties in data order; with
//    replacement in data order (MatchIt switches to "data" then, since the
//    order cannot change the result);
//  - each takes the closest available control on the sorted distance scale,
//    the one below when both sides are equally close; controls with the same
//    distance are ordered by data order;
//  - 1:k matching runs in k rounds: every treated unit gets its first match
//    before any gets its second;
//  - without replacement a control is used once; with replacement any number
//    of times (but once per treated unit);
//  - caliper: a control farther than `caliper` (in distance units) is not a
//    match; the caller converts a caliper in SDs (MatchIt's std.caliper =
//    TRUE: caliper x sd(distance) over all units);
//  - exact: units match only within the same exact-stratum code; each stratum
//    is matched on its own.
// Weights as MatchIt: 1 for a matched treated unit; each control gets 1/m
// from every treated unit it is one of m matches of, and the control weights
// are then scaled to sum to the number of matched controls. Subclasses (the
// matched sets; none with replacement) are numbered as MatchIt numbers them:
// by the treated unit's 1-based row number sorted as text ("1" < "10" < "2").

#include <optional>
#include <span>
#include <vector>

namespace sirtkit::stats {

struct NearestNeighbourOptions {
  int ratio = 1;
  bool replace = false;
  std::optional<double> caliper;  // in distance units
  // Reproduce MatchIt 4.5.1 (the version installed with R here) bug for bug:
  // distance differences truncated to integers before every comparison (so a
  // caliper below 1 never excludes and, on the probability scale, the control
  // below is always taken), and the check against reusing a control for the
  // same treated unit off by one (with replacement and ratio k > 1 the same
  // control is taken k times). MatchIt issue #163; fixed in 4.5.4.
  bool matchit_451 = false;
};

struct NearestNeighbourMatch {
  std::vector<std::size_t> treated;              // the treated rows, in data order
  std::vector<std::vector<std::size_t>> matches;  // per treated row: its control rows in the order matched
  std::vector<double> weights;                   // per row (0 = not matched)
  std::vector<int> subclass;                     // per row: matched set 1, 2, ...; 0 = none (or with replacement)
  std::size_t matched_treated = 0, matched_control = 0;
};

// treat: 0/1 per row; distance per row; exact: stratum code per row (empty: no exact matching).
NearestNeighbourMatch nearest_neighbour_match(std::span<const int> treat, std::span<const double> distance,
                                              std::span<const int> exact, const NearestNeighbourOptions& options);

}  // namespace sirtkit::stats
