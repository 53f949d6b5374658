#pragma once
// Text and JSON of the tests on counts typed on the command line:
// `sirtkit proportion` (one proportion's intervals and tests), `sirtkit
// fisher` and `sirtkit chisq` (r x c tables).

#include <nlohmann/json.hpp>
#include <string>

#include "stats/comparison/contingency_tests.h"
#include "stats/comparison/proportion_ci.h"

namespace sirtkit::report {

struct ProportionResult {
  int x = 0, n = 0;
  stats::ProportionCiMethod method = stats::ProportionCiMethod::clopper_pearson;
  double conf_level = 0.95;
  double p0 = 0.5;
  stats::ProportionInterval chosen, clopper_pearson, wilson, wilson_cc;
  double binomial_p = 1;
  stats::ProportionChisq prop_test, prop_test_cc;
};

std::string proportion_text(const ProportionResult& r);
nlohmann::json proportion_json(const ProportionResult& r);

struct FisherResult {
  stats::CountTable table;
  stats::FisherResult result;
};

std::string fisher_text(const FisherResult& r);
nlohmann::json fisher_json(const FisherResult& r);

struct ChisqResult {
  stats::CountTable table;
  stats::ChisqResult result;
};

std::string chisq_text(const ChisqResult& r);
nlohmann::json chisq_json(const ChisqResult& r);

}  // namespace sirtkit::report
