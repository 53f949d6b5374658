#pragma once
// What the descriptive-statistics jobs (proportion, fisher, chisq, compare,
// table1) return: the machine form (every number) and a readable summary.
// The CLI prints one or the other and writes files; it computes nothing.

#include <nlohmann/json.hpp>
#include <string>

namespace sirtkit::pipelines {

struct DescriptiveOutput {
  nlohmann::json json;
  std::string text;
};

}  // namespace sirtkit::pipelines
