#pragma once
// Harrell's concordance of a risk score with right-censored survival, counted
// as survival::concordancefit(y, x, strata, reverse = TRUE, timefix = FALSE)
// (survival 3.5-3, R/concordance.R): a pair is comparable when the shorter
// time is an event (a censoring at the same time counts as longer); pairs with
// tied event times are tied.y and excluded. C = (concordant + tied.x / 2) /
// (concordant + discordant + tied.x). O(n log n) with a Fenwick tree.

#include <cstdint>
#include <span>

namespace sirtkit::stats {

struct Concordance {
  std::int64_t concordant = 0, discordant = 0, tied_x = 0, tied_y = 0;
  double value() const;
};

// risk_score: higher = shorter predicted survival (e.g. the Cox linear predictor).
// Above 50,000 rows per thread the pairs are counted in `threads` parallel
// ranges; the counts are the same for any thread count.
Concordance concordance(std::span<const double> time, std::span<const int> status,
                        std::span<const double> risk_score, std::span<const int> strata = {}, int threads = 1);

// The same for rows sorted by stratum and time ascending within each, as
// cox_fit holds them; stratum_end marks each stratum's last row. Skips the
// sort and the copies.
Concordance concordance_sorted(std::span<const double> time, std::span<const int> status,
                               std::span<const double> risk_score, std::span<const char> stratum_end,
                               int threads = 1);

}  // namespace sirtkit::stats
