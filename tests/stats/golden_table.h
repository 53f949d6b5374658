#pragma once
// Reads a golden table written by an R script in tests/data (header row,
// comma-separated, no quoting) so a test runs every row R computed.

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace sirtkit::test {

struct GoldenRow {
  std::map<std::string, std::string> cells;
  const std::string& text(const std::string& column) const { return cells.at(column); }
  double num(const std::string& column) const { return std::stod(cells.at(column)); }
  bool na(const std::string& column) const { return cells.at(column) == "NA"; }
};

inline std::vector<GoldenRow> read_golden(const std::string& relative_path) {
  std::ifstream in(std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/" + relative_path);
  std::vector<GoldenRow> rows;
  std::string line;
  std::vector<std::string> header;
  auto split = [](const std::string& s) {
    std::vector<std::string> out;
    std::stringstream ss(s);
    std::string cell;
    while (std::getline(ss, cell, ',')) out.push_back(cell);
    return out;
  };
  if (!std::getline(in, line)) {
    ADD_FAILURE() << "golden table missing or empty: " << relative_path;
    return rows;
  }
  header = split(line);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto cells = split(line);
    if (cells.size() != header.size()) {
      ADD_FAILURE() << relative_path << ": row with " << cells.size() << " cells, header has " << header.size();
      continue;
    }
    GoldenRow r;
    for (std::size_t i = 0; i < cells.size(); ++i) r.cells[header[i]] = cells[i];
    rows.push_back(std::move(r));
  }
  return rows;
}

}  // namespace sirtkit::test
