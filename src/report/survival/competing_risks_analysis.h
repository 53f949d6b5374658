#pragma once
// Text and JSON of the competing-risks commands: `sirtkit cif` (cumulative
// incidence of each cause, overall and per group, with Gray's test) and
// `sirtkit finegray` (Fine-Gray regression, as cmprsk::crr).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "stats/survival/competing_risks.h"
#include "stats/survival/fine_gray.h"

namespace sirtkit::report {

struct CifCurveView {
  std::string label;  // "all" or "arm=B"
  stats::CumulativeIncidence curve;
  std::vector<stats::CifAtTime> at_times;
};

struct GrayTestView {
  int cause = 1;
  stats::GrayTestResult result;
};

struct CifAnalysis {
  std::string file;
  std::size_t rows_read = 0, rows_used = 0, rows_dropped = 0;
  std::vector<int> causes;
  std::vector<std::string> warnings;  // of the rows read (JSON only); one group adds its own
  std::vector<CifCurveView> curves;   // every cause of "all", then of each group
  bool full_table = false;
  std::string group;  // "" without --group
  std::size_t group_levels = 0;
  // With two groups or more: Gray's test per cause.
  double rho = 0;
  std::string strata;
  std::vector<GrayTestView> gray_tests;
};

std::string cif_text(const CifAnalysis& cif);
nlohmann::json cif_json(const CifAnalysis& cif);

struct FineGrayAnalysis {
  std::string file;
  std::size_t rows_read = 0, rows_dropped = 0;
  int cause = 1;
  double conf_level = 0.95;
  std::vector<std::string> terms;
  stats::FineGrayFit fit;
  std::vector<std::string> warnings;  // of the rows read (JSON only); non-convergence adds its own
};

std::string fine_gray_text(const FineGrayAnalysis& fg);
nlohmann::json fine_gray_json(const FineGrayAnalysis& fg);

}  // namespace sirtkit::report
