#pragma once
// Competing-risks analyses over a CSV file: the cumulative incidence of each
// cause (Aalen-Johansen) overall and per group with Gray's test across groups
// (sirtkit cif), and Fine-Gray regression (sirtkit finegray): every number,
// rendered by report/survival/competing_risks_analysis.

#include <filesystem>
#include <string>
#include <vector>

#include "io/text_formats/text_encoding.h"
#include "pipelines/survival/survival_analysis.h"
#include "report/survival/competing_risks_analysis.h"

namespace sirtkit::pipelines {

struct CifRequest {
  std::filesystem::path csv;
  io::TextEncoding encoding = io::TextEncoding::utf8;
  std::string time = "time";
  std::string event = "status";  // 0 = censored, 1, 2, ... = cause
  std::string group;             // optional: curves per group and Gray's test
  std::string strata;            // optional: Gray's test stratified
  std::vector<double> times;     // report the curves at these times
  double rho = 0;                // Gray's test weight (1 - F(t-))^rho, cmprsk default 0
  bool full_table = false;       // every row in the readable summary
};
report::CifAnalysis cif_analysis(const CifRequest& request);

// Fine-Gray regression of one cause's subdistribution hazard (sirtkit finegray), as cmprsk::crr.
struct FineGrayRequest {
  std::filesystem::path csv;
  io::TextEncoding encoding = io::TextEncoding::utf8;
  std::string time = "time";
  std::string event = "status";  // 0 = censored, 1, 2, ... = cause
  int cause = 1;                 // the failure of interest (crr failcode)
  CovariateSpec covariates;      // numeric or factor columns (no cluster)
  double conf_level = 0.95;
};
report::FineGrayAnalysis fine_gray_analysis(const FineGrayRequest& request);

}  // namespace sirtkit::pipelines
