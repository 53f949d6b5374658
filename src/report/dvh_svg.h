#pragma once
// The cumulative DVH of every VOI as an SVG line chart, with dose reference
// lines (e.g. 120 and 205 Gy) drawn dashed.

#include <string>
#include <vector>

#include "dosimetry/planner.h"

namespace sirtkit::report {

std::string dvh_svg(const std::vector<dosimetry::VoiResult>& vois, const std::vector<double>& reference_gy,
                    int width = 760, int height = 420);

// Escapes &, <, >, " for HTML and SVG text.
std::string escape_xml(const std::string& text);

}  // namespace sirtkit::report
