#include "stats/cox/stepwise_aic.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "core/error.h"
#include "stats/cox/cox_counting_process.h"

namespace sirtkit::stats {

StepDirection parse_step_direction(const std::string& name) {
  if (name == "both") return StepDirection::both;
  if (name == "backward") return StepDirection::backward;
  if (name == "forward") return StepDirection::forward;
  fail_input("stepwise selection", "direction", name, "both, backward or forward");
}

StepwiseResult stepwise_aic(std::span<const double> time, std::span<const int> status, const Eigen::MatrixXd& x,
                            const std::vector<std::vector<int>>& terms, const std::vector<std::string>& names,
                            StepDirection direction, const CoxOptions& options_in, std::span<const int> strata,
                            std::span<const double> start) {
  CoxOptions options = options_in;
  options.concordance = false;
  options.robust = false;
  const int nterm = static_cast<int>(terms.size());
  if (nterm == 0 || names.size() != terms.size())
    throw Error(ErrorCategory::internal, "stepwise_aic: terms and names do not match");

  auto fit = [&](const Eigen::MatrixXd& design, const CoxOptions& o) {
    return start.empty() ? cox_fit(time, status, design, o, strata)
                         : cox_fit_counting(start, time, status, design, o, strata);
  };
  std::map<std::vector<int>, double> cache;
  double null_aic = std::numeric_limits<double>::quiet_NaN();
  auto aic_of = [&](const std::vector<int>& model) {
    if (auto it = cache.find(model); it != cache.end()) return it->second;
    double aic;
    if (model.empty()) {
      if (std::isnan(null_aic)) {
        // loglik at beta = 0 of any model (AIC of the empty model: edf 0)
        Eigen::MatrixXd one = x.col(terms[0][0]);
        CoxOptions o = options;
        o.iter_max = 0;
        null_aic = -2.0 * fit(one, o).loglik_init;
      }
      aic = null_aic;
    } else {
      std::vector<int> cols;
      for (int t : model) cols.insert(cols.end(), terms[t].begin(), terms[t].end());
      Eigen::MatrixXd sub(x.rows(), static_cast<Eigen::Index>(cols.size()));
      for (std::size_t j = 0; j < cols.size(); ++j) sub.col(static_cast<Eigen::Index>(j)) = x.col(cols[j]);
      aic = fit(sub, options).aic();
    }
    cache.emplace(model, aic);
    return aic;
  };

  std::vector<int> current;
  if (direction != StepDirection::forward)
    for (int t = 0; t < nterm; ++t) current.push_back(t);
  StepwiseResult r;
  double cur_aic = aic_of(current);
  r.path.push_back({"start", cur_aic, current});
  for (;;) {
    double best = cur_aic;
    std::vector<int> best_model;
    std::string best_action;
    if (direction != StepDirection::forward) {
      for (int t : current) {
        std::vector<int> m;
        for (int u : current) if (u != t) m.push_back(u);
        const double a = aic_of(m);
        if (a < best) { best = a; best_model = m; best_action = "- " + names[t]; }
      }
    }
    if (direction != StepDirection::backward) {
      for (int t = 0; t < nterm; ++t) {
        if (std::find(current.begin(), current.end(), t) != current.end()) continue;
        std::vector<int> m = current;
        m.push_back(t);
        std::sort(m.begin(), m.end());
        const double a = aic_of(m);
        if (a < best) { best = a; best_model = m; best_action = "+ " + names[t]; }
      }
    }
    if (best_action.empty()) break;  // the current model has the lowest AIC
    current = best_model;
    cur_aic = best;
    r.path.push_back({best_action, cur_aic, current});
  }
  r.kept = current;
  r.aic = cur_aic;
  return r;
}

}  // namespace sirtkit::stats
