#pragma once
// Y-90 voxel S values in soft tissue, Lanconelli et al., Phys Med Biol
// 2012;57:517-533, one octant per cubic voxel size (2.21–9.28 mm). The tables
// ship with sirtkit (data/kernels/lanconelli-y90/) and are compiled in.

#include <string>
#include <string_view>
#include <vector>

namespace sirtkit::physics {

// Density of the soft tissue the tables were computed for (Lanconelli 2012: 1.04 g/cm³).
inline constexpr double kLanconelliSoftTissueDensityGPerMl = 1.04;

struct VoxelSTable {
  double voxel_mm = 0;          // cubic voxel edge
  int extent = 0;               // octant indices 0..extent-1 on each axis
  std::vector<double> s_mgy_per_mbq_s;  // index (k*extent + j)*extent + i
  std::string source;

  double at(int i, int j, int k) const {
    return s_mgy_per_mbq_s[(static_cast<size_t>(k) * extent + j) * extent + i];
  }
};

// Parses the published text format ("i j k S" rows after a header). `where`
// names the source in errors.
VoxelSTable parse_voxel_s_table(std::string_view text, double voxel_mm, const std::string& where);

// The bundled soft-tissue tables, ordered by voxel size.
const std::vector<VoxelSTable>& lanconelli_soft_tissue_tables();

}  // namespace sirtkit::physics
