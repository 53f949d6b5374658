#pragma once
// A PDF document written top to bottom on A4 pages: headings, wrapped text,
// tables that continue on the next page with their header, and SVG figures
// drawn as vectors. cairo's PDF surface writes the file and embeds subsets of
// the fonts it uses; Pango lays out the text (DejaVu Sans, Debian's
// fonts-dejavu-core), so any Unicode text is shown and nothing is interpreted
// as markup. Rendering only: callers pass finished text.

#include <memory>
#include <string>
#include <string_view>

#include "report/report_table.h"

namespace sirtkit::report {

struct PdfMetadata {
  std::string title, author, subject;
  std::string created_utc;  // ISO 8601, e.g. "2026-12-05T07:01:02Z"
  std::string footer;       // printed on every page before the page number
};

class PdfDocument {
 public:
  explicit PdfDocument(const PdfMetadata& meta);
  ~PdfDocument();
  PdfDocument(const PdfDocument&) = delete;
  PdfDocument& operator=(const PdfDocument&) = delete;

  void title(const std::string& text);
  void heading(const std::string& text);
  void paragraph(const std::string& text, Tone tone = Tone::plain, bool bold = false);
  void table(const ReportTable& table);
  // An SVG we wrote, scaled to width_mm (at most the text width) and kept whole on one page.
  void figure(std::string_view svg, double width_mm);
  // Vertical space in millimetres; a new page when less than `keep_mm` is left.
  void space(double mm, double keep_mm = 0);

  // The PDF file bytes; the document cannot be written to afterwards.
  std::string finish();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace sirtkit::report
