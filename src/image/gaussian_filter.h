#pragma once
// Separable Gaussian smoothing with a given FWHM in mm (e.g. to model the
// resolution of a SPECT camera). Edges are zero-padded; the kernel is
// truncated at 3 sigma and normalised, so interior sums are preserved.

#include "image/volume.h"

namespace sirtkit::image {

// FWHM = 2·sqrt(2·ln2)·sigma.
Volume<float> gaussian_blur(const Volume<float>& input, double fwhm_mm);

}  // namespace sirtkit::image
