#pragma once
// Renders the SVG we write (plots) to PNG with librsvg + cairo: one drawing
// path for the screen (SVG) and for documents and slides (PNG).

#include <string>
#include <string_view>

namespace sirtkit::report {

// The PNG file bytes of `svg` drawn on a white background. width_px = 0 keeps
// the SVG's own width; otherwise the drawing is scaled to width_px and the
// height follows the aspect ratio. Throws sirtkit::Error (internal) if the
// SVG cannot be parsed or rendered: we only render SVG we wrote ourselves.
std::string svg_to_png(std::string_view svg, int width_px = 0);

}  // namespace sirtkit::report
