#include "report/report_table.h"

#include <fmt/format.h>

#include "report/svg.h"

namespace sirtkit::report {

Cell text_cell(const std::string& text) { return {text, Tone::plain, true}; }
Cell number_cell(double value, int digits) { return {fmt::format("{:.{}f}", value, digits)}; }

std::string html_table(const ReportTable& t) {
  std::string h = "<table>";
  if (!t.header.empty()) {
    h += "<tr>";
    for (const auto& c : t.header) h += "<th>" + escape_xml(c) + "</th>";
    h += "</tr>";
  }
  for (const auto& row : t.rows) {
    h += "<tr>";
    for (const auto& c : row) {
      h += c.left ? "<td style=\"text-align:left\">" : "<td>";
      const std::string text = escape_xml(c.text);
      h += c.tone == Tone::good ? "<span class=\"met\">" + text + "</span>" : c.tone == Tone::bad ? "<span class=\"no\">" + text + "</span>" : text;
      h += "</td>";
    }
    h += "</tr>";
  }
  return h + "</table>\n";
}

}  // namespace sirtkit::report
