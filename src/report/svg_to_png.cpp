#include "report/svg_to_png.h"

#include <cairo.h>
#include <librsvg/rsvg.h>

#include <cmath>
#include <memory>

#include "core/error.h"

namespace sirtkit::report {
namespace {

[[noreturn]] void fail_render(const std::string& what) { throw Error(ErrorCategory::internal, "SVG to PNG: " + what); }

struct GObjectUnref {
  void operator()(void* p) const { g_object_unref(p); }
};
struct SurfaceDestroy {
  void operator()(cairo_surface_t* s) const { cairo_surface_destroy(s); }
};
struct CairoDestroy {
  void operator()(cairo_t* c) const { cairo_destroy(c); }
};

cairo_status_t append_to_string(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

std::string svg_to_png(std::string_view svg, int width_px) {
  GError* error = nullptr;
  std::unique_ptr<RsvgHandle, GObjectUnref> handle(
      rsvg_handle_new_from_data(reinterpret_cast<const guint8*>(svg.data()), svg.size(), &error));
  if (!handle) {
    const std::string message = error ? error->message : "unknown error";
    if (error) g_error_free(error);
    fail_render("cannot parse the SVG: " + message);
  }
  double svg_w = 0, svg_h = 0;
  if (!rsvg_handle_get_intrinsic_size_in_pixels(handle.get(), &svg_w, &svg_h) || svg_w <= 0 || svg_h <= 0)
    fail_render("the SVG has no width and height in pixels");
  const double scale = width_px > 0 ? width_px / svg_w : 1.0;
  const int w = width_px > 0 ? width_px : static_cast<int>(std::lround(svg_w));
  const int h = static_cast<int>(std::lround(svg_h * scale));

  std::unique_ptr<cairo_surface_t, SurfaceDestroy> surface(cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h));
  if (cairo_surface_status(surface.get()) != CAIRO_STATUS_SUCCESS) fail_render("cannot allocate a " + std::to_string(w) + " x " + std::to_string(h) + " image");
  std::unique_ptr<cairo_t, CairoDestroy> cr(cairo_create(surface.get()));
  cairo_set_source_rgb(cr.get(), 1, 1, 1);  // white, not transparent: slides and Word show it as drawn
  cairo_paint(cr.get());
  const RsvgRectangle viewport{0, 0, static_cast<double>(w), static_cast<double>(h)};
  if (!rsvg_handle_render_document(handle.get(), cr.get(), &viewport, &error)) {
    const std::string message = error ? error->message : "unknown error";
    if (error) g_error_free(error);
    fail_render("cannot render the SVG: " + message);
  }
  cairo_surface_flush(surface.get());
  std::string png;
  if (cairo_surface_write_to_png_stream(surface.get(), append_to_string, &png) != CAIRO_STATUS_SUCCESS)
    fail_render("cannot encode the PNG");
  return png;
}

}  // namespace sirtkit::report
