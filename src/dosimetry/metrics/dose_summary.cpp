#include "dosimetry/metrics/dose_summary.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>

namespace sirtkit::dosimetry {
namespace {

constexpr int kBucketBits = 12;  // at most 4096 key buckets

// Ascending floats give ascending keys (the sign bit flipped for x >= +0,
// every bit flipped for x < 0); -0 is keyed as +0, its equal.
std::uint32_t key_of(float x) {
  const auto b = std::bit_cast<std::uint32_t>(x + 0.f);  // -0 + 0 is +0
  return b ^ ((b >> 31) ? 0xFFFFFFFFu : 0x80000000u);
}

struct Range {
  float min = 0, max = 0;
  bool finite = true;
};

// Eight running minima and maxima side by side (the compiler keeps them in
// vector registers); with finite doses the order of comparison does not matter.
Range range_of(std::span<const float> d) {
  std::array<float, 8> lo, hi;
  lo.fill(d[0]);
  hi.fill(d[0]);
  std::uint32_t special = 0;  // exponent bits all ones: infinite or NaN
  std::size_t i = 0;
  for (; i + 8 <= d.size(); i += 8)
    for (std::size_t k = 0; k < 8; ++k) {
      const float x = d[i + k];
      lo[k] = x < lo[k] ? x : lo[k];
      hi[k] = x > hi[k] ? x : hi[k];
      special |= (std::bit_cast<std::uint32_t>(x) & 0x7F800000u) == 0x7F800000u;
    }
  for (; i < d.size(); ++i) {
    const float x = d[i];
    lo[0] = x < lo[0] ? x : lo[0];
    hi[0] = x > hi[0] ? x : hi[0];
    special |= (std::bit_cast<std::uint32_t>(x) & 0x7F800000u) == 0x7F800000u;
  }
  Range r{lo[0], hi[0], special == 0};
  for (std::size_t k = 1; k < 8; ++k) {
    r.min = lo[k] < r.min ? lo[k] : r.min;
    r.max = hi[k] > r.max ? hi[k] : r.max;
  }
  return r;
}

// The doses gathered from a few key buckets, each bucket's doses side by side.
class BucketDoses {
 public:
  explicit BucketDoses(std::span<const std::uint32_t> counts) : counts_(counts), slot_of_(counts.size(), kNone) {}
  // Marks bucket b to be gathered; returns its slot.
  std::size_t want(std::size_t b) {
    if (slot_of_[b] == kNone) {
      slot_of_[b] = static_cast<std::uint32_t>(begin_.size());
      begin_.push_back(total_);
      total_ += counts_[b];
    }
    return slot_of_[b];
  }
  void gather(std::span<const float> doses, std::span<const std::uint16_t> bucket) {
    values_.resize(total_);
    std::vector<std::size_t> at = begin_;
    for (std::size_t i = 0; i < doses.size(); ++i)
      if (const std::uint32_t s = slot_of_[bucket[i]]; s != kNone) values_[at[s]++] = doses[i];
  }
  // The doses of slot s (reordered by the caller's selections).
  std::span<float> slot(std::size_t s) {
    const std::size_t end = s + 1 < begin_.size() ? begin_[s + 1] : total_;
    return std::span<float>(values_).subspan(begin_[s], end - begin_[s]);
  }

