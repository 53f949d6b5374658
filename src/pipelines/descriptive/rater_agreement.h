#pragma once
// Inter-reader agreement over a CSV file with one subject per row and one
// column per reader (e.g. two radiologists' response category, seed 003):
// read and validate the two columns (io) and compute Cohen's kappa (stats);
// report/descriptive/rater_agreement.h renders the JSON and the summary.
//
// A row where either reading is missing ("" or NA) is dropped and counted,
// with its line reported. With --levels, a reading outside the list is bad
// input naming the line, column and value; without, the levels are the values
// seen, ordered as R's factor() orders them (numeric order when every value is
// a number, else text order). The order matters for weighted kappa.

#include <filesystem>
#include <string>
#include <vector>

#include "io/text_formats/text_encoding.h"
#include "report/descriptive/rater_agreement.h"
#include "stats/agreement/kappa.h"

namespace sirtkit::pipelines {

struct KappaRequest {
  std::filesystem::path csv;
  io::TextEncoding encoding = io::TextEncoding::utf8;  // of the CSV file (--encoding)
  std::string rater1, rater2;        // column names
  stats::KappaWeights weights = stats::KappaWeights::none;
  std::vector<std::string> levels;   // category order; empty = R factor() order of the values seen
  double conf_level = 0.95;
};

report::RaterAgreement rater_agreement(const KappaRequest& request);

}  // namespace sirtkit::pipelines
