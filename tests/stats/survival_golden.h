#pragma once
// Test helper: the five R data sets and their survival 3.5-3 goldens in
// tests/data/survival (copied from shared/reference/survival). A tiny CSV
// reader of its own, because the stats layer must not depend on io.

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace sirtkit::stats::testing {

inline std::string survival_data_dir() { return std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/survival/"; }

inline nlohmann::json load_golden(const std::string& name) {
  std::ifstream in(survival_data_dir() + name + ".expected.json");
  return nlohmann::json::parse(in);
}

struct Frame {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> cells;  // by column
  std::size_t col(const std::string& name) const {
    const auto it = std::find(header.begin(), header.end(), name);
    if (it == header.end()) throw std::runtime_error("no column " + name);
    return static_cast<std::size_t>(it - header.begin());
  }
  std::size_t rows() const { return cells.empty() ? 0 : cells[0].size(); }
  const std::string& at(const std::string& name, std::size_t row) const { return cells[col(name)][row]; }
  double num(const std::string& name, std::size_t row) const {
    const std::string& s = at(name, row);
    if (s.empty() || s == "NA") return std::numeric_limits<double>::quiet_NaN();
    return std::stod(s);
  }
};

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (char ch : line) {
    if (ch == '"') quoted = !quoted;
    else if (ch == ',' && !quoted) { out.push_back(cur); cur.clear(); }
    else if (ch != '\r') cur.push_back(ch);
  }
  out.push_back(cur);
  return out;
}

inline Frame load_frame(const std::string& name) {
  std::ifstream in(survival_data_dir() + name + ".csv");
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

// R factor levels of a column: numeric order if all values are numbers, else
// sorted strings.
inline std::vector<std::string> levels(const Frame& f, const std::string& name) {
  std::vector<std::string> v;
  for (const auto& s : f.cells[f.col(name)]) if (!s.empty() && s != "NA") v.push_back(s);
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  bool numeric = true;
  for (const auto& s : v) {
    double d;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    numeric = numeric && ec == std::errc() && p == s.data() + s.size();
  }
  if (numeric) std::sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return std::stod(a) < std::stod(b); });
  return v;
}

inline int level_code(const std::vector<std::string>& lv, const std::string& s) {
  return static_cast<int>(std::find(lv.begin(), lv.end(), s) - lv.begin());
}

inline double jnum(const nlohmann::json& j) {
  return j.is_null() ? std::numeric_limits<double>::quiet_NaN() : j.get<double>();
}

// Relative closeness with NaN == null.
inline ::testing::AssertionResult near_rel(double actual, const nlohmann::json& expected, double rel) {
  const double e = jnum(expected);
  if (std::isnan(e) || std::isnan(actual)) {
    if (std::isnan(e) && std::isnan(actual)) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "actual " << actual << " expected " << expected.dump();
  }
  const double tol = rel * std::max(std::fabs(e), 1e-300);
  if (std::fabs(actual - e) <= tol || actual == e) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "actual " << std::setprecision(17) << actual << " expected "
                                       << e << " rel diff " << std::fabs(actual - e) / std::fabs(e);
}

// Golden values that may be a scalar or a list (R's one-element vectors are scalars).
inline std::vector<nlohmann::json> as_list(const nlohmann::json& j) {
  if (j.is_array()) return std::vector<nlohmann::json>(j.begin(), j.end());
  return {j};
}

inline const char* kDatasets[] = {"aml", "lung", "veteran", "ovarian", "colon"};

}  // namespace sirtkit::stats::testing
