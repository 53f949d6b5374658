#include "stats/cox/cox_sorted_data.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "stats/numerics/fixed_columns.h"
#include "stats/numerics/parallel.h"
#include "stats/numerics/radix_sort.h"
#include "stats/survival/time_fix.h"

namespace sirtkit::stats {

namespace {

// Row order by (stratum, time) from the rows' stable order by time: near-ties
// merged (aeqSurv) with input-row order restored within each merged run, then
// a stable pass by stratum. Sets d.time and d.original_row.
void sort_rows(std::span<const double> time, std::span<const int> strata, bool timefix,
               LargeVector<std::uint32_t> order, SortedData& d) {
  const std::size_t n = time.size();
  LargeVector<double> sorted_time(n);
  for (std::size_t i = 0; i < n; ++i) sorted_time[i] = time[order[i]];
  if (timefix && aeq_sorted_times(sorted_time)) {
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i + 1;
      while (j < n && sorted_time[j] == sorted_time[i]) ++j;
      if (j - i > 1) std::sort(order.begin() + static_cast<std::ptrdiff_t>(i), order.begin() + static_cast<std::ptrdiff_t>(j));
      i = j;
    }
  }
  if (!strata.empty()) {
    std::vector<std::size_t> pos(n);
    std::iota(pos.begin(), pos.end(), std::size_t{0});
    std::stable_sort(pos.begin(), pos.end(), [&](std::size_t a, std::size_t b) { return strata[order[a]] < strata[order[b]]; });
    LargeVector<std::uint32_t> o2(n);
    LargeVector<double> t2(n);
    for (std::size_t i = 0; i < n; ++i) {
      o2[i] = order[pos[i]];
      t2[i] = sorted_time[pos[i]];
    }
    order.swap(o2);
    sorted_time.swap(t2);
  }
  d.time = std::move(sorted_time);
  d.original_row = std::move(order);
}

// coxfit6.c centring and scaling: mean, and n / sum |x - mean| (1 when that
// sum is 0); columns all in {-1, 0, 1} are left alone (coxph nocenter). With
// case weights w: the weighted mean and sum w / sum w |x - mean| (coxfit6.c).
void column_centre_and_scale(const double* col, std::size_t n, std::span<const double> w, double& mean_out,
                             double& scale_out) {
  mean_out = 0;
  scale_out = 1;
  bool zero_one = true;
  for (std::size_t i = 0; i < n && zero_one; ++i) zero_one = col[i] == 0 || col[i] == 1 || col[i] == -1;
  if (zero_one) return;
  if (!w.empty()) {
    double sw = 0, mean = 0;
    for (std::size_t i = 0; i < n; ++i) {
      sw += w[i];
      mean += w[i] * col[i];
    }
    mean /= sw;
    double sabs = 0;
    for (std::size_t i = 0; i < n; ++i) sabs += w[i] * std::fabs(col[i] - mean);
    scale_out = sabs > 0 ? sw / sabs : 1.0;
    mean_out = mean;
    return;
  }
  double mean = 0;
  for (std::size_t i = 0; i < n; ++i) mean += col[i];
  mean /= static_cast<double>(n);
  double sabs = 0;
  for (std::size_t i = 0; i < n; ++i) sabs += std::fabs(col[i] - mean);
  scale_out = sabs > 0 ? static_cast<double>(n) / sabs : 1.0;
  mean_out = mean;
}

// Rows b..e-1 of x, centred and scaled, each written to its sorted position
// in the row-major out: the columns are read sequentially, the rows
// scattered.
template <int P>
void scatter_rows(const Eigen::MatrixXd& x, std::span<const std::uint32_t> position, const Eigen::VectorXd& means_given,
                  const Eigen::VectorXd& scale_given, std::size_t b, std::size_t e, double* out) {
  const int p = columns<P>(static_cast<int>(x.cols()));
  const auto rows = static_cast<std::size_t>(x.rows());
  const ColumnVector<P> means = means_given, scale = scale_given;
  const double* in = x.data();  // column-major
  for (std::size_t i = b; i < e; ++i) {
    double* dst = out + static_cast<std::size_t>(position[i]) * static_cast<std::size_t>(p);
    for (int j = 0; j < p; ++j) dst[j] = (in[static_cast<std::size_t>(j) * rows + i] - means(j)) * scale(j);
  }
}

}  // namespace

SortedData sort_and_scale(std::span<const double> time, std::span<const int> status, const Eigen::MatrixXd& x,
                          std::span<const int> strata, bool timefix, int threads, std::span<const double> weights) {
  const std::size_t n = time.size();
  const int p = static_cast<int>(x.cols());
  const auto parts = static_cast<std::size_t>(std::max(1, n >= 20000 ? threads : 1));
  SortedData d;
  d.n = static_cast<int>(n);
  d.p = p;
  d.means.resize(p);
  d.scale.resize(p);
  d.x.resize(n * static_cast<std::size_t>(p));  // default-initialised; every element written below
  // The radix sort by time on all threads; then, on one thread, the rest of
  // the ordering and the flags, and on another the column statistics.
  LargeVector<std::uint32_t> time_order = radix_order(time, static_cast<int>(parts));
  auto sort_and_flag = [&] {
    sort_rows(time, strata, timefix, std::move(time_order), d);
    const auto& rows = d.original_row;
    d.status.resize(n);
    d.stratum_end.assign(n, 0);
    std::int64_t nevent = 0;
    for (std::size_t i = 0; i < n; ++i) {
      const auto r = rows[i];
      d.status[i] = status[r] != 0 ? 1 : 0;
      nevent += d.status[i];
      if (i + 1 == n || (!strata.empty() && strata[rows[i + 1]] != strata[r])) d.stratum_end[i] = 1;
    }
    d.nevent = nevent;
    if (!weights.empty()) {
      d.weight.resize(n);
      for (std::size_t i = 0; i < n; ++i) d.weight[i] = weights[rows[i]];
    }
  };
  auto columns = [&] {
    for (Eigen::Index j = 0; j < p; ++j) column_centre_and_scale(x.col(j).data(), n, weights, d.means(j), d.scale(j));
  };
  if (parts == 1) {
    sort_and_flag();
    columns();
  } else {
    // On the second thread the first touch of x's fresh pages too (page
    // faults, 20,000 for 1e6 x 10), which would otherwise be paid in the
    // scatter below.
    run_parts(2, [&](std::size_t part) {
      if (part == 0) return sort_and_flag();
      columns();
      for (std::size_t i = 0; i < d.x.size(); i += 512) d.x[i] = 0;
    });
  }
  const auto& rows = d.original_row;
  // Row-major copy in time order: read the columns sequentially and scatter
  // each row to its sorted position.
  LargeVector<std::uint32_t> position(n);
  run_ranges(n, parts, [&](std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) position[rows[i]] = static_cast<std::uint32_t>(i);
  });
  with_fixed_columns(p, [&](auto fixed) {
    run_ranges(n, parts, [&](std::size_t b, std::size_t e) {
      scatter_rows<decltype(fixed)::value>(x, position, d.means, d.scale, b, e, d.x.data());
    });
  });
  return d;
}

}  // namespace sirtkit::stats
