#pragma once
// Y-90 dose-voxel kernels for any voxel size, cubic or not, generated from the
// published Lanconelli 2012 soft-tissue voxel S values (physics/voxel_s_values.h).
//
// Method (docs/dosimetry-kernels.md has the details and the measured accuracy):
//
// 1. A point source of Y-90 in soft tissue deposits e(r) dr of its energy in
//    the spherical shell [r, r + dr]: e(r) = 4πr² p(r), with p(r) the point
//    kernel (energy per mL at distance r). e is modelled as piecewise linear
//    on knots 0, Δ, 2Δ, … up to a cut-off range (12 mm > the 11 mm CSDA range
//    of the 2.28 MeV end-point electron), non-negative, zero at the cut-off.
//
// 2. Energy a uniform source voxel deposits in a target voxel at offset c is
//    the average of p(|x − y|) over source point x and target point y:
//
//      F(c) = ∫ p(|u|) Πa Λa(ua − ca) du  =  ∫ e(r) A(r; c) dr,
//
//    where Λa(w) = max(0, 1 − |w|/ha) is the triangle (the distribution of the
//    difference of two uniform points in an interval of length ha, up to a
//    factor ha) and A(r; c) is the average of Πa Λa(r·ω − c) over directions ω.
//    A is computed with its azimuthal integral in closed form (the integrand
//    is a trigonometric polynomial between break points) and its polar and
//    radial integrals by Gauss–Legendre on panels split at every kink; the
//    quadrature error is < 2e-5 of the emitted energy, far below the spread
//    between the tables.
//    Because the triangles sum to one over the lattice, Σc A(r; c) = 1 for
//    every r: the model conserves energy by construction.
//
// 3. e is fitted by non-negative least squares (Lawson–Hanson) to the 13
//    tables jointly (F(c) against S·m_voxel in MeV per decay), then the same
//    forward model generates a kernel for any (sx, sy, sz). Offsets whose
//    voxel lies wholly beyond the cut-off get nothing; the fractions are
//    normalised to sum to one and the unnormalised energy is kept, as
//    kernel_from_table does.

#include <array>
#include <string>
#include <vector>

#include "dosimetry/voxel/dose_kernel.h"
#include "physics/voxel_s_values.h"

namespace sirtkit::dosimetry {

// How well a fitted profile reproduces one table (both normalised to sum 1).
struct TableFitResidual {
  double voxel_mm = 0;
  bool used_in_fit = true;
  double self_fraction_table = 0;
  double self_fraction_model = 0;
  double face_neighbour_rel_error = 0;    // (1,0,0): model/table − 1
  double edge_neighbour_rel_error = 0;    // (1,1,0)
  double corner_neighbour_rel_error = 0;  // (1,1,1)
  double max_abs_error = 0;               // worst |model − table| over all voxels, in fraction of the energy
  double table_energy_mev = 0;            // Σ S·m of the published table
  double model_energy_mev = 0;            // Σ F over the same voxels
};

// e(r) on knots 0, Δ, …, (n−1)Δ; e(nΔ) = 0 is implied (the cut-off range).
struct RadialEnergyProfile {
  double knot_spacing_mm = 0;
  std::vector<double> mev_per_mm;  // e at each knot, ≥ 0
  std::vector<TableFitResidual> residuals;
  std::string source;

  double range_mm() const { return knot_spacing_mm * static_cast<double>(mev_per_mm.size()); }
  // Linear interpolation between the knots; 0 at and beyond range_mm().
  double at(double r_mm) const;
  // ∫ e(r) dr: the energy per decay the model deposits within the range.
  double total_energy_mev() const;
  // Radius of the last knot with e > 0 plus one knot: nothing is deposited beyond it.
  double effective_range_mm() const;
};

struct RadialFitOptions {
  double knot_spacing_mm = 0.25;
  double range_mm = 12.0;
  std::vector<double> exclude_voxel_mm;  // tables left out of the fit (e.g. for leave-one-out)
  // Weight of the rows penalising second differences of e (per MeV/mm; a
  // data row weighs 1/σ, about 1e4 per MeV near the source). Without it the
  // knots zig-zag, since the tables cannot tell neighbouring knots apart;
  // 100 makes e smooth at no visible cost in the residuals (see the docs).
  double smoothness = 100.0;
};

// Average over directions of Πa Λa(r·ω_a − c_a) for half-widths h (the voxel
// spacing): the geometric factor A(r; c) of the forward model.
double sphere_average_triangle_product(double r_mm, const std::array<double, 3>& offset_mm,
                                       const std::array<double, 3>& spacing_mm);

// Energy (MeV per decay) a uniform source voxel deposits in the voxel at
// offset (i·sx, j·sy, k·sz), for the profile `e`.
double voxel_transfer_mev(const RadialEnergyProfile& e, const std::array<int, 3>& offset_voxels,
                          const std::array<double, 3>& spacing_mm);

// Fits e(r) to `tables` (soft tissue, 1.04 g/mL) and fills `residuals` for
// every table, including those excluded from the fit.
RadialEnergyProfile fit_radial_energy_profile(const std::vector<physics::VoxelSTable>& tables,
                                              const RadialFitOptions& options = {});

// The fit to all 13 bundled Lanconelli tables, computed once.
const RadialEnergyProfile& y90_radial_energy_profile();

// Kernel for a grid of the given spacing from profile `e`; normalised, with
// the unnormalised energy in table_energy_mev.
DoseKernel kernel_from_profile(const RadialEnergyProfile& e, const std::array<double, 3>& spacing_mm);

// Y-90 soft-tissue kernel for any spacing in (0.5, 20] mm on each axis,
// generated from y90_radial_energy_profile(). Throws a bad-input error
// naming the spacing otherwise.
DoseKernel generated_y90_kernel(const std::array<double, 3>& spacing_mm);

// Refuses spacings that are not finite, ≤ 0.5 mm or > 20 mm (bad input).
void check_kernel_spacing(const std::array<double, 3>& spacing_mm);

}  // namespace sirtkit::dosimetry
