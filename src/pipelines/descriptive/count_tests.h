#pragma once
// Tests on counts typed on the command line: one proportion (exact and score
// intervals, exact binomial test), Fisher's exact test and Pearson's
// chi-square on an r x c table: every number (report/descriptive/count_tests.h
// renders them).

#include <string>

#include "report/descriptive/count_tests.h"
#include "stats/comparison/contingency_tests.h"
#include "stats/comparison/proportion_ci.h"

namespace sirtkit::pipelines {

// "12,4/6,10": rows separated by '/', counts by ','. Bad input names the
// option and the offending text.
stats::CountTable parse_count_table(const std::string& text, const std::string& option = "table");

struct ProportionRequest {
  long x = 0;
  long n = 0;
  stats::ProportionCiMethod method = stats::ProportionCiMethod::clopper_pearson;
  double conf_level = 0.95;
  double p0 = 0.5;  // null proportion of the exact binomial test
};
report::ProportionResult proportion_result(const ProportionRequest& request);
report::FisherResult fisher_result(const stats::CountTable& table, const stats::FisherOptions& options = {});
report::ChisqResult chisq_result(const stats::CountTable& table, bool continuity_correction = true);

}  // namespace sirtkit::pipelines
