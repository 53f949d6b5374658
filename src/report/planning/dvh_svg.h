#pragma once
// The cumulative DVH of every VOI as an SVG line chart, with dose reference
// lines (e.g. 120 and 205 Gy) drawn dashed.

#include <string>
#include <vector>

#include "dosimetry/planning/planner.h"
#include "report/svg.h"  // escape_xml, used by the other report writers through this header

namespace sirtkit::report {

std::string dvh_svg(const std::vector<dosimetry::VoiResult>& vois, const std::vector<double>& reference_gy,
                    int width = 760, int height = 420);

}  // namespace sirtkit::report
