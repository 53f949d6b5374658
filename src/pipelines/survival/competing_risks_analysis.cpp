#include "pipelines/survival/competing_risks_analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "core/error.h"
#include "io/text_formats/csv_table.h"
#include "stats/survival/competing_risks.h"
#include "stats/survival/fine_gray.h"

namespace sirtkit::pipelines {

namespace {

SurvivalFrame load_cause_frame(const io::CsvTable& table, const std::string& time, const std::string& event,
                               const std::string& group, const std::string& strata) {
  SurvivalColumns c;
  c.time = time;
  c.event = event;
  c.coding = EventCoding::cause;
  c.group = group;
  c.strata = strata;
  return load_survival_frame(table, c);
}

}  // namespace

report::CifAnalysis cif_analysis(const CifRequest& rq) {
  const auto table = io::CsvTable::read(rq.csv, rq.encoding);
  const SurvivalFrame f = load_cause_frame(table, rq.time, rq.event, rq.group, rq.strata);
  std::set<int> causes;
  for (int s : f.status)
    if (s != 0) causes.insert(s);
  if (causes.empty()) fail_input(table.source(), rq.event, "no events", "at least one row with a cause code >= 1 (0 = censored)");
  report::CifAnalysis a;
  a.file = rq.csv.string();
  a.rows_read = f.rows_read;
  a.rows_used = f.time.size();
  a.rows_dropped = f.rows_dropped;
  a.causes.assign(causes.begin(), causes.end());
  a.warnings = f.warnings;
  a.full_table = rq.full_table;
  a.group = rq.group;
  a.group_levels = f.group_levels.size();
  const auto add_curves = [&](const std::vector<double>& t, const std::vector<int>& s, const std::string& label) {
    for (auto& c : stats::cumulative_incidence(t, s)) {
      auto at = stats::cif_at_times(c, rq.times);
      a.curves.push_back({label, std::move(c), std::move(at)});
    }
  };
  add_curves(f.time, f.status, "all");
  for (std::size_t g = 0; g < f.group_levels.size(); ++g) {
    std::vector<double> t;
    std::vector<int> s;
    for (std::size_t i = 0; i < f.time.size(); ++i)
      if (f.group[i] == static_cast<int>(g)) {
        t.push_back(f.time[i]);
        s.push_back(f.status[i]);
      }
    add_curves(t, s, rq.group + "=" + f.group_levels[g]);
  }
  if (f.group_levels.size() >= 2) {
    a.rho = rq.rho;
    a.strata = rq.strata;
    for (int k : causes)
      a.gray_tests.push_back(
          {k, stats::gray_test(f.time, f.status, f.group, static_cast<int>(f.group_levels.size()), k, rq.rho, f.strata)});
  }
  return a;
}

report::FineGrayAnalysis fine_gray_analysis(const FineGrayRequest& rq) {
  if (rq.covariates.covariates.empty()) fail_input("options", "covariates", "(none)", "at least one covariate (--covariates)");
  if (!rq.covariates.cluster.empty()) fail_input("options", "cluster", rq.covariates.cluster, "no cluster for the Fine-Gray model");
  const auto table = io::CsvTable::read(rq.csv, rq.encoding);
  SurvivalColumns c;
  c.time = rq.time;
  c.event = rq.event;
  c.coding = EventCoding::cause;
  const SurvivalFrame f = load_survival_frame(table, c, rq.covariates);
  if (std::find(f.status.begin(), f.status.end(), rq.cause) == f.status.end())
    fail_input(table.source(), rq.event, fmt::format("cause {}", rq.cause), "at least one failure from the cause of interest (--cause)");
  stats::FineGrayOptions o;
  o.conf_level = rq.conf_level;
  report::FineGrayAnalysis a;
  a.fit = stats::fine_gray(f.time, f.status, f.x, rq.cause, o);
  a.file = rq.csv.string();
  a.rows_read = f.rows_read;
  a.rows_dropped = f.rows_dropped;
  a.cause = rq.cause;
  a.conf_level = rq.conf_level;
  a.terms = f.terms;
  a.warnings = f.warnings;
  return a;
}

}  // namespace sirtkit::pipelines
