#include "dosimetry/prescription/mird.h"

namespace sirtkit::dosimetry {

double mird_activity_gbq(double dose_gy, double perfused_mass_kg, double lung_shunt_fraction,
                         double residual_fraction, double k) {
  return dose_gy * perfused_mass_kg / (k * (1.0 - lung_shunt_fraction) * (1.0 - residual_fraction));
}

double mird_dose_gy(double administered_gbq, double perfused_mass_kg, double lung_shunt_fraction, double k) {
  return k * administered_gbq * (1.0 - lung_shunt_fraction) / perfused_mass_kg;
}

double lung_dose_gy(double administered_gbq, double lung_shunt_fraction, double lung_mass_kg, double k) {
  return k * administered_gbq * lung_shunt_fraction / lung_mass_kg;
}

}  // namespace sirtkit::dosimetry
