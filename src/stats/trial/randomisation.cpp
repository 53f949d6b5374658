#include "stats/trial/randomisation.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <set>

#include "core/error.h"
#include "core/format.h"
#include "stats/trial/permuted_blocks.h"

namespace sirtkit::stats {
namespace {

const std::string label_prefix = "sirtkit/randomise/v1/";

int ratio_total(const RandomisationScheme& s) { return std::accumulate(s.ratio.begin(), s.ratio.end(), 0); }

// An arm drawn with the allocation ratio: exact integer draw.
int draw_with_ratio(RandomStream& stream, const std::vector<int>& ratio) {
  long long u = static_cast<long long>(stream.below(static_cast<std::uint64_t>(std::accumulate(ratio.begin(), ratio.end(), 0))));
  for (std::size_t k = 0; k < ratio.size(); ++k) {
    if (u < ratio[k]) return static_cast<int>(k);
    u -= ratio[k];
  }
  throw Error(ErrorCategory::internal, "draw_with_ratio: out of range");
}

// An arm drawn with probabilities (summing to 1): the first arm whose cumulative
// probability exceeds u; the last arm with a positive probability takes what rounding leaves.
int draw_with_probabilities(RandomStream& stream, const std::vector<double>& prob) {
  const double u = stream.unit();
  double cumulative = 0;
  int last_positive = 0;
  for (std::size_t k = 0; k < prob.size(); ++k) {
    if (prob[k] <= 0) continue;
    last_positive = static_cast<int>(k);
    cumulative += prob[k];
    if (u < cumulative) return static_cast<int>(k);
  }
  return last_positive;
}

std::vector<double> ratio_probabilities(const std::vector<int>& ratio) {
  const double total = std::accumulate(ratio.begin(), ratio.end(), 0.0);
  std::vector<double> p;
  for (int r : ratio) p.push_back(r / total);
  return p;
}

}  // namespace

RandomisationMethod parse_randomisation_method(const std::string& text, const std::string& where) {
  if (text == "simple") return RandomisationMethod::simple;
  if (text == "blocks" || text == "permuted_blocks") return RandomisationMethod::permuted_blocks;
  if (text == "minimisation" || text == "minimization") return RandomisationMethod::minimisation;
  fail_input(where, "method", text, "simple, blocks or minimisation");
}

const char* randomisation_method_name(RandomisationMethod m) {
  switch (m) {
    case RandomisationMethod::simple: return "simple";
    case RandomisationMethod::permuted_blocks: return "blocks";
    case RandomisationMethod::minimisation: return "minimisation";
  }
  return "?";
}

void validate_scheme(const RandomisationScheme& s, const std::string& where) {
  const std::size_t arms = s.arms.size();
  if (arms < 2 || arms > 16) fail_input(where, "arms", std::to_string(arms) + " arms", "2 to 16 arms");
  std::set<std::string> seen;
  for (const std::string& a : s.arms) {
    if (a.empty()) fail_input(where, "arms", "''", "a non-empty arm code");
    if (!seen.insert(a).second) fail_input(where, "arms", a, "distinct arm codes (given twice)");
  }
  if (s.ratio.size() != arms)
    fail_input(where, "ratio", std::to_string(s.ratio.size()) + " numbers", "one number per arm (" + std::to_string(arms) + ")");
  for (int r : s.ratio)
    if (r < 1 || r > 100) fail_input(where, "ratio", std::to_string(r), "a whole number from 1 to 100 per arm");
  const int total = ratio_total(s);
  if (s.method == RandomisationMethod::permuted_blocks) {
    if (s.block_sizes.empty()) fail_input(where, "block_sizes", "(none)", "at least one block size");
    for (int b : s.block_sizes)
      if (b < total || b > 1000 || b % total != 0)
        fail_input(where, "block_sizes", std::to_string(b),
                   "a multiple of the ratio's sum " + std::to_string(total) + " from " + std::to_string(total) + " to 1000");
  }
  std::set<std::string> names;
  for (const RandomisationFactor& f : s.factors) {
    if (f.name.empty() || f.name.find_first_of("=;") != std::string::npos)
      fail_input(where, "factor", f.name, "a name without '=' or ';'");
    if (!names.insert(f.name).second) fail_input(where, "factor", f.name, "distinct factor names (given twice)");
    if (f.levels.empty()) fail_input(where, "factor " + f.name + " levels", "(none)", "at least one level");
    std::set<std::string> lv;
    for (const std::string& l : f.levels) {
      if (l.empty() || l.find_first_of("=;") != std::string::npos)
        fail_input(where, "factor " + f.name + " levels", l, "a non-empty level without '=' or ';'");
      if (!lv.insert(l).second) fail_input(where, "factor " + f.name + " levels", l, "distinct levels (given twice)");
    }
    if (!(f.weight > 0) || !std::isfinite(f.weight)) fail_input(where, "factor " + f.name + " weight", num(f.weight), "a weight > 0");
  }
  if (s.method == RandomisationMethod::minimisation) {
    if (s.factors.empty()) fail_input(where, "factors", "(none)", "at least one factor to minimise over");
    const double lowest = 1.0 / static_cast<double>(arms);
    if (!(s.p_preferred >= lowest && s.p_preferred <= 1))
      fail_input(where, "p", num(s.p_preferred), "a probability from 1/arms = " + num(lowest) + " to 1 for the preferred arm");
    if (s.random_first < 0) fail_input(where, "random_first", std::to_string(s.random_first), "a number of patients >= 0");
  }
}

std::vector<int> factor_level_indices(const RandomisationScheme& s, const std::vector<std::string>& levels, const std::string& where) {
  if (levels.size() != s.factors.size())
    fail_input(where, "factor levels", std::to_string(levels.size()) + " given",
               "one level for each of the " + std::to_string(s.factors.size()) + " factors");
  std::vector<int> idx;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const auto& lv = s.factors[i].levels;
    const auto it = std::find(lv.begin(), lv.end(), levels[i]);
    if (it == lv.end()) {
      std::string allowed;
      for (const std::string& l : lv) allowed += (allowed.empty() ? "" : ", ") + l;
      fail_input(where, "factor " + s.factors[i].name, levels[i], "one of " + allowed);
    }
    idx.push_back(static_cast<int>(it - lv.begin()));
  }
  return idx;
}

