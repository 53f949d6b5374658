#include "report/pdf_document.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <librsvg/rsvg.h>
#include <pango/pangocairo.h>

#include <algorithm>
#include <fmt/format.h>
#include <vector>

#include "core/error.h"

namespace sirtkit::report {
namespace {

// ISO 216 A4 in PostScript points (1 pt = 1/72 in = 25.4/72 mm).
constexpr double kPtPerMm = 72.0 / 25.4;
constexpr double kPageWidthPt = 210 * kPtPerMm, kPageHeightPt = 297 * kPtPerMm;
constexpr double kMarginPt = 18 * kPtPerMm, kTopPt = 16 * kPtPerMm, kBottomPt = 20 * kPtPerMm;
constexpr double kTextWidthPt = kPageWidthPt - 2 * kMarginPt;
constexpr double kCellPadPt = 2.2;
constexpr double kTableFontPt = 7.5;
constexpr const char* kFont = "DejaVu Sans";

[[noreturn]] void fail_pdf(const std::string& what) { throw Error(ErrorCategory::internal, "PDF report: " + what); }

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

void set_tone_colour(cairo_t* cr, Tone tone) {
  if (tone == Tone::good) cairo_set_source_rgb(cr, 0.12, 0.42, 0.20);
  else if (tone == Tone::bad) cairo_set_source_rgb(cr, 0.61, 0.11, 0.11);
  else cairo_set_source_rgb(cr, 0.11, 0.11, 0.14);
}

struct LayoutUnref {
  void operator()(PangoLayout* l) const { g_object_unref(l); }
};
using Layout = std::unique_ptr<PangoLayout, LayoutUnref>;

// Plain text (never Pango markup) wrapped to width_pt.
Layout text_layout(cairo_t* cr, const std::string& text, double size_pt, bool bold, double width_pt, PangoAlignment align) {
  Layout l(pango_cairo_create_layout(cr));
  PangoFontDescription* font = pango_font_description_from_string(kFont);
  pango_font_description_set_size(font, static_cast<int>(size_pt * PANGO_SCALE));
  pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_font_description(l.get(), font);
  pango_font_description_free(font);
  pango_layout_set_width(l.get(), width_pt < 0 ? -1 : static_cast<int>(width_pt * PANGO_SCALE));  // < 0: one line
  pango_layout_set_wrap(l.get(), PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(l.get(), align);
  pango_layout_set_text(l.get(), text.data(), static_cast<int>(text.size()));
  return l;
}

double height_of(PangoLayout* l) {
  int w = 0, h = 0;
  pango_layout_get_size(l, &w, &h);
  return static_cast<double>(h) / PANGO_SCALE;
}

}  // namespace

struct PdfDocument::State {
  std::string bytes;
  cairo_surface_t* surface = nullptr;
  cairo_t* cr = nullptr;
  PdfMetadata meta;
  double y = kTopPt;
  int page = 1;
  bool finished = false;

