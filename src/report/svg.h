#pragma once
// Small helpers shared by the SVG plots (DVH, Kaplan-Meier, forest): text
// escaping, "nice" axis steps, the colour palette and number formatting that
// keeps SVG coordinates short and locale-free.

#include <string>
#include <vector>

namespace sirtkit::report {

// Escapes &, <, >, " for HTML and SVG text.
std::string escape_xml(const std::string& text);

// A "nice" axis step (1, 2 or 5 × 10^n) giving about `ticks` divisions of `range`.
double nice_step(double range, int ticks);

// Ticks 0, step, 2·step, ... <= max_value with a nice step giving about `ticks`
// divisions; computed by multiplication so 0.1-steps do not drift.
std::vector<double> ticks_up_to(double max_value, int ticks);

// The i-th colour of a 10-colour categorical palette (matplotlib's tab10), so
// curves and legend entries of the same group match across plots.
const char* palette_colour(std::size_t i);

// A tick label: integers without decimals, others with up to 4 significant digits.
std::string tick_label(double value);

// The opening <svg> element with size, view box and the shared font.
std::string svg_open(double width, double height);

}  // namespace sirtkit::report
