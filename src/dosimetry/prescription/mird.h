#pragma once
// MIRD single-compartment ("standard") dosimetry, as in the TheraSphere
// package insert: the perfused (treated) liver mass absorbs all activity
// that is not shunted to the lungs, uniformly.
//
//   A (GBq)   = D (Gy) × M (kg) / [K × (1 − LSF) × (1 − R)]
//   D_lung    = K × A_administered × LSF / M_lung
//
// K is the dose constant in Gy·kg/GBq (50 in the insert, physics::dose_constant
// otherwise), LSF the lung shunt fraction, R the residual fraction left in the
// vial and tubing. A is the vial activity at injection; A·(1 − R) is administered.

namespace sirtkit::dosimetry {

// Vial activity at injection needed to give `dose_gy` to `perfused_mass_kg`.
double mird_activity_gbq(double dose_gy, double perfused_mass_kg, double lung_shunt_fraction,
                         double residual_fraction, double k_gy_kg_per_gbq);

// Mean dose to the perfused mass from `administered_gbq` (after residual).
double mird_dose_gy(double administered_gbq, double perfused_mass_kg, double lung_shunt_fraction,
                    double k_gy_kg_per_gbq);

// Mean lung dose from `administered_gbq`.
double lung_dose_gy(double administered_gbq, double lung_shunt_fraction, double lung_mass_kg,
                    double k_gy_kg_per_gbq);

}  // namespace sirtkit::dosimetry
