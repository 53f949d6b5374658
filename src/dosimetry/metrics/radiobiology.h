#pragma once
// Radiobiology for a permanent implant of an exponentially decaying source
// (dosimetry-physics.md §7), evaluated voxel by voxel as the EANM 2022
// dosimetry guideline practises it (Weber et al., EJNMMI 2022;49:1682, and the
// EANM dosimetry SOP, Chiesa et al., EJNMMI Phys 2021;8:77): every voxel gets
// its own BED, and a VOI's BED is the mass-weighted mean of its voxels' BEDs,
// never the BED of its mean dose (BED is convex in dose: the BED of the mean
// underestimates the mean BED of a heterogeneous VOI).
//
//   BED_i  = D_i × [1 + D_i·λ / ((μ + λ)·α/β)]      Dale, Br J Radiol 1985;58:515
//            λ = ln2 / T½(Y-90), μ = ln2 / T_repair
//   EUD    = −ln(Σ v_i·exp(−α·D_i)) / α             Niemierko, Med Phys 1997;24:103
//   EUBED  = −ln(Σ v_i·exp(−α·BED_i)) / α           the same on BED (Strigari et al.,
//                                                   J Nucl Med 2010;51:1377; Cremonesi
//                                                   et al., Front Oncol 2014;4:210)
//   gEUD   = (Σ v_i·x_i^a)^(1/a)                     Niemierko, Med Phys 1999;26:1100
//   NTCP   = Φ((BED_eff − TD50) / (m·TD50)),         Lyman, Radiat Res Suppl 1985;8:S13;
//            BED_eff = gEUD of the voxel BEDs, a = 1/n  Kutcher & Burman, IJROBP 1989;16:1623
//   TCP    = exp(−Σ ρ·V_i·exp(−α_TCP·BED_i))         LQ Poisson TCP, Webb & Nahum,
//                                                   Phys Med Biol 1993;38:653
// Weights v_i are volume fractions (all voxels of a VOI share one volume).
//
// Tissue by VOI role: a voxel inside a VOI of role tumour takes the tumour
// parameters, every other voxel the normal-tissue ones, whichever VOI is being
// summarised (a whole liver or a perfused territory mixes both).
//
// No parameter is hidden: each has a cited default and is set in the plan file
// ([radiobiology.*], docs/plan-file.md); every report prints the values used.

#include <cstdint>
#include <optional>
#include <span>

namespace sirtkit::dosimetry {

struct RadiobiologyParameters {
  double alpha_beta_gy = 10.0;
  double repair_half_time_h = 1.5;
  double alpha_per_gy = 0.005;  // for EUD and EUBED
};

// Lyman-Kutcher-Burman NTCP of the whole normal (non-tumoral) liver, on BED.
// Default TD50: 93 Gy of BED, the 50 % complication BED of resin microsphere
// radioembolization (HCC, liver decompensation; Strigari et al., J Nucl Med
// 2010;51:1377) as quoted by Walrand et al., J Nucl Med 2014;55:1317 (abstract:
// "BED50 of 115, 93, and 250 Gy for external-beam radiotherapy, resin ... and
// glass microsphere radioembolization"). 93 Gy is the BED of 52 Gy absorbed
// dose with α/β 2.5 Gy and a 2.5 h repair half-time (tests/dosimetry/
// radiobiology_test.cpp): 52 Gy is a dose, not a BED — an earlier default
// applied it to BED and overstated the NTCP. m = 0.28 and n = 1 (a parallel
// organ: BED_eff is the mean BED) are as recalled from Strigari 2010 and NOT
// verified against the paper (docs/planning.md). Glass microspheres tolerate
// far more (BED50 250 Gy in the same abstract); no slope m for glass could be
// confirmed, so a glass plan states its own fit (docs/plan-file.md).
struct LkbParameters {
  double td50_gy = 93.0;
  double m = 0.28;
  double n = 1.0;
};

// LQ Poisson TCP of each tumour VOI, on BED. Defaults: clonogen density
// 1e7 per mL and α = 0.35 /Gy, the population mean of Webb & Nahum, Phys Med
// Biol 1993;38:653 (external-beam values; no Y-90 fit is published for both
// together, so set them per study).
struct TcpParameters {
  double alpha_per_gy = 0.35;
  double clonogen_density_per_ml = 1e7;
};

double bed_gy(double dose_gy, double alpha_beta_gy, double repair_half_time_h, double nuclide_half_life_h);
double bed_gy(double dose_gy, const RadiobiologyParameters& p, double nuclide_half_life_h);

// EUD of values with equal weights (a voxel DVH): voxel doses give the EUD,
// voxel BEDs the EUBED.
double eud_gy(std::span<const float> voxel_doses_gy, double alpha_per_gy);
double eud_gy(std::span<const double> voxel_values_gy, double alpha_per_gy);

// Generalised EUD with equal weights; a = 1 is the mean, a → +∞ the maximum,
// a → −∞ the minimum. Refuses a = 0 and negative values (bad_input).
double generalised_eud_gy(std::span<const double> voxel_values_gy, double a);

// Φ((d_eff − TD50) / (m·TD50)); refuses TD50 <= 0 or m <= 0.
double lkb_ntcp(double effective_dose_gy, const LkbParameters& p);

// exp(−Σ ρ·V·exp(−α·BED_i)) for voxels of `voxel_volume_ml` each.
double poisson_tcp(std::span<const double> voxel_bed_gy, double voxel_volume_ml, const TcpParameters& p);

// The radiobiological summary of one VOI from its voxels.
struct VoiRadiobiology {
  double bed_mean_gy = 0;            // mass-weighted mean of the voxel BEDs
  double bed_of_mean_dose_gy = 0;    // BED of the mean dose (for comparison only)
  double eud_gy = 0;                 // on physical dose
  double eubed_gy = 0;               // on BED
  double tumour_voxel_fraction = 0;  // share of the voxels that took tumour parameters
  std::optional<double> ntcp;        // the whole normal liver only
  std::optional<double> tcp;         // tumour VOIs only
};

struct VoxelTissueParameters {
  RadiobiologyParameters tumour, normal;
  double half_life_h = 0;
};

// Which outcome models to evaluate for a VOI (none by default).
struct OutcomeRequest {
  const LkbParameters* ntcp = nullptr;  // the whole normal liver
  const TcpParameters* tcp = nullptr;   // a tumour VOI
  double voxel_volume_ml = 0;           // for TCP's clonogen count
};

// `doses_gy`, `masses_kg` and `is_tumour` hold the VOI's voxels in one order;
// `mean_dose_gy` is the VOI's reported mean (the lungs' comes from the
// partition formula). Refuses spans of different lengths.
VoiRadiobiology voi_radiobiology(std::span<const float> doses_gy, std::span<const float> masses_kg,
                                 std::span<const std::uint8_t> is_tumour, double mean_dose_gy,
                                 const VoxelTissueParameters& tissue, const OutcomeRequest& outcome = {});

}  // namespace sirtkit::dosimetry
