#include "physics/voxel_s_values.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <sstream>

#include "core/error.h"
#include "physics/voxel_s_tables_data.h"

namespace sirtkit::physics {

VoxelSTable parse_voxel_s_table(std::string_view text, double voxel_mm, const std::string& where) {
  struct Row { int i, j, k; double s; };
  std::vector<Row> rows;
  int extent = 0;
  std::istringstream in{std::string(text)};
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    size_t first = line.find_first_not_of(" \t\r");
    if (first == std::string::npos || !std::isdigit(static_cast<unsigned char>(line[first]))) continue;
    std::istringstream fields(line);
    Row r{};
    if (!(fields >> r.i >> r.j >> r.k >> r.s) || r.i < 0 || r.j < 0 || r.k < 0 || !std::isfinite(r.s) || r.s < 0)
      fail_input(where, "line " + std::to_string(line_no), "'" + line + "'",
                 "expected 'i j k S' with indices >= 0 and S >= 0");
    extent = std::max({extent, r.i + 1, r.j + 1, r.k + 1});
    rows.push_back(r);
  }
  if (rows.empty()) fail_input(where, "rows", "none", "expected voxel S-value rows 'i j k S'");
  const size_t cells = static_cast<size_t>(extent) * extent * extent;
  if (rows.size() != cells)
    fail_input(where, "row count", std::to_string(rows.size()),
               "expected a full octant of " + std::to_string(cells) + " rows");
  VoxelSTable table;
  table.voxel_mm = voxel_mm;
  table.extent = extent;
  table.source = where;
  table.s_mgy_per_mbq_s.assign(cells, -1.0);
  for (const Row& r : rows) {
    double& cell = table.s_mgy_per_mbq_s[(static_cast<size_t>(r.k) * extent + r.j) * extent + r.i];
    if (cell >= 0)
      fail_input(where, "row", std::to_string(r.i) + " " + std::to_string(r.j) + " " + std::to_string(r.k),
                 "index appears twice");
    cell = r.s;
  }
  return table;
}

const std::vector<VoxelSTable>& lanconelli_soft_tissue_tables() {
  static const std::vector<VoxelSTable> tables = [] {
    std::vector<VoxelSTable> out;
    for (int n = 0; n < kEmbeddedSoftTissueTableCount; ++n) {
      const EmbeddedTable& e = kEmbeddedSoftTissueTables[n];
      std::string_view text(reinterpret_cast<const char*>(e.bytes), e.size);
      VoxelSTable t = parse_voxel_s_table(text, e.voxel_mm, std::string("Lanconelli 2012 ") + e.file_name);
      out.push_back(std::move(t));
    }
    return out;
  }();
  return tables;
}

}  // namespace sirtkit::physics
