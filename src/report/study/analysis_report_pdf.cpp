#include <algorithm>

#include "report/study/analysis_report.h"
#include "report/pdf_document.h"

namespace sirtkit::report {

std::string analysis_report_pdf(const nlohmann::json& report, const std::vector<AnalysisFigure>& figures) {
  PdfMetadata meta;
  meta.title = report["title"].get<std::string>();
  meta.author = report["operator"].get<std::string>();
  meta.subject = "Analysis of a registry study by the statistical analysis plan " + report["sap"]["file"].get<std::string>();
  meta.created_utc = report["created_utc"].get<std::string>();
  meta.footer = "sirtkit report · " + report["sap"]["file"].get<std::string>() + " · " + meta.created_utc;
  PdfDocument pdf(meta);
  pdf.title(meta.title);
  for (const auto& b : analysis_report_blocks(report)) {
    switch (b.kind) {
      case ReportBlock::Kind::heading:
        pdf.space(2, 40);  // a heading is not left alone at the foot of a page
        pdf.heading(b.text);
        break;
      case ReportBlock::Kind::paragraph: pdf.paragraph(b.text, b.tone); break;
      case ReportBlock::Kind::table: pdf.table(b.table); break;
      case ReportBlock::Kind::figure: {
        const auto f = std::find_if(figures.begin(), figures.end(), [&](const AnalysisFigure& x) { return x.file == b.figure; });
        if (f != figures.end()) {
          pdf.figure(f->svg, 170);
          pdf.paragraph(f->caption + " (" + f->file + ")");
        }
        break;
      }
    }
  }
  return pdf.finish();
}

}  // namespace sirtkit::report
