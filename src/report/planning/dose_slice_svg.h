#pragma once
// One slice of the dose map over the anatomy, as SVG: tissue density in grey
// (from the mass map, so lungs and soft tissue show), absorbed dose in colour
// above a floor, with a colour bar. Axial slices are drawn as seen from the
// feet (patient right on the left), as radiologists read them.

#include <string>

#include "image/volume.h"

namespace sirtkit::report {

// `k` is the axial slice index; `max_gy` the top of the colour scale.
std::string axial_dose_svg(const image::Volume<float>& density_or_mass, const image::Volume<float>& dose_gy, int k,
                           double max_gy, double floor_gy, const std::string& title);

}  // namespace sirtkit::report