  void footer() {
    const std::string text = meta.footer.empty() ? fmt::format("page {}", page) : fmt::format("{} · page {}", meta.footer, page);
    Layout l = text_layout(cr, text, 7, false, kTextWidthPt, PANGO_ALIGN_LEFT);
    cairo_set_source_rgb(cr, 0.4, 0.4, 0.45);
    cairo_move_to(cr, kMarginPt, kPageHeightPt - kBottomPt + 8 * kPtPerMm);
    pango_cairo_show_layout(cr, l.get());
  }
  void new_page() {
    footer();
    cairo_show_page(cr);
    ++page;
    y = kTopPt;
  }
  // A new page unless `height_pt` still fits.
  void ensure(double height_pt) {
    if (y + height_pt > kPageHeightPt - kBottomPt && y > kTopPt) new_page();
  }
  void write(const std::string& text, double size_pt, bool bold, Tone tone, double space_after_pt) {
    Layout l = text_layout(cr, text, size_pt, bold, kTextWidthPt, PANGO_ALIGN_LEFT);
    ensure(height_of(l.get()));
    set_tone_colour(cr, tone);
    cairo_move_to(cr, kMarginPt, y);
    pango_cairo_show_layout(cr, l.get());
    y += height_of(l.get()) + space_after_pt;
  }
  void check() const {
    if (finished) fail_pdf("the document is already finished");
    if (cairo_status(cr) != CAIRO_STATUS_SUCCESS) fail_pdf(cairo_status_to_string(cairo_status(cr)));
  }
};

PdfDocument::PdfDocument(const PdfMetadata& meta) : s_(std::make_unique<State>()) {
  s_->meta = meta;
  s_->surface = cairo_pdf_surface_create_for_stream(append_to_string, &s_->bytes, kPageWidthPt, kPageHeightPt);
  if (cairo_surface_status(s_->surface) != CAIRO_STATUS_SUCCESS) fail_pdf("cannot create a PDF surface");
  cairo_pdf_surface_set_metadata(s_->surface, CAIRO_PDF_METADATA_TITLE, meta.title.c_str());
  cairo_pdf_surface_set_metadata(s_->surface, CAIRO_PDF_METADATA_AUTHOR, meta.author.c_str());
  cairo_pdf_surface_set_metadata(s_->surface, CAIRO_PDF_METADATA_SUBJECT, meta.subject.c_str());
  cairo_pdf_surface_set_metadata(s_->surface, CAIRO_PDF_METADATA_CREATOR, "sirtkit");
  // The date of the report, not of the moment cairo writes it: one run, one date.
  if (!meta.created_utc.empty()) cairo_pdf_surface_set_metadata(s_->surface, CAIRO_PDF_METADATA_CREATE_DATE, meta.created_utc.c_str());
  s_->cr = cairo_create(s_->surface);
}

PdfDocument::~PdfDocument() {
  if (s_->cr) cairo_destroy(s_->cr);
  if (s_->surface) cairo_surface_destroy(s_->surface);
}

void PdfDocument::title(const std::string& text) {
  s_->check();
  s_->write(text, 15, true, Tone::plain, 4);
}

void PdfDocument::heading(const std::string& text) {
  s_->check();
  s_->ensure(60);  // a heading is never the last line of a page
  s_->y += 6;
  s_->write(text, 11, true, Tone::plain, 3);
}

void PdfDocument::paragraph(const std::string& text, Tone tone, bool bold) {
  s_->check();
  s_->write(text, 9, bold || tone == Tone::bad, tone, 3);
}

void PdfDocument::space(double mm, double keep_mm) {
  s_->check();
  s_->ensure(keep_mm * kPtPerMm);
  s_->y += mm * kPtPerMm;
}

void PdfDocument::table(const ReportTable& t) {
  s_->check();
  cairo_t* cr = s_->cr;
  const std::size_t n = !t.header.empty() ? t.header.size() : !t.rows.empty() ? t.rows[0].size() : 0;
  if (n == 0) return;
  std::vector<double> weights = t.widths.size() == n ? t.widths : std::vector<double>(n, 1.0);
  double total = 0;
  for (double w : weights) total += w;
  // A number is never broken across lines: a column is at least as wide as its
  // widest number; the text columns share what is left by their weights.
  std::vector<double> needed(n, 0.0);
  for (const auto& row : t.rows)
    for (std::size_t c = 1; c < n && c < row.size(); ++c)
      if (!row[c].left) {
        Layout l = text_layout(cr, row[c].text, kTableFontPt, row[c].tone == Tone::bad, -1, PANGO_ALIGN_LEFT);
        int w = 0, h = 0;
        pango_layout_get_size(l.get(), &w, &h);
        needed[c] = std::max(needed[c], static_cast<double>(w) / PANGO_SCALE + 2 * kCellPadPt + 1);
      }
  std::vector<double> width(n), x(n);
  double fixed = 0, flexible_weight = 0;
  for (std::size_t c = 0; c < n; ++c) {
    width[c] = kTextWidthPt * weights[c] / total;
    if (needed[c] > width[c]) {
      width[c] = needed[c];
      fixed += width[c];
    } else {
      flexible_weight += weights[c];
    }
  }
  for (std::size_t c = 0; c < n; ++c)
    if (needed[c] < kTextWidthPt * weights[c] / total && flexible_weight > 0)
      width[c] = std::max(needed[c], (kTextWidthPt - fixed) * weights[c] / flexible_weight);
  double at = kMarginPt;
  for (std::size_t c = 0; c < n; ++c) {
    x[c] = at;
    at += width[c];
  }
  const auto draw_row = [&](const std::vector<Cell>& cells, bool header) {
    std::vector<Layout> layouts;
    double h = 0;
    for (std::size_t c = 0; c < n; ++c) {
      const Cell cell = c < cells.size() ? cells[c] : Cell{};
      const PangoAlignment align = header || cell.left || c == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT;
      layouts.push_back(text_layout(cr, cell.text, kTableFontPt, header || cell.tone == Tone::bad, width[c] - 2 * kCellPadPt, align));
      h = std::max(h, height_of(layouts.back().get()));
    }
    h += 2 * kCellPadPt;
    if (header) {
      cairo_set_source_rgb(cr, 0.95, 0.95, 0.97);
      cairo_rectangle(cr, kMarginPt, s_->y, kTextWidthPt, h);
      cairo_fill(cr);
    }
    for (std::size_t c = 0; c < n; ++c) {
      set_tone_colour(cr, header || c >= cells.size() ? Tone::plain : cells[c].tone);
      cairo_move_to(cr, x[c] + kCellPadPt, s_->y + kCellPadPt);
      pango_cairo_show_layout(cr, layouts[c].get());
    }
    s_->y += h;
    cairo_set_source_rgb(cr, 0.85, 0.85, 0.88);
    cairo_set_line_width(cr, 0.4);
    cairo_move_to(cr, kMarginPt, s_->y);
    cairo_line_to(cr, kMarginPt + kTextWidthPt, s_->y);
    cairo_stroke(cr);
  };
  std::vector<Cell> header;
  for (const auto& h : t.header) header.push_back({h});
  // A header alone at the foot of a page goes to the next one with its first row.
  s_->ensure(40);
  if (!t.header.empty()) draw_row(header, true);
  for (const auto& row : t.rows) {
    double h = 0;  // the row's height, to move it whole to the next page
    for (std::size_t c = 0; c < n && c < row.size(); ++c)
      h = std::max(h, height_of(text_layout(cr, row[c].text, kTableFontPt, false, width[c] - 2 * kCellPadPt, PANGO_ALIGN_LEFT).get()));
    if (s_->y + h + 2 * kCellPadPt > kPageHeightPt - kBottomPt) {
      s_->new_page();
      if (!t.header.empty()) draw_row(header, true);
    }
    draw_row(row, false);
  }
  s_->y += 4;
}

void PdfDocument::figure(std::string_view svg, double width_mm) {
  s_->check();
  GError* error = nullptr;
  RsvgHandle* handle = rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error);
  if (handle == nullptr) {
    const std::string message = error ? error->message : "unknown error";
    if (error) g_error_free(error);
    fail_pdf("cannot parse a figure: " + message);
  }
  std::unique_ptr<RsvgHandle, void (*)(gpointer)> owned(handle, g_object_unref);
  double svg_w = 0, svg_h = 0;
  if (!rsvg_handle_get_intrinsic_size_in_pixels(handle, &svg_w, &svg_h) || svg_w <= 0 || svg_h <= 0)
    fail_pdf("a figure has no width and height");
  const double w = std::min(width_mm * kPtPerMm, kTextWidthPt);
  double h = w * svg_h / svg_w;
  const double room = kPageHeightPt - kBottomPt - kTopPt;
  const double scale = h > room ? room / h : 1.0;  // a figure taller than a page is drawn smaller, whole
  h *= scale;
  s_->ensure(h);
  const RsvgRectangle viewport{kMarginPt, s_->y, w * scale, h};
  if (!rsvg_handle_render_document(handle, s_->cr, &viewport, &error)) {
    const std::string message = error ? error->message : "unknown error";
    if (error) g_error_free(error);
    fail_pdf("cannot draw a figure: " + message);
  }
  s_->y += h + 4;
}

std::string PdfDocument::finish() {
  s_->check();
  s_->footer();
  cairo_show_page(s_->cr);
  cairo_destroy(s_->cr);
  s_->cr = nullptr;
  cairo_surface_finish(s_->surface);
  const cairo_status_t status = cairo_surface_status(s_->surface);
  cairo_surface_destroy(s_->surface);
  s_->surface = nullptr;
  s_->finished = true;
  if (status != CAIRO_STATUS_SUCCESS) fail_pdf(cairo_status_to_string(status));
  return std::move(s_->bytes);
}

}  // namespace sirtkit::report