std::string stratum_name(const RandomisationScheme& s, const std::vector<int>& levels) {
  std::string name;
  for (std::size_t i = 0; i < s.factors.size(); ++i)
    name += (i ? ";" : "") + s.factors[i].name + "=" + s.factors[i].levels[static_cast<std::size_t>(levels[i])];
  return name;
}

RandomisationState start_randomisation(const RandomisationScheme& s) {
  RandomisationState st;
  st.arm_totals.assign(s.arms.size(), 0);
  for (const RandomisationFactor& f : s.factors)
    st.counts.emplace_back(f.levels.size(), std::vector<long long>(s.arms.size(), 0));
  return st;
}

Allocation allocate(const RandomisationScheme& s, RandomisationState& st, const std::vector<int>& levels) {
  if (levels.size() != s.factors.size()) throw Error(ErrorCategory::internal, "allocate: one level per factor");
  for (std::size_t i = 0; i < levels.size(); ++i)
    if (levels[i] < 0 || static_cast<std::size_t>(levels[i]) >= s.factors[i].levels.size())
      throw Error(ErrorCategory::internal, "allocate: level index out of range");
  Allocation a;
  a.number = st.allocated + 1;
  switch (s.method) {
    case RandomisationMethod::simple: {
      RandomStream stream(s.seed, label_prefix + "simple/" + std::to_string(a.number));
      a.arm = draw_with_ratio(stream, s.ratio);
      a.probabilities = ratio_probabilities(s.ratio);
      break;
    }
    case RandomisationMethod::permuted_blocks: {
      a.stratum = stratum_name(s, levels);
      auto it = st.strata.find(a.stratum);
      if (it == st.strata.end())
        it = st.strata.emplace(a.stratum, RandomisationState::StratumList{RandomStream(s.seed, label_prefix + "blocks/" + a.stratum), {}, 0, 0})
                 .first;
      auto& list = it->second;
      if (list.next == list.block.size()) {
        list.block = permuted_block(list.stream, s.ratio, s.block_sizes);
        list.next = 0;
        ++list.blocks;
      }
      a.arm = list.block[list.next];
      a.block = list.blocks;
      a.block_size = static_cast<int>(list.block.size());
      a.position = static_cast<int>(++list.next);
      // What was left of the block decided this arm: its share of the remaining places.
      a.probabilities.assign(s.arms.size(), 0.0);
      const double remaining = static_cast<double>(list.block.size() - list.next + 1);
      for (std::size_t j = list.next - 1; j < list.block.size(); ++j) a.probabilities[static_cast<std::size_t>(list.block[j])] += 1 / remaining;
      break;
    }
    case RandomisationMethod::minimisation: {
      RandomStream stream(s.seed, label_prefix + "minimisation/" + std::to_string(a.number));
      if (st.allocated < s.random_first) {
        a.arm = draw_with_ratio(stream, s.ratio);
        a.probabilities = ratio_probabilities(s.ratio);
        break;
      }
      std::vector<std::vector<long long>> level_counts;
      std::vector<double> weights;
      for (std::size_t i = 0; i < s.factors.size(); ++i) {
        level_counts.push_back(st.counts[i][static_cast<std::size_t>(levels[i])]);
        weights.push_back(s.factors[i].weight);
      }
      a.scores = minimisation_scores(level_counts, s.ratio, weights, s.imbalance);
      a.probabilities = minimisation_probabilities(a.scores, s.ratio, s.p_preferred);
      a.arm = draw_with_probabilities(stream, a.probabilities);
      break;
    }
  }
  ++st.allocated;
  ++st.arm_totals[static_cast<std::size_t>(a.arm)];
  for (std::size_t i = 0; i < levels.size(); ++i) ++st.counts[i][static_cast<std::size_t>(levels[i])][static_cast<std::size_t>(a.arm)];
  return a;
}

std::vector<Allocation> replay_allocations(const RandomisationScheme& s, const std::vector<std::vector<int>>& sequence) {
  RandomisationState st = start_randomisation(s);
  std::vector<Allocation> out;
  out.reserve(sequence.size());
  for (const auto& levels : sequence) out.push_back(allocate(s, st, levels));
  return out;
}

}  // namespace sirtkit::stats
