#include "dosimetry/prescription/lung_shunt.h"

#include <cmath>

#include "core/error.h"
#include "core/format.h"

namespace sirtkit::dosimetry {
namespace {

void require_counts(double value, const std::string& where, const std::string& field) {
  if (!std::isfinite(value) || value < 0) fail_input(where, field, num(value), "counts must be finite and >= 0");
}

double shunt(double lung, double liver, const std::string& where) {
  if (liver <= 0)
    fail_input(where, "liver counts", num(liver), "the liver has no counts, so no lung shunt can be measured");
  return lung / (lung + liver);
}

}  // namespace

double planar_lung_shunt(const PlanarCounts& c, const std::string& where) {
  require_counts(c.lung_anterior, where, "lung_anterior_counts");
  require_counts(c.lung_posterior, where, "lung_posterior_counts");
  require_counts(c.liver_anterior, where, "liver_anterior_counts");
  require_counts(c.liver_posterior, where, "liver_posterior_counts");
  return shunt(std::sqrt(c.lung_anterior * c.lung_posterior), std::sqrt(c.liver_anterior * c.liver_posterior), where);
}

double spect_lung_shunt(double lung_counts, double liver_counts, const std::string& where) {
  require_counts(lung_counts, where, "lung counts");
  require_counts(liver_counts, where, "liver counts");
  return shunt(lung_counts, liver_counts, where);
}

}  // namespace sirtkit::dosimetry
