#include "report/report_table.h"

#include "report/svg.h"

namespace sirtkit::report {

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
