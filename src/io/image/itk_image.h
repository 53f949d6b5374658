#pragma once
// Conversions between sirtkit volumes and ITK images (geometry kept exactly:
// size, spacing, origin, direction). For io's own sources only: it includes ITK.

#include <itkImage.h>

#include "image/volume.h"

namespace sirtkit::io {

template <typename T>
using ItkImage = itk::Image<T, 3>;

template <typename T>
image::Grid grid_of(const ItkImage<T>& img) {
  image::Grid g;
  const auto region = img.GetLargestPossibleRegion();
  for (int d = 0; d < 3; ++d) {
    g.size[d] = static_cast<int>(region.GetSize()[d]);
    g.spacing_mm[d] = img.GetSpacing()[d];
    g.origin_mm[d] = img.GetOrigin()[d];
    for (int e = 0; e < 3; ++e) g.direction[3 * d + e] = img.GetDirection()[d][e];
  }
  return g;
}

// A new ITK image of pixel type T holding `v`'s values (converted) on its grid.
template <typename T, typename U>
typename ItkImage<T>::Pointer to_itk(const image::Volume<U>& v) {
  auto img = ItkImage<T>::New();
  typename ItkImage<T>::RegionType region;
  typename ItkImage<T>::SpacingType spacing;
  typename ItkImage<T>::PointType origin;
  typename ItkImage<T>::DirectionType direction;
  for (int d = 0; d < 3; ++d) {
    region.SetSize(d, v.grid.size[d]);
    spacing[d] = v.grid.spacing_mm[d];
    origin[d] = v.grid.origin_mm[d];
    for (int e = 0; e < 3; ++e) direction[d][e] = v.grid.direction[3 * d + e];
  }
  img->SetRegions(region);
  img->SetSpacing(spacing);
  img->SetOrigin(origin);
  img->SetDirection(direction);
  img->Allocate();
  T* buffer = img->GetBufferPointer();
  for (std::size_t n = 0; n < v.data.size(); ++n) buffer[n] = static_cast<T>(v.data[n]);
  return img;
}

}  // namespace sirtkit::io
