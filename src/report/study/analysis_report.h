#pragma once
// The analysis report of `sirtkit report` (pipelines/study/analysis_report.h) as
// HTML and as PDF, drawn from its machine form (report.json), so both show
// the numbers the JSON holds. One list of blocks (headings, paragraphs,
// tables, figures) is built once and written by both renderers.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "report/report_table.h"

namespace sirtkit::report {

struct AnalysisFigure {
  std::string file;     // "figures/km_os.svg", as report.json names it
  std::string svg;
  std::string caption;
};

struct ReportBlock {
  enum class Kind { heading, paragraph, table, figure };
  Kind kind = Kind::paragraph;
  std::string text;     // heading or paragraph; figure caption
  Tone tone = Tone::plain;
  ReportTable table;
  std::string figure;   // figure file
};

// The report's content in reading order.
std::vector<ReportBlock> analysis_report_blocks(const nlohmann::json& report);

std::string analysis_report_html(const nlohmann::json& report, const std::vector<AnalysisFigure>& figures);
std::string analysis_report_pdf(const nlohmann::json& report, const std::vector<AnalysisFigure>& figures);

// A p-value as the report's tables print it: "0.0061", "< 0.0001", "NA".
std::string report_p_value(double p);

}  // namespace sirtkit::report
