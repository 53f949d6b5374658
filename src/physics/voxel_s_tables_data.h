#pragma once
// The bundled tables as bytes; defined in a source generated at build time.

#include <cstddef>

namespace sirtkit::physics {

struct EmbeddedTable {
  double voxel_mm;
  const char* file_name;
  const unsigned char* bytes;
  std::size_t size;
};

extern const EmbeddedTable kEmbeddedSoftTissueTables[];
extern const int kEmbeddedSoftTissueTableCount;

}  // namespace sirtkit::physics
