#include "dosimetry/voxel/point_kernel.h"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <map>
#include <numbers>

#include "core/error.h"
#include "physics/y90.h"

namespace sirtkit::dosimetry {
namespace {

constexpr double kPi = std::numbers::pi;

// Gauss–Legendre nodes and weights on [0, 1].
struct GaussRule {
  std::vector<double> x, w;
};

GaussRule make_gauss_rule(int n) {
  GaussRule g;
  g.x.resize(n);
  g.w.resize(n);
  for (int i = 0; i < n; ++i) {
    double z = std::cos(kPi * (i + 0.75) / (n + 0.5));
    double dp = 1;
    for (int it = 0; it < 100; ++it) {
      double p0 = 1, p1 = z;
      for (int k = 2; k <= n; ++k) {
        const double p2 = ((2.0 * k - 1.0) * z * p1 - (k - 1.0) * p0) / k;
        p0 = p1;
        p1 = p2;
      }
      dp = n * (z * p1 - p0) / (z * z - 1.0);
      const double dz = p1 / dp;
      z -= dz;
      if (std::abs(dz) < 1e-15) break;
    }
    g.x[i] = 0.5 * (1.0 + z);
    g.w[i] = 1.0 / ((1.0 - z * z) * dp * dp);  // 2/((1−z²)P'²) halved for [0, 1]
  }
  return g;
}

// Quadrature orders (points per panel). Raising them to 14 and 12 changes no
// fitted residual and moves kernel fractions by < 2e-5 (4.07x4.07x3.27 mm
// self voxel 0.36237 → 0.36238) at 5× the cost.
constexpr int kPolarOrder = 6;
constexpr int kRadialOrder = 5;

const GaussRule& polar_rule() {
  static const GaussRule g = make_gauss_rule(kPolarOrder);
  return g;
}
const GaussRule& radial_rule() {
  static const GaussRule g = make_gauss_rule(kRadialOrder);
  return g;
}

// ∫_a^b f with the panel mapped through the smoothstep t = a + (b−a)(3w² − 2w³):
// its Jacobian vanishes at both ends, which turns the square-root behaviour
// the integrands have at tangencies into smooth behaviour for Gauss–Legendre.
template <class F>
double panel_integral(double a, double b, const GaussRule& g, F&& f) {
  const double len = b - a;
  double sum = 0;
  for (size_t i = 0; i < g.x.size(); ++i) {
    const double w = g.x[i];
    const double s = w * w * (3.0 - 2.0 * w);
    const double ds = 6.0 * w * (1.0 - w);
    sum += g.w[i] * ds * f(a + len * s);
  }
  return sum * len;
}

double triangle(double w, double h) {
  const double v = 1.0 - std::abs(w) / h;
  return v > 0 ? v : 0.0;
}

// Distance from the origin to the nearest and farthest points of the box
// Πa [ca − ha, ca + ha].
template <size_t N>
std::pair<double, double> box_distance_range(const double* c, const double* h) {
  double near2 = 0, far2 = 0;
  for (size_t a = 0; a < N; ++a) {
    const double n = std::max(0.0, std::abs(c[a]) - h[a]);
    const double f = std::abs(c[a]) + h[a];
    near2 += n * n;
    far2 += f * f;
  }
  return {std::sqrt(near2), std::sqrt(far2)};
}

// (1/2π) ∫ Λx(ρ cos φ − cx) Λy(ρ sin φ − cy) dφ in closed form: between the
// angles where an argument crosses a triangle's kink, both factors are linear
// in cos φ and sin φ, and their product integrates exactly.
double circle_average(double rho, double cx, double cy, double hx, double hy) {
  if (rho <= 1e-12 * (hx + hy)) return triangle(cx, hx) * triangle(cy, hy);
  const double c[2] = {cx, cy}, h[2] = {hx, hy};
  const auto [near, far] = box_distance_range<2>(c, h);
  if (rho <= near || rho >= far) return 0.0;
  double breaks[14];
  int n = 0;
  breaks[n++] = 0.0;
  breaks[n++] = 2.0 * kPi;
  for (double v : {cx - hx, cx, cx + hx})
    if (std::abs(v) < rho) {
      const double a = std::acos(v / rho);
      breaks[n++] = a;
      breaks[n++] = 2.0 * kPi - a;
    }
  for (double v : {cy - hy, cy, cy + hy})
    if (std::abs(v) < rho) {
      const double a = std::asin(v / rho);
      breaks[n++] = a < 0 ? a + 2.0 * kPi : a;
      breaks[n++] = kPi - a;
    }
  std::sort(breaks, breaks + n);
  double sum = 0;
  for (int i = 0; i + 1 < n; ++i) {
    const double p0 = breaks[i], p1 = breaks[i + 1];
    if (p1 <= p0) continue;
    const double pm = 0.5 * (p0 + p1);
    const double wx = rho * std::cos(pm) - cx, wy = rho * std::sin(pm) - cy;
    if (std::abs(wx) >= hx || std::abs(wy) >= hy) continue;
    // Λx = ax + bx cos φ, Λy = ay + by sin φ on this arc.
    const double sx = wx > 0 ? 1.0 : -1.0, sy = wy > 0 ? 1.0 : -1.0;
    const double ax = 1.0 + sx * cx / hx, bx = -sx * rho / hx;
    const double ay = 1.0 + sy * cy / hy, by = -sy * rho / hy;
    const double c0 = std::cos(p0), c1 = std::cos(p1), s0 = std::sin(p0), s1 = std::sin(p1);
    sum += ax * ay * (p1 - p0) + ax * by * (c0 - c1) + bx * ay * (s1 - s0) + 0.5 * bx * by * (s1 * s1 - s0 * s0);
  }
  return sum / (2.0 * kPi);
}

// Appends to `out` the radii at which the 2-D or 3-D weight changes form:
// distances to the kink planes, lines and points of the triangles.
void kink_radii(const double* c, const double* h, int dims, std::vector<double>& out) {
  double v[3][3];
  for (int a = 0; a < dims; ++a) {
    v[a][0] = c[a] - h[a];
    v[a][1] = c[a];
    v[a][2] = c[a] + h[a];
    for (double x : v[a]) out.push_back(std::abs(x));
  }
  for (int a = 0; a < dims; ++a)
    for (int b = a + 1; b < dims; ++b)
      for (double x : v[a])
        for (double y : v[b]) out.push_back(std::hypot(x, y));
  if (dims == 3)
    for (double x : v[0])
      for (double y : v[1])
        for (double z : v[2]) out.push_back(std::sqrt(x * x + y * y + z * z));
}

// Sorted, de-duplicated break points in [lo, hi], always including both ends.
std::vector<double> panel_breaks(double lo, double hi, std::vector<double> inner) {
  std::vector<double> b{lo, hi};
  const double eps = 1e-12 * std::max(1.0, std::abs(hi - lo));
  for (double x : inner)
    if (x > lo + eps && x < hi - eps) b.push_back(x);
  std::sort(b.begin(), b.end());
  std::vector<double> out;
  for (double x : b)
    if (out.empty() || x - out.back() > eps) out.push_back(x);
  if (out.back() < hi) out.back() = hi;
  return out;
}

// Gy per decay to MeV per decay in one voxel of the table's soft tissue.
double table_mev_per_s_value(double voxel_mm) {
  const double voxel_kg = physics::kLanconelliSoftTissueDensityGPerMl * voxel_mm * voxel_mm * voxel_mm / 1e6;
  return 1e-9 * voxel_kg / physics::kJoulePerMeV;  // S in mGy/(MBq·s) = 1e-9 Gy per decay
}

// Row of the design matrix: the energy deposited at offset c per unit of each
// hat function of e(r) (knots 0..n−1, spacing `knot`).
std::vector<double> basis_row(const std::array<double, 3>& c, const std::array<double, 3>& h, double knot,
                              int n_knots) {
  std::vector<double> row(n_knots, 0.0);
  const double range = knot * n_knots;
  const auto [near, far] = box_distance_range<3>(c.data(), h.data());
  const double lo = near, hi = std::min(far, range);
  if (lo >= hi) return row;
  std::vector<double> inner;
  for (int k = 1; k < n_knots; ++k) inner.push_back(k * knot);
  kink_radii(c.data(), h.data(), 3, inner);
  const auto breaks = panel_breaks(lo, hi, std::move(inner));
  for (size_t p = 0; p + 1 < breaks.size(); ++p) {
    const double a = breaks[p], b = breaks[p + 1];
    const int k = std::min(n_knots - 1, static_cast<int>(std::floor(0.5 * (a + b) / knot)));
    const GaussRule& g = radial_rule();
    for (size_t i = 0; i < g.x.size(); ++i) {
      const double w = g.x[i];
      const double r = a + (b - a) * w * w * (3.0 - 2.0 * w);
      const double weight = (b - a) * g.w[i] * 6.0 * w * (1.0 - w);
      const double geo = weight * sphere_average_triangle_product(r, c, h);
      const double frac = std::clamp(r / knot - k, 0.0, 1.0);
      row[k] += geo * (1.0 - frac);
      if (k + 1 < n_knots) row[k + 1] += geo * frac;
    }
  }
  return row;
}

// Lawson–Hanson non-negative least squares: min ‖A x − b‖, x ≥ 0.
Eigen::VectorXd nnls(const Eigen::MatrixXd& A, const Eigen::VectorXd& b) {
  const int n = static_cast<int>(A.cols());
  Eigen::VectorXd x = Eigen::VectorXd::Zero(n);
  std::vector<bool> passive(n, false);
  const double tol = 1e-12 * A.norm() * b.norm();
  for (int outer = 0; outer < 3 * n; ++outer) {
    const Eigen::VectorXd w = A.transpose() * (b - A * x);
    int best = -1;
    for (int j = 0; j < n; ++j)
      if (!passive[j] && w[j] > tol && (best < 0 || w[j] > w[best])) best = j;
    if (best < 0) break;
    passive[best] = true;
    for (int inner = 0; inner < 3 * n; ++inner) {
      std::vector<int> idx;
      for (int j = 0; j < n; ++j)
        if (passive[j]) idx.push_back(j);
      Eigen::MatrixXd Ap(A.rows(), idx.size());
      for (size_t q = 0; q < idx.size(); ++q) Ap.col(q) = A.col(idx[q]);
      const Eigen::VectorXd zp = Ap.colPivHouseholderQr().solve(b);
      Eigen::VectorXd z = Eigen::VectorXd::Zero(n);
      for (size_t q = 0; q < idx.size(); ++q) z[idx[q]] = zp[q];
      bool feasible = true;
      double alpha = 1.0;
      for (int j : idx)
        if (z[j] <= 0) {
          feasible = false;
          alpha = std::min(alpha, x[j] / (x[j] - z[j]));
        }
      if (feasible) {
        x = z;
        break;
      }
      x += alpha * (z - x);
      for (int j : idx)
        if (x[j] <= 1e-15) {
          x[j] = 0;
          passive[j] = false;
        }
    }
  }
  return x;
}

// One voxel of a cubic table, up to permutations of (i, j, k) and mirroring.
struct TableCell {
  std::array<int, 3> ijk;  // i ≤ j ≤ k
  int multiplicity = 0;    // voxels of the full kernel it stands for
  double table_mev = 0;    // mean S·m over its permutations (0 outside the table)
  std::vector<double> row;
};

int multiplicity(const std::array<int, 3>& ijk) {
  std::array<int, 3> p = ijk;
  int perms = 0;
  do ++perms;
  while (std::next_permutation(p.begin(), p.end()));
  int mirrors = 1;
  for (int v : ijk) mirrors *= v > 0 ? 2 : 1;
  return perms * mirrors;
}

std::vector<TableCell> table_cells(const physics::VoxelSTable& t, double knot, int n_knots) {
  const double h = t.voxel_mm;
  const double range = knot * n_knots;
  const int model_extent = static_cast<int>(std::ceil(range / h)) + 1;
  const int extent = std::max(t.extent, model_extent);
  const double to_mev = table_mev_per_s_value(h);
  std::vector<TableCell> cells;
  for (int k = 0; k < extent; ++k)
    for (int j = 0; j <= k; ++j)
      for (int i = 0; i <= j; ++i) {
        TableCell cell;
        cell.ijk = {i, j, k};
        cell.multiplicity = multiplicity(cell.ijk);
        if (k < t.extent) {
          std::array<int, 3> p = cell.ijk;
          double s = 0;
          int count = 0;
          do {
            s += t.at(p[0], p[1], p[2]);
            ++count;
          } while (std::next_permutation(p.begin(), p.end()));
          cell.table_mev = s / count * to_mev;
        }
        cell.row = basis_row({i * h, j * h, k * h}, {h, h, h}, knot, n_knots);
        cells.push_back(std::move(cell));
      }
  return cells;
}

double dot(const std::vector<double>& row, const std::vector<double>& e) {
  double s = 0;
  for (size_t k = 0; k < row.size(); ++k) s += row[k] * e[k];
  return s;
}

TableFitResidual residual_for(const physics::VoxelSTable& t, const std::vector<TableCell>& cells,
                              const std::vector<double>& e, bool used) {
  TableFitResidual r;
  r.voxel_mm = t.voxel_mm;
  r.used_in_fit = used;
  double table_sum = 0, model_sum = 0;
  for (const auto& c : cells) {
    table_sum += c.multiplicity * c.table_mev;
    model_sum += c.multiplicity * dot(c.row, e);
  }
  r.table_energy_mev = table_sum;
  r.model_energy_mev = model_sum;
  for (const auto& c : cells) {
    const double tf = c.table_mev / table_sum, mf = dot(c.row, e) / model_sum;
    r.max_abs_error = std::max(r.max_abs_error, std::abs(mf - tf));
    const auto& ijk = c.ijk;
    if (ijk == std::array<int, 3>{0, 0, 0}) {
      r.self_fraction_table = tf;
      r.self_fraction_model = mf;
    } else if (ijk == std::array<int, 3>{0, 0, 1}) {
      r.face_neighbour_rel_error = mf / tf - 1.0;
    } else if (ijk == std::array<int, 3>{0, 1, 1}) {
      r.edge_neighbour_rel_error = mf / tf - 1.0;
    } else if (ijk == std::array<int, 3>{1, 1, 1}) {
      r.corner_neighbour_rel_error = mf / tf - 1.0;
    }
  }
  return r;
}

std::string format_mm(double v) { return fmt::format("{:g}", v); }

}  // namespace

double RadialEnergyProfile::at(double r_mm) const {
  if (r_mm < 0 || knot_spacing_mm <= 0) return 0.0;
  const double x = r_mm / knot_spacing_mm;
  const size_t k = static_cast<size_t>(std::floor(x));
  if (k >= mev_per_mm.size()) return 0.0;
  const double next = k + 1 < mev_per_mm.size() ? mev_per_mm[k + 1] : 0.0;
  const double f = x - static_cast<double>(k);
  return mev_per_mm[k] * (1.0 - f) + next * f;
}

double RadialEnergyProfile::total_energy_mev() const {
  // Trapezoid on the knots with e = 0 at the cut-off: exact for the piecewise-linear e.
  double s = 0;
  for (size_t k = 0; k < mev_per_mm.size(); ++k) s += (k == 0 ? 0.5 : 1.0) * mev_per_mm[k];
  return s * knot_spacing_mm;
}

double RadialEnergyProfile::effective_range_mm() const {
  size_t last = 0;
  for (size_t k = 0; k < mev_per_mm.size(); ++k)
    if (mev_per_mm[k] > 0) last = k;
  return knot_spacing_mm * static_cast<double>(last + 1);
}

double sphere_average_triangle_product(double r, const std::array<double, 3>& c, const std::array<double, 3>& h) {
  if (r <= 1e-12 * (h[0] + h[1] + h[2])) return triangle(c[0], h[0]) * triangle(c[1], h[1]) * triangle(c[2], h[2]);
  // On the sphere of radius r, z = r·t with t uniform on [−1, 1] (Archimedes);
  // the azimuthal average at each t is circle_average at ρ = r·√(1 − t²).
  const double lo = std::max(-1.0, (c[2] - h[2]) / r), hi = std::min(1.0, (c[2] + h[2]) / r);
  if (lo >= hi) return 0.0;
  std::vector<double> inner{c[2] / r};
  std::vector<double> radii;
  kink_radii(c.data(), h.data(), 2, radii);
  for (double rho : radii)
    if (rho < r) {
      const double t = std::sqrt(1.0 - (rho / r) * (rho / r));
      inner.push_back(t);
      inner.push_back(-t);
    }
  const auto breaks = panel_breaks(lo, hi, std::move(inner));
  double sum = 0;
  for (size_t p = 0; p + 1 < breaks.size(); ++p)
    sum += panel_integral(breaks[p], breaks[p + 1], polar_rule(), [&](double t) {
      const double wz = triangle(r * t - c[2], h[2]);
      if (wz == 0) return 0.0;
      return wz * circle_average(r * std::sqrt(std::max(0.0, 1.0 - t * t)), c[0], c[1], h[0], h[1]);
    });
  return 0.5 * sum;
}

double voxel_transfer_mev(const RadialEnergyProfile& e, const std::array<int, 3>& offset,
                          const std::array<double, 3>& s) {
  const int n = static_cast<int>(e.mev_per_mm.size());
  const auto row = basis_row({offset[0] * s[0], offset[1] * s[1], offset[2] * s[2]}, s, e.knot_spacing_mm, n);
  return dot(row, e.mev_per_mm);
}

RadialEnergyProfile fit_radial_energy_profile(const std::vector<physics::VoxelSTable>& tables,
                                              const RadialFitOptions& options) {
  if (!(options.knot_spacing_mm > 0) || !(options.range_mm > options.knot_spacing_mm))
    fail_input("radial kernel fit", "knot_spacing_mm",
               fmt::format("{} (range {})", options.knot_spacing_mm, options.range_mm),
               "a positive knot spacing smaller than the range");
  const double knot = options.knot_spacing_mm;
  const int n_knots = static_cast<int>(std::lround(options.range_mm / knot));
  std::vector<std::vector<TableCell>> cells;
  std::vector<bool> used;
  int rows = 0;
  for (const auto& t : tables) {
    const bool excluded = std::any_of(options.exclude_voxel_mm.begin(), options.exclude_voxel_mm.end(),
                                      [&](double v) { return std::abs(v - t.voxel_mm) <= 1e-3 * t.voxel_mm; });
    used.push_back(!excluded);
    cells.push_back(table_cells(t, knot, n_knots));
    if (!excluded)
      for (const auto& c : cells.back())
        if (c.ijk[2] < t.extent) ++rows;
  }
  if (rows == 0) fail_input("radial kernel fit", "tables", "none left", "at least one voxel S-value table to fit");

  // Weighted least squares: each table voxel counts once per voxel of the full
  // kernel it stands for (multiplicity), with a relative error model
  // σ = 2 % of the value + 1e-4 of the energy, so the self voxel and near
  // neighbours are matched in relative terms and the low tail does not dominate.
  const int penalty_rows = options.smoothness > 0 ? n_knots - 1 : 0;
  Eigen::MatrixXd A = Eigen::MatrixXd::Zero(rows + penalty_rows, n_knots);
  Eigen::VectorXd b = Eigen::VectorXd::Zero(rows + penalty_rows);
  int row = 0;
  for (size_t ti = 0; ti < tables.size(); ++ti) {
    if (!used[ti]) continue;
    for (const auto& c : cells[ti]) {
      if (c.ijk[2] >= tables[ti].extent) continue;
      const double sigma = 0.02 * c.table_mev + 1e-4;
      const double w = std::sqrt(static_cast<double>(c.multiplicity)) / sigma;
      for (int k = 0; k < n_knots; ++k) A(row, k) = w * c.row[k];
      b[row] = w * c.table_mev;
      ++row;
    }
  }
  // Second differences e[k−1] − 2e[k] + e[k+1] (e[n] = 0 at the cut-off).
  for (int k = 1; k <= penalty_rows; ++k) {
    const double w = options.smoothness;
    A(row, k - 1) = w;
    A(row, k) = -2.0 * w;
    if (k + 1 < n_knots) A(row, k + 1) = w;
    ++row;
  }
  const Eigen::VectorXd x = nnls(A, b);

  RadialEnergyProfile profile;
  profile.knot_spacing_mm = knot;
  profile.mev_per_mm.assign(x.data(), x.data() + x.size());
  std::string fitted;
  for (size_t ti = 0; ti < tables.size(); ++ti) {
    profile.residuals.push_back(residual_for(tables[ti], cells[ti], profile.mev_per_mm, used[ti]));
    if (used[ti]) fitted += (fitted.empty() ? "" : ", ") + format_mm(tables[ti].voxel_mm);
  }
  profile.source = "radial fit to Lanconelli 2012 Y-90 soft-tissue tables (" + fitted + " mm)";
  return profile;
}

const RadialEnergyProfile& y90_radial_energy_profile() {
  static const RadialEnergyProfile profile = fit_radial_energy_profile(physics::lanconelli_soft_tissue_tables());
  return profile;
}

void check_kernel_spacing(const std::array<double, 3>& s) {
  for (int a = 0; a < 3; ++a)
    if (!std::isfinite(s[a]) || s[a] <= 0.5 || s[a] > 20.0)
      fail_input("dose grid", "spacing_mm", fmt::format("{} x {} x {}", s[0], s[1], s[2]),
                 fmt::format("each spacing in (0.5, 20] mm for a Y-90 dose kernel; axis {} is {} mm", "xyz"[a], s[a]));
}

DoseKernel kernel_from_profile(const RadialEnergyProfile& e, const std::array<double, 3>& s) {
  check_kernel_spacing(s);
  const double range = e.effective_range_mm();
  DoseKernel k;
  for (int a = 0; a < 3; ++a) k.half[a] = std::max(0, static_cast<int>(std::ceil(range / s[a] - 1e-9)));
  k.voxel_mm = std::cbrt(s[0] * s[1] * s[2]);
  const int n_knots = static_cast<int>(e.mev_per_mm.size());

  // F depends only on the set of (offset, spacing) pairs of the three axes:
  // compute each distinct one once (6 times fewer for cubic grids).
  std::map<std::array<double, 6>, double> cache;
  auto transfer = [&](int i, int j, int kk) {
    std::array<std::pair<double, double>, 3> axes{{{s[0], std::abs(i) * s[0]},
                                                   {s[1], std::abs(j) * s[1]},
                                                   {s[2], std::abs(kk) * s[2]}}};
    std::sort(axes.begin(), axes.end());
    const std::array<double, 6> key{axes[0].first, axes[0].second, axes[1].first,
                                    axes[1].second, axes[2].first, axes[2].second};
    auto it = cache.find(key);
    if (it != cache.end()) return it->second;
    const auto row = basis_row({axes[0].second, axes[1].second, axes[2].second},
                               {axes[0].first, axes[1].first, axes[2].first}, e.knot_spacing_mm, n_knots);
    const double v = std::max(0.0, dot(row, e.mev_per_mm));
    cache.emplace(key, v);
    return v;
  };

  const int ex = k.extent(0), ey = k.extent(1), ez = k.extent(2);
  std::vector<double> energy(static_cast<size_t>(ex) * ey * ez);
  double total = 0;
  for (int z = -k.half[2]; z <= k.half[2]; ++z)
    for (int y = -k.half[1]; y <= k.half[1]; ++y)
      for (int x = -k.half[0]; x <= k.half[0]; ++x) {
        const double v = transfer(x, y, z);
        energy[(static_cast<size_t>(z + k.half[2]) * ey + (y + k.half[1])) * ex + (x + k.half[0])] = v;
        total += v;
      }
  if (!(total > 0)) fail_input("radial kernel", "energy", fmt::format("{}", total), "a profile with positive energy");
  k.table_energy_mev = total;
  k.fraction.resize(energy.size());
  for (size_t i = 0; i < energy.size(); ++i) k.fraction[i] = static_cast<float>(energy[i] / total);
  k.source = fmt::format("generated from {} at {}x{}x{} mm", e.source, format_mm(s[0]), format_mm(s[1]),
                         format_mm(s[2]));
  return k;
}

DoseKernel generated_y90_kernel(const std::array<double, 3>& spacing_mm) {
  check_kernel_spacing(spacing_mm);
  DoseKernel k = kernel_from_profile(y90_radial_energy_profile(), spacing_mm);
  k.source = fmt::format("generated from radial fit to Lanconelli 2012 tables at {}x{}x{} mm",
                         format_mm(spacing_mm[0]), format_mm(spacing_mm[1]), format_mm(spacing_mm[2]));
  return k;
}

}  // namespace sirtkit::dosimetry
