#pragma once
// Restricted mean survival time over a CSV file (sirtkit rmst): per group
// (Kaplan-Meier, optionally case-weighted) up to tau, with its CI, and the
// difference of each group from the first (reference) level.

#include <filesystem>

#include "io/text_formats/text_encoding.h"
#include "pipelines/survival/survival_analysis.h"
#include "report/survival/rmst_analysis.h"

namespace sirtkit::pipelines {

struct RmstRequest {
  std::filesystem::path csv;
  io::TextEncoding encoding = io::TextEncoding::utf8;
  SurvivalColumns columns;  // group optional; weights optional
  double tau = 0;           // required, > 0
  double conf_level = 0.95;
};
// Rendered as JSON and text by report/survival/rmst_analysis.h.
report::RmstAnalysis rmst_analysis(const RmstRequest& request);

}  // namespace sirtkit::pipelines
