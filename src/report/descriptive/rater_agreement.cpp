#include "report/descriptive/rater_agreement.h"

#include <fmt/format.h>

#include <algorithm>

#include "report/number_output.h"

namespace sirtkit::report {

namespace {

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

}  // namespace

nlohmann::json rater_agreement_json(const RaterAgreement& a) {
  const stats::Kappa& k = a.kappa;
  nlohmann::json j;
  j["command"] = "kappa";
  j["file"] = a.file;
  j["rater1"] = a.rater1;
  j["rater2"] = a.rater2;
  j["weights"] = stats::kappa_weights_name(a.weights);
  j["levels"] = a.levels;
  j["rows_read"] = a.rows_read;
  j["n"] = k.n;
  j["rows_dropped"] = a.dropped_lines.size();
  j["dropped_lines"] = a.dropped_lines;
  j["table"] = k.table;
  j["observed_agreement"] = k.observed_agreement;
  j["expected_agreement"] = k.expected_agreement;
  j["kappa"] = k.kappa;
  j["se"] = k.se;
  j["se_null"] = k.se_null;
  j["z"] = json_or_null(k.z);
  j["p"] = json_or_null(k.p_value);
  j["conf_level"] = a.conf_level;
  j["lower"] = k.lower;
  j["upper"] = k.upper;
  j["warnings"] = a.warnings;
  return j;
}

std::string rater_agreement_text(const RaterAgreement& a) {
  const stats::Kappa& k = a.kappa;
  const auto& dropped = a.dropped_lines;
  const std::string weighting =
      a.weights == stats::KappaWeights::none ? "unweighted" : std::string(stats::kappa_weights_name(a.weights)) + " weights";
  std::string s = fmt::format("Cohen's kappa ({}), {} vs {}: {} pairs", weighting, a.rater1, a.rater2, k.n);
  if (!dropped.empty()) {
    std::vector<std::string> lines;
    for (std::size_t i = 0; i < std::min<std::size_t>(dropped.size(), 10); ++i) lines.push_back(std::to_string(dropped[i]));
    s += fmt::format("; {} row{} dropped because a reading is missing (line{} {}{})", dropped.size(), dropped.size() == 1 ? "" : "s",
                     dropped.size() == 1 ? "" : "s", join(lines, ", "), dropped.size() > 10 ? ", ..." : "");
  }
  s += "\n";
  std::size_t wcol = 6;
  for (const auto& l : a.levels) wcol = std::max(wcol, l.size() + 2);
  s += fmt::format("  rows {}, columns {}\n  {:>{}}", a.rater1, a.rater2, "", wcol);
  for (const auto& l : a.levels) s += fmt::format("{:>{}}", l, wcol);
  s += "\n";
  for (std::size_t r = 0; r < a.levels.size(); ++r) {
    s += fmt::format("  {:>{}}", a.levels[r], wcol);
    for (double c : k.table[r]) s += fmt::format("{:>{}}", c, wcol);
    s += "\n";
  }
  s += fmt::format("  observed agreement {:.4f}, expected by chance {:.4f}{}\n", k.observed_agreement, k.expected_agreement,
                   a.weights == stats::KappaWeights::none ? "" : " (weighted)");
  s += fmt::format("  kappa = {:.4f}, {:g}% CI {:.4f} to {:.4f} (se {:.4f})\n", k.kappa, a.conf_level * 100, k.lower, k.upper, k.se);
  s += fmt::format("  test of kappa = 0: z = {:.3f} (se under the null {:.4f}), p = {}\n", k.z, k.se_null, table_p_value(k.p_value));
  for (const auto& w : a.warnings) s += "  warning: " + w + "\n";
  return s;
}

}  // namespace sirtkit::report
