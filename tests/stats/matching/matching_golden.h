#pragma once
// Test helper: the matching goldens in tests/data/matching (matching.R,
// iptw.R: MatchIt 4.5.1) and the columns of their CSV files, read with the
// survival tests' small CSV reader (the stats layer does not use io).

#include <map>
#include <string>
#include <vector>

#include "../survival_golden.h"

namespace sirtkit::stats::testing {

inline std::string matching_path(const std::string& file) { return std::string(SIRTKIT_SOURCE_DIR) + "/" + file; }

inline nlohmann::json load_matching_golden(const std::string& name) {
  std::ifstream in(matching_path("tests/data/matching/" + name + ".expected.json"));
  return nlohmann::json::parse(in);
}

inline Frame load_csv(const std::string& file) {
  std::ifstream in(matching_path(file));
  Frame f;
  std::string line;
  std::getline(in, line);
  f.header = split_csv_line(line);
  f.cells.resize(f.header.size());
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto v = split_csv_line(line);
    for (std::size_t c = 0; c < f.header.size(); ++c) f.cells[c].push_back(v.at(c));
  }
  return f;
}

// The value of a balance/model term per row: a numeric column ("age") or the
// indicator of one level of a text column ("racehispan" = race == "hispan").
inline std::vector<double> term_column(const Frame& f, const std::string& term) {
  std::vector<double> x(f.rows());
  if (std::find(f.header.begin(), f.header.end(), term) != f.header.end()) {
    for (std::size_t i = 0; i < f.rows(); ++i) x[i] = f.num(term, i);
    return x;
  }
  for (const auto& col : f.header)
    if (term.rfind(col, 0) == 0)
      for (const auto& lv : levels(f, col))
        if (col + lv == term) {
          for (std::size_t i = 0; i < f.rows(); ++i) x[i] = f.at(col, i) == lv ? 1.0 : 0.0;
          return x;
        }
  throw std::runtime_error("no term " + term);
}

// The value following `flag` in a golden's "cli" string ("" when absent; "1" for a bare flag).
inline std::string cli_value(const std::string& cli, const std::string& flag) {
  std::istringstream s(cli);
  std::string tok;
  while (s >> tok)
    if (tok == flag) {
      std::string v;
      if (s >> v && v.rfind("--", 0) != 0) return v;
      return "1";
    }
  return "";
}

inline std::vector<std::string> split_commas(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  std::istringstream in(s);
  while (std::getline(in, cur, ',')) out.push_back(cur);
  return out;
}

}  // namespace sirtkit::stats::testing
