#pragma once
// Test helper: read back the SVG the plot writers produce. Elements are found
// by their class attribute; attributes and text come back as strings; a path's
// d (absolute M, H, V, L commands, which is all the writers emit) becomes
// its points.

#include <cstdint>
#include <map>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace sirtkit::report::testing {

struct SvgElement {
  std::string tag;
  std::map<std::string, std::string> attr;
  std::string text;  // content up to the closing tag, for <text>
  double num(const std::string& name) const { return std::stod(attr.at(name)); }
};

inline std::vector<SvgElement> elements_of_class(const std::string& svg, const std::string& cls) {
  std::vector<SvgElement> out;
  static const std::regex element("<([a-z]+)((?:\\s+[a-zA-Z0-9:-]+=\"[^\"]*\")*)\\s*(/?)>");
  static const std::regex attribute("([a-zA-Z0-9:-]+)=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), element); it != std::sregex_iterator(); ++it) {
    SvgElement e;
    e.tag = (*it)[1];
    const std::string attrs = (*it)[2];
    for (auto a = std::sregex_iterator(attrs.begin(), attrs.end(), attribute); a != std::sregex_iterator(); ++a)
      e.attr[(*a)[1]] = (*a)[2];
    if (!e.attr.count("class") || e.attr["class"] != cls) continue;
    if ((*it)[3] != "/") {
      const auto start = static_cast<std::size_t>(it->position() + it->length());
      const auto end = svg.find("</" + e.tag + ">", start);
      e.text = svg.substr(start, end - start);
    }
    out.push_back(e);
  }
  return out;
}

inline std::vector<SvgElement> with_attr(const std::vector<SvgElement>& v, const std::string& name, const std::string& value) {
  std::vector<SvgElement> out;
  for (const auto& e : v)
    if (e.attr.count(name) && e.attr.at(name) == value) out.push_back(e);
  return out;
}

using Point = std::pair<double, double>;

// Points visited by a path of absolute M/H/V/L commands (Z ignored).
inline std::vector<Point> path_points(const std::string& d) {
  std::vector<Point> pts;
  std::istringstream in(d);
  char cmd = 0;
  double x = 0, y = 0;
  while (in >> std::ws && in.peek() != EOF) {
    if (std::isalpha(in.peek())) in >> cmd;
    if (cmd == 'Z') continue;
    if (cmd == 'M' || cmd == 'L') in >> x >> y;
    else if (cmd == 'H') in >> x;
    else if (cmd == 'V') in >> y;
    else throw std::runtime_error(std::string("unexpected path command ") + cmd);
    pts.emplace_back(x, y);
  }
  return pts;
}

// Reads the width and height of a PNG from its IHDR chunk (big-endian at bytes 16..23).
inline std::pair<std::uint32_t, std::uint32_t> png_size(const std::string& png) {
  auto be32 = [&](std::size_t at) {
    return (std::uint32_t(std::uint8_t(png[at])) << 24) | (std::uint32_t(std::uint8_t(png[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(png[at + 2])) << 8) | std::uint32_t(std::uint8_t(png[at + 3]));
  };
  if (png.size() < 24 || png.compare(12, 4, "IHDR") != 0) throw std::runtime_error("no IHDR chunk");
  return {be32(16), be32(20)};
}

inline bool has_png_signature(const std::string& bytes) { return bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0; }

}  // namespace sirtkit::report::testing