 private:
  static constexpr std::uint32_t kNone = 0xFFFFFFFFu;
  std::span<const std::uint32_t> counts_;
  std::vector<std::uint32_t> slot_of_;  // per bucket: its slot, or kNone
  std::vector<std::size_t> begin_;
  std::size_t total_ = 0;
  std::vector<float> values_;
};

}  // namespace

std::optional<DoseSummary> summarise_doses(std::span<const float> d, std::span<const float> masses, double voxel_volume_ml,
                                           const MetricRequest& request, int bins) {
  const std::size_t n = d.size();
  const Range range = range_of(d);
  if (!range.finite) return std::nullopt;
  DoseSummary s;
  DoseMetrics& m = s.metrics;
  m.voxels = n;
  m.volume_ml = static_cast<double>(n) * voxel_volume_ml;
  m.min_gy = range.min;
  m.max_gy = range.max;

  // 2. Mean, DVH bins (cumulative_dvh's step and formula) and key buckets, in grid order.
  const double max_dose = range.max;
  const double step = max_dose > 0 ? max_dose / bins : 1.0;
  const std::uint32_t key_min = key_of(range.min), key_span = key_of(range.max) - key_min;
  const int shift = std::max(0, static_cast<int>(std::bit_width(key_span)) - kBucketBits);
  const std::size_t buckets = (key_span >> shift) + 1;
  thread_local std::vector<std::uint16_t> bucket;  // per voxel
  bucket.resize(n);
  std::vector<std::uint32_t> in_bucket(buckets, 0);
  std::vector<std::size_t> in_bin(static_cast<std::size_t>(bins) + 1, 0);
  double energy = 0, mass = 0;
  for (std::size_t i = 0; i < n; ++i) {
    energy += static_cast<double>(d[i]) * masses[i];
    mass += masses[i];
    // A dose is at most the maximum, so the quotient stays near `bins`: no overflow.
    ++in_bin[std::min<std::size_t>(bins, static_cast<std::int64_t>(std::max(0.0, d[i] / step)))];
    const auto b = static_cast<std::uint16_t>((key_of(d[i]) - key_min) >> shift);
    bucket[i] = b;
    ++in_bucket[b];
  }
  m.mass_kg = mass;
  m.mean_gy = mass > 0 ? energy / mass : 0;
  s.dvh.resize(in_bin.size());
  std::size_t above = 0;
  for (int b = bins; b >= 0; --b) {
    above += in_bin[b];
    s.dvh[b] = {b * step, 100.0 * static_cast<double>(above) / static_cast<double>(n)};
  }

  // 3. The buckets holding each Dx rank (high to low) and each Vx threshold.
  std::vector<std::size_t> higher(buckets);  // doses in higher buckets: falls as the bucket rises
  for (std::size_t b = buckets, sum = 0; b-- > 0;) {
    higher[b] = sum;
    sum += in_bucket[b];
  }
  BucketDoses gathered{std::span<const std::uint32_t>(in_bucket)};
  struct Pick {
    std::optional<std::size_t> slot;  // the bucket's gathered doses (Vx: none when the threshold is outside the doses)
    std::size_t before;               // Dx: the rank within the bucket (1-based, high to low); Vx: doses counted already
  };
  std::vector<Pick> dx, vx;
  for (double x : request.d_percents) {
    // The first bucket with fewer than `rank` doses above it holds the rank.
    const std::size_t rank = dx_rank(n, x);
    const auto b = static_cast<std::size_t>(std::partition_point(higher.begin(), higher.end(), [&](std::size_t h) { return h >= rank; }) - higher.begin());
    dx.push_back({gathered.want(b), rank - higher[b]});
  }
  for (double t : request.v_gy) {
    if (!(t <= max_dose)) {  // above every dose (or NaN: no dose is >= it)
      vx.push_back({std::nullopt, 0});
    } else if (t <= range.min) {
      vx.push_back({std::nullopt, n});
    } else {
      // The bucket of the float nearest t (between min and max): every dose of a
      // higher bucket is above it and so at least t (no float lies strictly
      // between t and the float above it), every dose of a lower one below t.
      const std::size_t b = (key_of(static_cast<float>(t)) - key_min) >> shift;
      vx.push_back({gathered.want(b), higher[b]});
    }
  }
  gathered.gather(d, bucket);
  for (std::size_t i = 0; i < dx.size(); ++i) {
    const std::span<float> v = gathered.slot(*dx[i].slot);
    const auto at = v.begin() + static_cast<std::ptrdiff_t>(dx[i].before - 1);
    std::nth_element(v.begin(), at, v.end(), std::greater<float>());
    m.d_at_percent.emplace_back(request.d_percents[i], *at);
  }
  for (std::size_t i = 0; i < vx.size(); ++i) {
    const double t = request.v_gy[i];
    std::size_t count = vx[i].before;
    if (vx[i].slot)
      for (float x : gathered.slot(*vx[i].slot)) count += x >= t;
    m.v_at_gy.emplace_back(t, 100.0 * static_cast<double>(count) / static_cast<double>(n));
  }
  return s;
}

}  // namespace sirtkit::dosimetry
