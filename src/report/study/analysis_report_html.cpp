#include <fmt/format.h>

#include <algorithm>

#include "report/study/analysis_report.h"
#include "report/svg.h"

namespace sirtkit::report {

namespace {

const char* kStyle = R"(
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;color:#1d1d24;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem} h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd;padding-bottom:.3rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.6rem 0} th,td{padding:.35rem .5rem;border-bottom:1px solid #eee;text-align:left}
th{background:#f5f5f8} figure{margin:1rem 0} figcaption{font-size:.85rem;color:#555} p{line-height:1.45}
.reproduce{font-family:ui-monospace,monospace;font-size:.8rem;color:#444;word-break:break-all}
)";

const AnalysisFigure* find_figure(const std::vector<AnalysisFigure>& figures, const std::string& file) {
  const auto it = std::find_if(figures.begin(), figures.end(), [&](const AnalysisFigure& f) { return f.file == file; });
  return it == figures.end() ? nullptr : &*it;
}

}  // namespace

std::string analysis_report_html(const nlohmann::json& report, const std::vector<AnalysisFigure>& figures) {
  const std::string title = report["title"].get<std::string>();
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape_xml(title) + "</title><style>" +
                  kStyle + "</style></head><body>\n<h1>" + escape_xml(title) + "</h1>\n";
  for (const auto& b : analysis_report_blocks(report)) {
    switch (b.kind) {
      case ReportBlock::Kind::heading: h += "<h2>" + escape_xml(b.text) + "</h2>\n"; break;
      case ReportBlock::Kind::paragraph:
        h += b.text.rfind("Reproduce: ", 0) == 0 ? "<p class=\"reproduce\">" + escape_xml(b.text) + "</p>\n"
                                                 : "<p>" + escape_xml(b.text) + "</p>\n";
        break;
      case ReportBlock::Kind::table: h += "<div>" + html_table(b.table) + "</div>\n"; break;
      case ReportBlock::Kind::figure:
        // The SVG is ours (report/ escapes every text it draws), so it is embedded as is.
        if (const AnalysisFigure* f = find_figure(figures, b.figure))
          h += "<figure>" + f->svg + "<figcaption>" + escape_xml(f->caption) + " (" + escape_xml(f->file) + ")</figcaption></figure>\n";
        break;
    }
  }
  return h + "</body></html>\n";
}


}  // namespace sirtkit::report
