#pragma once
// Love plot as SVG: one row per covariate (balance term) with its absolute
// standardised mean difference before (open circle) and after (filled dot)
// matching or weighting, and dashed reference lines at 0.1 (the usual
// threshold of adequate balance, Austin 2009, Stat Med 28:3083) and 0.
//
// Elements carry classes (love-before, love-after, love-threshold, love-term)
// and data- attributes (data-term, data-smd) for tests and restyling.

#include <string>
#include <vector>

namespace sirtkit::report {

struct LovePlotRow {
  std::string term;
  double smd_before = 0, smd_after = 0;  // signed; NaN is drawn as missing
};

struct LovePlotOptions {
  std::string title = "Covariate balance";
  std::string after_label = "Matched";
  double threshold = 0.1;
};

std::string love_plot_svg(const std::vector<LovePlotRow>& rows, const LovePlotOptions& options = {});

}  // namespace sirtkit::report
