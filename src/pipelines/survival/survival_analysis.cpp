#include "pipelines/survival/survival_analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include "core/error.h"
#include "core/text.h"
#include "io/csv_table.h"
#include "io/plain_csv.h"
#include "pipelines/descriptive/csv_columns.h"
#include "pipelines/descriptive/number_output.h"
#include "pipelines/survival/time_unit.h"
#include "stats/concordance_variance.h"
#include "stats/counting_intervals.h"
#include "stats/cox_counting_process.h"
#include "stats/cox_zph.h"
#include "stats/cox_zph_counting.h"
#include "stats/log_rank.h"
#include "stats/parallel.h"
#include "stats/stepwise_aic.h"
#include "stats/subgroup_analysis.h"
#include "stats/time_fix.h"

namespace sirtkit::pipelines {

namespace {

using nlohmann::json;

bool parse_number(std::string_view s, double& out) {
  const std::optional<double> v = parse_finite_number(s);
  if (v) out = *v;
  return v.has_value();
}

std::string where(const io::CsvTable& t, std::size_t row) { return where_row(t, row); }

// An event cell: a number, or a logical as read.csv reads one (TRUE/FALSE,
// T/F, true/false, True/False), since R's Surv() takes a logical status with
// TRUE = event.
bool parse_event_value(std::string_view s, bool logical_ok, double& out) {
  if (parse_number(s, out)) return true;
  if (!logical_ok) return false;
  const auto b = parse_r_logical(s);
  if (b) out = *b ? 1 : 0;
  return b.has_value();
}

// A categorical column as R's factor(): levels in numeric order, labelled as R
// prints the numbers ("1", not "1.0"), when every value is a number; else in
// R's text collation (r_collate_less), text cells with their spaces kept
// (read.csv's strip.white = FALSE). The first level is the reference.
struct Factor {
  std::vector<std::optional<std::string>> label;  // per table row (categorical_labels); nullopt = missing
  std::vector<std::string> levels;
  std::unordered_map<std::string, int> index;  // label -> level code
  CategoricalColumn column;                    // for categorical_warnings
  int code(std::size_t row) const { return index.at(*label[row]); }
  bool missing(std::size_t row) const { return !label[row]; }
};

// The labels of a column (read.csv types a column from all its cells, also
// those of rows dropped later as incomplete: one text cell anywhere makes
// every level text).
Factor factor_labels(const io::CsvTable& t, std::size_t col) {
  Factor f;
  f.label = categorical_labels(t, col, &f.column.text);
  if (f.column.text)
    for (std::size_t r = 0; r < t.rows(); ++r)
      if (t.cell(r, col).empty()) ++f.column.empty_cells;
  return f;
}

// The levels of the rows used, in R's order; a reference level given for the
// column (R's relevel(x, ref =)) moves to the front.
void factor_levels(Factor& f, const io::CsvTable& t, std::size_t col, const std::vector<std::size_t>& rows,
                   const SurvivalColumns& c) {
  const bool numeric = !f.column.text && column_is_numeric(t, col);
  std::vector<std::pair<double, std::string>> v;
  for (auto r : rows) v.emplace_back(numeric ? *parse_finite_number(t.cell(r, col)) : 0.0, *f.label[r]);
  // Numbers in numeric order; text as R's sort() collates it (not byte order).
  std::sort(v.begin(), v.end(), [&](const auto& a, const auto& b) {
    if (numeric) return a.first < b.first;
    return r_collate_less(a.second, b.second);
  });
  for (const auto& [d, l] : v)
    if (f.levels.empty() || f.levels.back() != l) f.levels.push_back(l);
  const std::string& name = t.header()[col];
  const auto labels = c.value_labels.find(name);
  const auto label_of = [&](const std::string& code) {
    if (labels == c.value_labels.end()) return code;
    const auto it = labels->second.find(code);
    return it == labels->second.end() ? code : it->second;
  };
  if (const auto ref = c.reference_levels.find(name); ref != c.reference_levels.end()) {
    // The reference by its code or by its label.
    auto at = std::find(f.levels.begin(), f.levels.end(), ref->second);
    if (at == f.levels.end())
      at = std::find_if(f.levels.begin(), f.levels.end(), [&](const std::string& l) { return label_of(l) == ref->second; });
    if (at == f.levels.end())
      fail_input(t.source(), name, ref->second, "a level of the column as reference (levels: " + fmt::format("{}", fmt::join(f.levels, ", ")) + ")");
    std::rotate(f.levels.begin(), at, at + 1);
  }
  for (std::size_t k = 0; k < f.levels.size(); ++k) f.index.emplace(f.levels[k], static_cast<int>(k));
  // Cells are matched by their codes (the index); the levels show the labels.
  std::set<std::string> shown;
  for (auto& level : f.levels) {
    const std::string code = level;
    level = label_of(code);
    if (!shown.insert(level).second)
      fail_input("--labels", name, level, "one label per code (code " + code + " has the label of another level)");
  }
  f.column.levels = f.levels;
}

// The frame's warnings into a result: JSON `warnings` and the text.
void add_frame_warnings(json& j, std::string& text, const std::vector<std::string>& warnings) {
  if (!j.contains("warnings")) j["warnings"] = json::array();
  for (const auto& w : warnings) {
    if (std::find(j["warnings"].begin(), j["warnings"].end(), w) != j["warnings"].end()) continue;
    j["warnings"].push_back(w);
    text += "  warning: " + w + "\n";
  }
}

// A test needs events: refused with the coding hint of the status warning.
void require_events(const SurvivalFrame& f, const std::string& source, const std::string& event) {
  if (std::find(f.status.begin(), f.status.end(), 1) != f.status.end()) return;
  std::string why = "at least one event (all observations are censored)";
  for (const auto& w : f.warnings)
    if (w.starts_with("no events")) why = "at least one event (" + w + ")";
  fail_input(source, event, "no events", why);
}

// NaN -> null (nlohmann writes NaN as null already; explicit for clarity).
std::string fmt_num(double v, int digits = 4) {
  if (std::isnan(v)) return "NA";
  return fmt::format("{:.{}g}", v, digits);
}


}  // namespace

EventCoding parse_event_coding(const std::string& name) {
  if (name == "event" || name == "1" || name == "surv") return EventCoding::event_is_one;
  if (name == "cnsr" || name == "CNSR" || name == "0") return EventCoding::cnsr;
  if (name == "r12" || name == "12" || name == "1/2") return EventCoding::r12;
  fail_input("event coding", "event-coding", name,
             "event (1 = event, 0 = censored), cnsr (0 = event, 1 = censored) or r12 (1 = censored, 2 = event, as R's lung data)");
}

const char* event_coding_name(EventCoding coding) {
  switch (coding) {
    case EventCoding::event_is_one: return "event";
    case EventCoding::cnsr: return "cnsr";
    case EventCoding::r12: return "r12";
    case EventCoding::cause: return "cause";
  }
  return "?";
}


namespace {

// A whole analysis without an event, or with every row the same status, is
// almost always a misread event coding (R's lung data under cnsr gives 0
// events in 228 rows): say so loudly, with the codes seen.
void add_status_warnings(SurvivalFrame& f, const io::CsvTable& t, std::size_t ec, const std::vector<std::size_t>& rows,
                         const SurvivalColumns& c) {
  const auto events = std::count_if(f.status.begin(), f.status.end(), [](int s) { return s != 0; });
  const auto n = static_cast<std::int64_t>(f.status.size());
  if (events != 0 && events != n) return;
  std::set<std::string> codes;
  for (auto r : rows) {
    codes.insert(std::string(trim_view(t.cell(r, ec))));
    if (codes.size() > 4) break;
  }
  std::string seen;
  for (const auto& code : codes) seen += (seen.empty() ? "" : ", ") + code;
  const bool one_two = codes == std::set<std::string>{"1", "2"} || codes == std::set<std::string>{"2"};
  const std::string hint = one_two && c.coding != EventCoding::r12
                               ? "; R's Surv() reads 1/2 codes as 1 = censored, 2 = event (survival::lung): --event-coding r12"
                               : "; check --event-coding";
  if (events == 0)
    f.warnings.push_back(fmt::format("no events: all {} rows are censored under --event-coding {} ({} codes seen: {}){}", n,
                                     event_coding_name(c.coding), c.event, seen, hint));
  else
    f.warnings.push_back(fmt::format("every one of the {} rows is an event (none censored) under --event-coding {} ({} codes seen: {}){}",
                                     n, event_coding_name(c.coding), c.event, seen, hint));
}

}  // namespace

SurvivalFrame load_survival_frame(const io::CsvTable& t, const SurvivalColumns& c, const CovariateSpec& cov) {
  SurvivalFrame f;
  f.rows_read = t.rows();
  const std::size_t tc = t.column_index(c.time);
  const std::size_t stc = c.start.empty() ? 0 : t.column_index(c.start);
  const std::size_t ec = t.column_index(c.event);
  const std::size_t gc = c.group.empty() ? 0 : t.column_index(c.group);
  const std::size_t sc = c.strata.empty() ? 0 : t.column_index(c.strata);
  const std::size_t cc = cov.cluster.empty() ? 0 : t.column_index(cov.cluster);
  const std::size_t wc = c.weights.empty() ? 0 : t.column_index(c.weights);
  std::vector<std::size_t> covc;
  for (const auto& name : cov.covariates) covc.push_back(t.column_index(name));
  for (const auto& name : cov.factors) {
    if (std::find(cov.covariates.begin(), cov.covariates.end(), name) == cov.covariates.end())
      fail_input("options", "factor", name, "a column that is also listed as a covariate");
  }

  // Categorical columns: R's labels (spaces kept in text). A covariate not
  // declared --factor is numeric when every cell is a number, a factor when
  // none is (as R), and refused when numbers and text are mixed: one text cell
  // in a numeric column (a typo, "unknown", " NA") would make R read every
  // value as a level.
  std::optional<Factor> group_f, strata_f, cluster_f;
  if (!c.group.empty()) group_f = factor_labels(t, gc);
  if (!c.strata.empty()) strata_f = factor_labels(t, sc);
  if (!cov.cluster.empty()) cluster_f = factor_labels(t, cc);
  std::vector<std::optional<Factor>> cov_f(covc.size());
  // The numeric covariates' values, parsed once (NaN where missing): column
  // num_col[k] of xnum for covariate k.
  auto forced_factor = [&](const std::string& name) {
    return std::find(cov.factors.begin(), cov.factors.end(), name) != cov.factors.end();
  };
  Eigen::MatrixXd xnum(static_cast<Eigen::Index>(t.rows()),
                       std::count_if(cov.covariates.begin(), cov.covariates.end(), [&](const auto& name) { return !forced_factor(name); }));
  std::vector<Eigen::Index> num_col(covc.size(), -1);
  std::vector<char> is_numeric(covc.size(), 0);
  {
    std::vector<std::size_t> candidates;  // covariate k parses into column `column_of[k]` of xnum
    std::vector<Eigen::Index> column_of(covc.size(), -1);
    for (std::size_t k = 0; k < covc.size(); ++k)
      if (!forced_factor(cov.covariates[k])) {
        column_of[k] = static_cast<Eigen::Index>(candidates.size());
        candidates.push_back(k);
      }
    // One column per thread at a time (the table is only read).
    const std::size_t parts = t.rows() >= 20000 ? std::max(1u, std::thread::hardware_concurrency()) : 1;
    stats::run_parts(std::min(parts, std::max<std::size_t>(1, candidates.size())), [&](std::size_t part) {
      for (std::size_t c = part; c < candidates.size(); c += parts) {
        const std::size_t k = candidates[c];
        is_numeric[k] = numeric_values(t, covc[k], xnum.col(column_of[k]).data());
      }
    });
    for (std::size_t k = 0; k < covc.size(); ++k)
      if (is_numeric[k]) num_col[k] = column_of[k];
  }
  bool all_numeric = true;
  for (std::size_t k = 0; k < covc.size(); ++k) {
    const std::string& name = cov.covariates[k];
    const bool forced = forced_factor(name);
    if (is_numeric[k]) continue;
    all_numeric = false;
    if (!forced) {
      std::optional<std::size_t> first_text;
      bool any_number = false;
      for (std::size_t r = 0; r < t.rows() && !(any_number && first_text); ++r) {
        const auto s = number_cell(t, r, covc[k]);
        if (!s) continue;
        if (parse_finite_number(*s)) any_number = true;
        else if (!first_text) first_text = r;
      }
      if (any_number && first_text) {
        const bool hide = is_identifier_column_name(name) || name == cov.cluster;
        fail_input(fmt::format("{}, column {}", where(t, *first_text), name), name,
                   hide ? std::string("(a text value, not shown: identifier column)") : t.cell(*first_text, covc[k]),
                   "a number (the column's other values are numbers; R's read.csv would read the whole column as text "
                   "and every value as a level; write NA for a missing value, or list the column in --factor to treat it "
                   "as categorical)");
      }
    }
    cov_f[k] = factor_labels(t, covc[k]);
  }

  // Complete cases over every used column; validate time and event on every row used.
  std::vector<std::size_t> rows;
  rows.reserve(t.rows());
  std::vector<double> time_value(t.rows()), event_value(t.rows());  // parsed once, read for the rows used
  for (std::size_t r = 0; r < t.rows(); ++r) {
    bool missing = is_missing_number_cell(t.cell(r, tc)) || is_missing_number_cell(t.cell(r, ec));
    if (!c.start.empty()) missing = missing || is_missing_number_cell(t.cell(r, stc));
    if (!c.weights.empty()) {
      // A case weight: a number > 0 (coxph and survfit refuse others); missing drops the row as R's na.omit.
      const auto ws = t.cell(r, wc);
      double wv = 0;
      missing = missing || is_missing_number_cell(ws);
      if (!is_missing_number_cell(ws) && !(parse_number(ws, wv) && wv > 0))
        fail_input(where(t, r), c.weights, ws, "a case weight: a finite number > 0");
    }
    if (group_f) missing = missing || group_f->missing(r);
    if (strata_f) missing = missing || strata_f->missing(r);
    if (cluster_f) missing = missing || cluster_f->missing(r);
    for (std::size_t k = 0; k < covc.size(); ++k)
      missing = missing || (cov_f[k] ? cov_f[k]->missing(r) : std::isnan(xnum(static_cast<Eigen::Index>(r), num_col[k])));
    // Bad time / event values are errors even on rows dropped for other reasons.
    double v = 0;
    const auto ts = t.cell(r, tc);
    if (!is_missing_number_cell(ts)) {
      if (!parse_number(ts, v)) fail_input(where(t, r), c.time, ts, "a number (time)");
      if (v < 0) fail_input(where(t, r), c.time, ts, "a time >= 0");
      time_value[r] = v;
    }
    // (start, stop] rows: an entry time >= 0 and before the stop time (R's Surv
    // turns start >= stop into NA with a warning; here it is an error).
    if (!c.start.empty() && !is_missing_number_cell(t.cell(r, stc))) {
      const auto ss = t.cell(r, stc);
      double s0 = 0;
      if (!parse_number(ss, s0)) fail_input(where(t, r), c.start, ss, "a number (entry time)");
      if (s0 < 0) fail_input(where(t, r), c.start, ss, "an entry time >= 0");
      if (parse_number(ts, v) && !(s0 < v))
        fail_input(where(t, r), c.start, ss, fmt::format("an entry time before the stop time ({} = {})", c.time, trim_view(ts)));
    }
    const auto es = t.cell(r, ec);
    if (!is_missing_number_cell(es)) {
      const bool ok = parse_event_value(es, c.coding == EventCoding::event_is_one, v) && v == std::floor(v);
      event_value[r] = v;
      if (c.coding == EventCoding::event_is_one && (!ok || (v != 0 && v != 1)))
        fail_input(where(t, r), c.event, es,
                   ok && v == 2 ? "0 (censored) or 1 (event), or FALSE/TRUE; for R's 1 = censored / 2 = event coding "
                                  "(survival::lung) pass --event-coding r12"
                                : "0 (censored) or 1 (event), or FALSE/TRUE");
      if (c.coding == EventCoding::cnsr && (!ok || v < 0))
        fail_input(where(t, r), c.event, es, "a CNSR code: 0 (event) or a positive integer (censored)");
      if (c.coding == EventCoding::r12 && (!ok || (v != 1 && v != 2)))
        fail_input(where(t, r), c.event, es, "1 (censored) or 2 (event) under --event-coding r12");
      if (c.coding == EventCoding::cause && (!ok || v < 0 || v > 1e6))
        fail_input(where(t, r), c.event, es, "0 (censored) or a cause code: an integer 1, 2, ...");
    }
    if (missing) {
      ++f.rows_dropped;
      continue;
    }
    rows.push_back(r);
  }
  if (rows.empty()) fail_input(t.source(), "rows", "0 complete rows", "at least one row without missing values in the used columns");

  f.time.reserve(rows.size());
  f.status.reserve(rows.size());
  for (auto r : rows) {
    f.time.push_back(time_value[r]);
    const double v = event_value[r];
    f.status.push_back(c.coding == EventCoding::event_is_one ? (v == 1 ? 1 : 0)
                       : c.coding == EventCoding::r12   ? (v == 2 ? 1 : 0)
                       : c.coding == EventCoding::cause ? static_cast<int>(v)
                                                        : (v == 0 ? 1 : 0));
  }
  add_status_warnings(f, t, ec, rows, c);
  if (!c.start.empty())
    for (auto r : rows) {
      double v = 0;
      parse_number(t.cell(r, stc), v);
      f.start.push_back(v);
    }
  if (!c.weights.empty())
    for (auto r : rows) {
      double v = 0;
      parse_number(t.cell(r, wc), v);
      f.weights.push_back(v);
    }
  if (group_f) {
    factor_levels(*group_f, t, gc, rows, c);
    f.group_levels = group_f->levels;
    for (auto r : rows) f.group.push_back(group_f->code(r));
    for (auto& w : categorical_warnings(group_f->column, c.group)) f.warnings.push_back(std::move(w));
  }
  if (strata_f) {
    factor_levels(*strata_f, t, sc, rows, c);
    f.strata_levels = strata_f->levels;
    for (auto r : rows) f.strata.push_back(strata_f->code(r));
    for (auto& w : categorical_warnings(strata_f->column, c.strata)) f.warnings.push_back(std::move(w));
  }
  if (cluster_f) {
    factor_levels(*cluster_f, t, cc, rows, c);
    for (auto r : rows) f.cluster.push_back(cluster_f->code(r));
  }

  // Design matrix: numeric columns as is, factors as R treatment dummies.
  // Every row complete and every covariate numeric: the parsed columns are the
  // design (no copy).
  std::vector<std::vector<double>> dummies;  // per factor covariate, its dummy columns in order
  std::vector<std::size_t> design_cols;      // per covariate, its number of design columns
  for (std::size_t k = 0; k < covc.size(); ++k) {
    const std::string& name = cov.covariates[k];
    if (!cov_f[k]) {
      const auto col = xnum.col(num_col[k]);
      const double first = col(static_cast<Eigen::Index>(rows[0]));
      if (std::all_of(rows.begin(), rows.end(), [&](std::size_t r) { return col(static_cast<Eigen::Index>(r)) == first; }))
        fail_input(t.source(), name, fmt_num(first, 10) + " on every row", "a covariate that varies (a constant covariate has no hazard ratio)");
      design_cols.push_back(1);
      f.terms.push_back(name);
      f.term_column.push_back(name);
      f.term_level.emplace_back();
      continue;
    }
    Factor& fac = *cov_f[k];
    factor_levels(fac, t, covc[k], rows, c);
    for (auto& w : categorical_warnings(fac.column, name)) f.warnings.push_back(std::move(w));
    const auto& lv = fac.levels;
    if (lv.size() < 2) fail_input(t.source(), name, lv.empty() ? "" : lv[0], "a factor with at least two levels");
    for (std::size_t l = 1; l < lv.size(); ++l) {
      std::vector<double> d;
      d.reserve(rows.size());
      for (auto r : rows) d.push_back(fac.code(r) == static_cast<int>(l) ? 1.0 : 0.0);
      dummies.push_back(std::move(d));
      f.terms.push_back(name + lv[l]);  // R's term name, e.g. rxObs
      f.term_column.push_back(name);
      f.term_level.push_back(lv[l]);
    }
    design_cols.push_back(lv.size() - 1);
  }
  if (all_numeric && rows.size() == t.rows()) {
    f.x = std::move(xnum);
    return f;
  }
  f.x.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(f.terms.size()));
  Eigen::Index j = 0;
  std::size_t next_dummy = 0;
  for (std::size_t k = 0; k < covc.size(); ++k) {
    for (std::size_t c = 0; c < design_cols[k]; ++c, ++j) {
      auto out = f.x.col(j);
      if (!cov_f[k]) {
        const auto col = xnum.col(num_col[k]);
        for (std::size_t i = 0; i < rows.size(); ++i) out(static_cast<Eigen::Index>(i)) = col(static_cast<Eigen::Index>(rows[i]));
      } else {
        const auto& d = dummies[next_dummy++];
        for (std::size_t i = 0; i < rows.size(); ++i) out(static_cast<Eigen::Index>(i)) = d[i];
      }
    }
  }
  return f;
}

namespace {

json curve_json(const stats::KmCurve& c, const std::string& label, const KmRequest& rq) {
  json j;
  j["strata"] = label;
  j["n"] = c.n;
  j["events"] = c.events;
  const auto m = stats::km_median(c);
  j["median"] = {{"median", json_or_null(m.estimate)}, {"lower", json_or_null(m.lower)}, {"upper", json_or_null(m.upper)}};
  json q = json::array();
  for (const auto& k : stats::km_quantiles(c, rq.quantiles))
    q.push_back({{"prob", k.prob}, {"surv_level", 1 - k.prob}, {"time", json_or_null(k.estimate)}, {"lower", json_or_null(k.lower)}, {"upper", json_or_null(k.upper)}});
  j["quantiles"] = q;
  json at = json::array();
  const bool weighted = !c.weighted_n_risk.empty();
  for (const auto& a : stats::km_at_times(c, rq.times, rq.extend)) {
    at.push_back({{"time", a.time}, {"n_risk", a.n_risk}, {"surv", json_or_null(a.surv)}, {"std_err", json_or_null(a.std_err)},
                  {"lower", json_or_null(a.lower)}, {"upper", json_or_null(a.upper)}, {"beyond_follow_up", a.beyond_follow_up},
                  {"extended", a.beyond_follow_up && rq.extend}});
    if (weighted) at.back()["weighted_n_risk"] = a.weighted_n_risk;
  }
  j["at_times"] = at;
  // With case weights R's summary(survfit) reports the weighted counts as
  // n.risk, n.event, n.censor: so does the table (rows_* count the rows).
  if (weighted) j["variance"] = c.robust_variance ? "infinitesimal jackknife (non-integer weights)" : "Greenwood (integer weights)";
  json tab = json::array();
  for (std::size_t i = 0; i < c.size(); ++i) {
    tab.push_back({{"time", c.time[i]}, {"n_risk", c.n_risk[i]}, {"n_event", c.n_event[i]}, {"n_censor", c.n_censor[i]},
                   {"surv", json_or_null(c.surv[i])}, {"std_err", json_or_null(c.std_err(i))}, {"lower", json_or_null(c.lower[i])}, {"upper", json_or_null(c.upper[i])}});
    if (weighted) {
      json& row = tab.back();
      row["rows_at_risk"] = c.n_risk[i];
      row["rows_event"] = c.n_event[i];
      row["rows_censor"] = c.n_censor[i];
      row["n_risk"] = c.weighted_n_risk[i];
      row["n_event"] = c.weighted_n_event[i];
      row["n_censor"] = c.weighted_n_censor[i];
    }
  }
  j["table"] = tab;
  return j;
}

std::string curve_text(const stats::KmCurve& c, const std::string& label, const KmRequest& rq, const std::string& unit) {
  const auto m = stats::km_median(c);
  std::string s = fmt::format("{:<24} n={:<6} events={:<6} median {} ({}, {})\n", label, c.n, c.events,
                              with_time_unit(fmt_num(m.estimate, 6), unit), fmt_num(m.lower, 6), fmt_num(m.upper, 6));
  for (const auto& a : stats::km_at_times(c, rq.times, rq.extend)) {
    const std::string t = with_time_unit(fmt_num(a.time, 6), unit);
    if (a.beyond_follow_up && rq.extend)
      s += fmt::format("  t={:<10} at risk {:<6} S={:.4f} ({:.4f}, {:.4f})  extended past the last follow-up ({})\n",
                       t, a.n_risk, a.surv, a.lower, a.upper, fmt_num(c.time.back(), 6));
    else if (a.beyond_follow_up) s += fmt::format("  t={:<10} beyond last follow-up (--extend carries the last value on, as R's extend = TRUE)\n", t);
    else s += fmt::format("  t={:<10} at risk {:<6} S={:.4f} ({:.4f}, {:.4f})\n", t, a.n_risk, a.surv, a.lower, a.upper);
  }
  if (rq.full_table) {
    s += fmt::format("  {:>10} {:>7} {:>7} {:>7} {:>8} {:>8} {:>8} {:>8}\n", "time", "n.risk", "n.event", "censor", "surv", "std.err", "lower", "upper");
    for (std::size_t i = 0; i < c.size(); ++i)
      s += fmt::format("  {:>10} {:>7} {:>7} {:>7} {:>8.4f} {:>8.4f} {:>8} {:>8}\n", fmt_num(c.time[i], 6), c.n_risk[i], c.n_event[i],
                       c.n_censor[i], c.surv[i], c.std_err(i), fmt_num(c.lower[i], 4), fmt_num(c.upper[i], 4));
  }
  return s;
}

}  // namespace

AnalysisOutput run_km(const KmRequest& rq) { return run_km(io::CsvTable::read(rq.csv, rq.encoding), rq); }

AnalysisOutput run_km(const io::CsvTable& table, const KmRequest& rq) {
  const auto f = load_survival_frame(table, rq.columns);
  // The curve of all subjects and the reverse-KM follow-up are R's
  // survfit(Surv(time, status) ~ 1): rows missing only the group count there
  // (survfit(... ~ group) drops them from the group curves alone).
  std::optional<SurvivalFrame> all_rows;
  if (!rq.columns.group.empty() && f.rows_dropped > 0) {
    SurvivalColumns no_group = rq.columns;
    no_group.group.clear();
    all_rows = load_survival_frame(table, no_group);
  }
  const SurvivalFrame& fa = all_rows ? *all_rows : f;
  AnalysisOutput out;
  json& j = out.json;
  j["command"] = "km";
  j["file"] = rq.csv.string();
  j["rows_read"] = f.rows_read;
  j["rows_dropped"] = f.rows_dropped;
  j["rows_dropped_all"] = fa.rows_dropped;  // for the "all" curve and the follow-up
  j["conf_type"] = stats::conf_type_name(rq.km.conf_type);
  j["conf_level"] = rq.km.conf_level;
  const std::string unit = resolve_time_unit(table, rq.columns.time_unit);
  j["time_unit"] = unit.empty() ? json(nullptr) : json(unit);
  j["curves"] = json::array();
  out.text = fmt::format("Kaplan-Meier ({} rows used, {} dropped for missing values); {:g}% CI, {} scale; {}\n", f.time.size(),
                         f.rows_dropped, rq.km.conf_level * 100, stats::conf_type_name(rq.km.conf_type),
                         unit.empty() ? "time unit not given (--time-unit)" : "times in " + unit);
  if (all_rows)
    out.text += fmt::format("  (all subjects and follow-up: {} rows used, {} dropped; only the group was missing in {})\n",
                            fa.time.size(), fa.rows_dropped, f.rows_dropped - fa.rows_dropped);
  j["warnings"] = json::array();
  add_frame_warnings(j, out.text, fa.warnings);
  add_frame_warnings(j, out.text, f.warnings);
  // (start, stop] rows: survfit(Surv(start, stop, event) ~ ...), risk set start < t <= stop.
  const bool counting = !f.start.empty();
  const bool weighted = !f.weights.empty();
  if (counting && weighted)
    fail_input("options", "weights", rq.columns.weights, "case weights with right-censored rows only (not with --start)");
  j["start"] = counting ? json(rq.columns.start) : json(nullptr);
  j["weights"] = weighted ? json(rq.columns.weights) : json(nullptr);
  if (weighted)
    out.text += fmt::format("  case weights from {} ({} variance)\n", rq.columns.weights,
                            std::any_of(f.weights.begin(), f.weights.end(), [](double w) { return w != std::floor(w); })
                                ? "infinitesimal-jackknife, as R's survfit for non-integer weights"
                                : "Greenwood on the weighted counts");
  const auto all = counting   ? stats::kaplan_meier_counting(fa.start, fa.time, fa.status, rq.km)
                   : weighted ? stats::kaplan_meier_weighted(fa.time, fa.status, fa.weights, rq.km)
                              : stats::kaplan_meier(fa.time, fa.status, rq.km);
  j["curves"].push_back(curve_json(all, "all", rq));
  out.text += curve_text(all, "all", rq, unit);
  // survfit(Surv ~ group) applies aeqSurv to the Surv object of all its rows
  // before splitting them by group: near-ties become the first time of their
  // run over every group (and the relative rule uses the mean over all rows),
  // not within each group. So merge once here and not again per curve.
  std::vector<double> group_time(f.time.begin(), f.time.end()), group_start(f.start.begin(), f.start.end());
  stats::KmOptions group_km = rq.km;
  if (rq.km.timefix && !f.group_levels.empty()) {
    if (counting) {
      if (stats::merge_near_tie_intervals(group_start, group_time))
        stats::require_intervals_survive_timefix("Kaplan-Meier", group_start, group_time, f.start, f.time);
    } else if (auto fixed = stats::aeq_times(f.time); !fixed.empty()) {
      group_time = std::move(fixed);
    }
    group_km.timefix = false;
  }
  for (std::size_t g = 0; g < f.group_levels.size(); ++g) {
    std::vector<double> t, t0, w;
    std::vector<int> s;
    for (std::size_t i = 0; i < f.time.size(); ++i)
      if (f.group[i] == static_cast<int>(g)) {
        t.push_back(group_time[i]);
        s.push_back(f.status[i]);
        if (counting) t0.push_back(group_start[i]);
        if (weighted) w.push_back(f.weights[i]);
      }
    const auto c = counting   ? stats::kaplan_meier_counting(t0, t, s, group_km)
                   : weighted ? stats::kaplan_meier_weighted(t, s, w, group_km)
                              : stats::kaplan_meier(t, s, group_km);
    const std::string label = rq.columns.group + "=" + f.group_levels[g];
    j["curves"].push_back(curve_json(c, label, rq));
    out.text += curve_text(c, label, rq, unit);
  }
  // Reverse KM follow-up and the plot read one row per subject: not for (start, stop] rows.
  if (counting) {
    j["reverse_km_median_followup"] = nullptr;
    out.text += "Median follow-up (reverse Kaplan-Meier): not computed for (start, stop] rows\n";
    return out;
  }
  // With case weights: the weighted reverse KM, survfit(Surv(time, 1 - status) ~ 1, weights = w).
  std::vector<int> flipped(fa.status.size());
  for (std::size_t i = 0; i < flipped.size(); ++i) flipped[i] = fa.status[i] != 0 ? 0 : 1;
  const auto fu = weighted ? stats::km_median(stats::kaplan_meier_weighted(fa.time, flipped, fa.weights, rq.km))
                           : stats::reverse_km_median_follow_up(fa.time, fa.status, rq.km);
  j["reverse_km_median_followup"] = {{"median", json_or_null(fu.estimate)}, {"lower", json_or_null(fu.lower)}, {"upper", json_or_null(fu.upper)}};
  out.text += fmt::format("Median follow-up (reverse Kaplan-Meier): {} ({}, {})\n", with_time_unit(fmt_num(fu.estimate, 6), unit),
                          fmt_num(fu.lower, 6), fmt_num(fu.upper, 6));
  return out;
}

AnalysisOutput run_logrank(const LogRankRequest& rq) {
  if (rq.columns.group.empty()) fail_input("options", "group", "(none)", "a --group column to compare");
  return run_logrank(io::CsvTable::read(rq.csv, rq.encoding), rq);
}

AnalysisOutput run_logrank(const io::CsvTable& table, const LogRankRequest& rq) {
  if (rq.columns.group.empty()) fail_input("options", "group", "(none)", "a --group column to compare");
  const auto f = load_survival_frame(table, rq.columns);
  const int k = static_cast<int>(f.group_levels.size());
  if (k < 2) fail_input(table.source(), rq.columns.group, k == 1 ? f.group_levels[0] : "", "at least two groups to compare");
  require_events(f, table.source(), rq.columns.event);
  const auto r = stats::log_rank(f.time, f.status, f.group, k, rq.rho, f.strata);
  // R's survdiff stops on a singular variance (solve(): "system is exactly
  // singular") and prints Chisq = 0 on 0 df when fewer than two groups have
  // anyone at risk at an event time: neither is a test, both are refused.
  if (r.untestable == stats::LogRankResult::Untestable::singular_variance)
    fail_input(table.source(), rq.columns.group, fmt::format("{} groups", k),
               "groups whose log-rank variance is not singular (R's survdiff stops here too: \"system is exactly "
               "singular\"); typically every event happens at one time with no one left at risk after it, so the "
               "groups cannot be compared");
  if (r.untestable == stats::LogRankResult::Untestable::one_group_expected)
    fail_input(table.source(), rq.columns.group, fmt::format("{} groups", k),
               "at least two groups with someone at risk at an event time (only one group has an expected count > 0, "
               "so there is no test; R's survdiff prints Chisq = 0 on 0 df here)");
  AnalysisOutput out;
  json& j = out.json;
  j["command"] = "logrank";
  j["file"] = rq.csv.string();
  j["rows_read"] = f.rows_read;
  j["rows_dropped"] = f.rows_dropped;
  j["rho"] = rq.rho;
  j["stratified_by"] = rq.columns.strata.empty() ? json(nullptr) : json(rq.columns.strata);
  j["chisq"] = r.chisq;
  j["df"] = r.df;
  j["p"] = r.p_value;
  j["groups"] = json::array();
  j["warnings"] = json::array();
  out.text = fmt::format("{} test{} ({} rows used, {} dropped for missing values)\n",
                         rq.rho == 0 ? "Log-rank" : fmt::format("Fleming-Harrington G-rho (rho = {:g})", rq.rho),
                         rq.columns.strata.empty() ? "" : ", stratified by " + rq.columns.strata, f.time.size(), f.rows_dropped);
  add_frame_warnings(j, out.text, f.warnings);
  out.text += fmt::format("  {:<24} {:>7} {:>10} {:>10} {:>10}\n", "group", "N", "Observed", "Expected", "(O-E)^2/E");
  for (int g = 0; g < k; ++g) {
    const std::string label = rq.columns.group + "=" + f.group_levels[g];
    const double o = r.observed[g], e = r.expected[g];
    j["groups"].push_back({{"group", label}, {"n", r.n[g]}, {"observed", o}, {"expected", e}});
    out.text += fmt::format("  {:<24} {:>7} {:>10.2f} {:>10.2f} {:>10.3f}\n", label, r.n[g], o, e, (o - e) * (o - e) / e);
    if (o == 0) {
      j["warnings"].push_back(label + " has no events");
      out.text += fmt::format("  warning: {} has no events\n", label);
    }
  }
  out.text += fmt::format("  Chisq = {:.4f} on {} df, p = {}\n", r.chisq, r.df, table_p_value(r.p_value));
  if (rq.trend) {
    std::vector<double> scores;
    bool numeric = true;
    for (const auto& l : f.group_levels) {
      double d = 0;
      numeric = numeric && parse_number(l, d);
      scores.push_back(d);
    }
    if (!numeric)
      for (std::size_t g = 0; g < scores.size(); ++g) scores[g] = static_cast<double>(g + 1);
    const auto t = stats::log_rank_trend(r, scores);
    j["trend"] = {{"scores", scores}, {"u", t.u}, {"variance", t.variance}, {"chisq", t.chisq}, {"df", 1}, {"p", t.p_value}};
    out.text += fmt::format("  Trend ({} scores): Chisq = {:.4f} on 1 df, p = {}\n", numeric ? "numeric level" : "1..k",
                            t.chisq, table_p_value(t.p_value));
  }
  return out;
}

void refuse_factor_levels_without_events(const SurvivalFrame& f, const std::string& source) {
  for (Eigen::Index j = 0; j < f.x.cols(); ++j) {
    bool dummy = true;
    std::int64_t in = 0, ev = 0;
    for (Eigen::Index i = 0; i < f.x.rows(); ++i) {
      const double v = f.x(i, j);
      if (v != 0 && v != 1) { dummy = false; break; }
      if (v == 1) { ++in; ev += f.status[i]; }
    }
    if (dummy && in > 0 && ev == 0 && !f.term_level[j].empty())
      fail_input(source, f.term_column[j], f.term_level[j],
                 fmt::format("a group with events (it has {} rows and no events, so its hazard ratio would be infinite)", in));
  }
}

namespace {

// The fields every cox result starts with: the input, the rows used, the options.
json cox_json_head(const CoxRequest& rq, const SurvivalFrame& f, std::int64_t n, std::int64_t nevent) {
  json j;
  j["command"] = "cox";
  j["file"] = rq.csv.string();
  j["rows_read"] = f.rows_read;
  j["rows_dropped"] = f.rows_dropped;
  j["ties"] = stats::ties_name(rq.cox.ties);
  j["stratified_by"] = rq.columns.strata.empty() ? json(nullptr) : json(rq.columns.strata);
  j["start"] = f.start.empty() ? json(nullptr) : json(rq.columns.start);
  j["weights"] = f.weights.empty() ? json(nullptr) : json(rq.columns.weights);
  j["n"] = n;
  j["nevent"] = nevent;
  return j;
}

}  // namespace

namespace {

// The rows and design of a cox request (the group, if any, as a first factor covariate).
SurvivalFrame load_cox_frame(const io::CsvTable& table, const CoxRequest& rq) {
  CovariateSpec spec = rq.covariates;
  if (!rq.columns.group.empty()) {
    spec.covariates.insert(spec.covariates.begin(), rq.columns.group);
    spec.factors.push_back(rq.columns.group);
  }
  if (spec.covariates.empty()) fail_input("options", "covariates", "(none)", "at least one covariate (--covariates or --group)");
  SurvivalColumns cols = rq.columns;
  cols.group.clear();  // it is a covariate here
  return load_survival_frame(table, cols, spec);
}

// The fit, tests and cox.zph of a loaded frame; `source` names the CSV in messages.
AnalysisOutput fit_cox(SurvivalFrame f, const std::string& source, const CoxRequest& rq) {
  const auto nevent = std::count(f.status.begin(), f.status.end(), 1);
  require_events(f, source, rq.columns.event);
  auto p = f.x.cols();
  if (static_cast<Eigen::Index>(f.time.size()) <= p + 1)
    fail_input(source, "rows", std::to_string(f.time.size()) + " complete rows",
               fmt::format("more than {} rows for a model with {} terms", p + 1, p));
  refuse_factor_levels_without_events(f, source);
  // Optional stepwise AIC selection over the CSV columns (factor dummies as one term),
  // on the complete cases of the full model, as MASS::stepAIC on a fixed row set.
  json step_json;
  std::string step_text;
  const bool counting = !f.start.empty();  // (start, stop] rows
  const bool weighted = !f.weights.empty();
  if (weighted && counting)
    fail_input("options", "weights", rq.columns.weights, "case weights with right-censored rows only (not with --start)");
  if (weighted && rq.step)
    fail_input("options", "weights", rq.columns.weights, "case weights without --step (stepwise selection is unweighted)");
  if (rq.step) {
    std::vector<std::vector<int>> terms;
    std::vector<std::string> names;
    for (Eigen::Index k = 0; k < p; ++k) {
      if (k > 0 && f.term_column[k] == f.term_column[k - 1] && !f.term_level[k].empty()) {
        terms.back().push_back(static_cast<int>(k));
      } else {
        terms.push_back({static_cast<int>(k)});
        names.push_back(f.term_column[k]);
      }
    }
    const auto sel = stats::stepwise_aic(f.time, f.status, f.x, terms, names, *rq.step, rq.cox, f.strata, f.start);
    step_json["direction"] = *rq.step == stats::StepDirection::both       ? "both"
                             : *rq.step == stats::StepDirection::backward ? "backward"
                                                                           : "forward";
    json path = json::array();
    step_text = "Stepwise AIC selection (" + step_json["direction"].get<std::string>() + "):\n";
    for (const auto& st : sel.path) {
      std::vector<std::string> model;
      for (int t : st.terms) model.push_back(names[t]);
      path.push_back({{"step", st.action}, {"aic", st.aic}, {"terms", model}});
      std::string list;
      for (const auto& m : model) list += (list.empty() ? "" : " + ") + m;
      step_text += fmt::format("  {:<20} AIC {:.3f}  {}\n", st.action, st.aic, list.empty() ? "(no terms)" : list);
    }
    step_json["path"] = path;
    std::vector<std::string> kept;
    for (int t : sel.kept) kept.push_back(names[t]);
    step_json["kept"] = kept;
    step_json["aic"] = sel.aic;
    if (sel.kept.empty()) {
      // The empty model has the lowest AIC: R's step() returns the null model
      // coxph(Surv ~ 1) (loglik = loglik(0), no coefficients, no tests), so
      // sirtkit reports it instead of refusing the data.
      const double loglik0 = -sel.aic / 2;
      AnalysisOutput out;
      out.json = cox_json_head(rq, f, static_cast<std::int64_t>(f.time.size()), static_cast<std::int64_t>(nevent));
      json& j = out.json;
      j["terms"] = json::array();
      for (const char* key : {"coef", "se", "z", "p", "hr", "hr_lower", "hr_upper"}) j[key] = json::array();
      j["conf_level"] = rq.cox.conf_level;
      j["loglik"] = {loglik0, loglik0};
      j["lr_test"] = {nullptr, 0, nullptr};
      j["wald_test"] = {nullptr, 0, nullptr};
      j["score_test"] = {nullptr, 0, nullptr};
      j["concordance"] = nullptr;
      j["concordance_se"] = nullptr;
      j["iterations"] = 0;
      j["converged"] = true;
      j["aic"] = sel.aic;
      j["cox_zph"] = nullptr;
      j["warnings"] = json::array({"no term kept: the null model (no covariates) has the lowest AIC"});
      for (const auto& w : f.warnings) j["warnings"].push_back(w);
      j["stepwise"] = step_json;
      out.text = step_text;
      out.text += fmt::format("Null model (no terms kept); n = {}, events = {} ({} rows dropped for missing values)\n",
                              f.time.size(), nevent, f.rows_dropped);
      out.text += fmt::format("  log-likelihood {:.4f}; AIC {:.3f}\n", loglik0, sel.aic);
      return out;
    }
    // Refit the selected model below.
    std::vector<int> keep_cols;
    for (int t : sel.kept) keep_cols.insert(keep_cols.end(), terms[t].begin(), terms[t].end());
    Eigen::MatrixXd xs(f.x.rows(), static_cast<Eigen::Index>(keep_cols.size()));
    std::vector<std::string> tn, tc, tl;
    for (std::size_t k = 0; k < keep_cols.size(); ++k) {
      xs.col(static_cast<Eigen::Index>(k)) = f.x.col(keep_cols[k]);
      tn.push_back(f.terms[keep_cols[k]]);
      tc.push_back(f.term_column[keep_cols[k]]);
      tl.push_back(f.term_level[keep_cols[k]]);
    }
    f.x = std::move(xs);
    f.terms = tn;
    f.term_column = tc;
    f.term_level = tl;
    p = f.x.cols();
  }
  // (start, stop]: coxph(Surv(start, stop, event) ~ ...), agreg.fit / agexact.fit.
  const auto fit = counting ? stats::cox_fit_counting(f.start, f.time, f.status, f.x, rq.cox, f.strata, f.cluster)
                            : stats::cox_fit(f.time, f.status, f.x, rq.cox, f.strata, f.cluster, f.weights);

  AnalysisOutput out;
  out.json = cox_json_head(rq, f, fit.n, fit.nevent);
  json& j = out.json;
  j["terms"] = f.terms;
  auto vec = [](const Eigen::VectorXd& v) { return json_array_or_null({v.data(), static_cast<std::size_t>(v.size())}); };
  j["coef"] = vec(fit.coef);
  j["se"] = vec(fit.se);
  j["z"] = vec(fit.z);
  j["p"] = vec(fit.p_value);
  j["hr"] = vec(fit.hr);
  j["hr_lower"] = vec(fit.hr_lower);
  j["hr_upper"] = vec(fit.hr_upper);
  j["conf_level"] = rq.cox.conf_level;
  if (fit.robust_se.size() > 0) j["robust_se"] = vec(fit.robust_se);
  j["loglik"] = {fit.loglik_init, fit.loglik};
  j["lr_test"] = {fit.lr_test, fit.df, fit.lr_p};
  j["wald_test"] = {fit.wald_test, fit.df, fit.wald_p};
  j["score_test"] = {fit.score_test, fit.df, fit.score_p};
  if (fit.robust_se.size() > 0) j["robust_score_test"] = {json_or_null(fit.robust_score_test), fit.df, json_or_null(fit.robust_score_p)};
  j["concordance"] = json_or_null(fit.concordance);
  // The times after timefix and their order, sorted once for the concordance
  // standard error and cox.zph (right-censored rows).
  const stats::OrderedTimes ordered =
      counting ? stats::OrderedTimes{} : stats::aeq_times_in_order(f.time, rq.cox.timefix);
  // Its standard error as summary(coxph) prints it ("se = "), from the fitted
  // linear predictor on the times coxph compares (after its timefix).
  double concordance_se = std::nan("");
  if (counting) {
    concordance_se = fit.concordance_std_err;  // computed by the (start, stop] fit on its time-fixed intervals
  } else if (std::isfinite(fit.concordance)) {
    Eigen::VectorXd beta = fit.coef;
    for (Eigen::Index k = 0; k < beta.size(); ++k)
      if (!std::isfinite(beta(k))) beta(k) = 0;  // aliased terms: NA in R, left out of the predictor
    const Eigen::VectorXd lp = f.x * beta;
    const auto cse = stats::concordance_with_std_err(ordered.times(f.time), f.status,
                                                     std::span<const double>(lp.data(), static_cast<std::size_t>(lp.size())),
                                                     f.strata, f.cluster, ordered.order);
    concordance_se = cse.std_err;
  }
  j["concordance_se"] = json_or_null(concordance_se);
  j["iterations"] = fit.iterations;
  j["converged"] = fit.converged;
  j["aic"] = fit.aic();
  // Proportional-hazards test (cox.zph): one term per CSV column (factor dummies together).
  std::vector<std::vector<int>> zterms;
  std::vector<std::string> znames;
  for (Eigen::Index k = 0; k < p; ++k) {
    if (k > 0 && f.term_column[k] == f.term_column[k - 1] && !f.term_level[k].empty()) {
      zterms.back().push_back(static_cast<int>(k));
    } else {
      zterms.push_back({static_cast<int>(k)});
      znames.push_back(f.term_column[k]);
    }
  }
  // R has no cox.zph for an exact-ties (start, stop] fit: null in the JSON.
  // Nor is cox.zph computed here for a weighted fit (R's weights it; this one would not).
  const bool no_zph = (counting && rq.cox.ties == stats::Ties::exact) || weighted;
  const auto zph = no_zph     ? stats::CoxZphResult{}
                   : counting ? stats::cox_zph_counting(f.start, f.time, f.status, f.x, fit, rq.cox.ties, f.strata, zterms,
                                                        rq.cox.timefix)
                              : stats::cox_zph(f.time, f.status, f.x, fit, rq.cox.ties, f.strata, zterms, rq.cox.timefix,
                                               &ordered);
  znames.push_back("GLOBAL");
  j["cox_zph"] = no_zph ? json(nullptr) : json{{"terms", znames}, {"chisq", zph.chisq}, {"df", zph.df}, {"p", zph.p_value}};
  json warnings(f.warnings);
  if (!fit.converged) warnings.push_back("Ran out of iterations and did not converge");
  for (Eigen::Index k = 0; k < p; ++k) {
    if (fit.aliased[k]) warnings.push_back(f.terms[k] + " is collinear with other terms and was dropped (coefficient NA)");
    if (fit.maybe_infinite[k]) warnings.push_back("Loglik converged before " + f.terms[k] + "; its coefficient may be infinite");
  }
  j["warnings"] = warnings;
  if (rq.step) j["stepwise"] = step_json;

  out.text = step_text;
  out.text += fmt::format("Cox proportional hazards ({} ties{}); n = {}, events = {} ({} rows dropped for missing values)\n",
                         stats::ties_name(rq.cox.ties), rq.columns.strata.empty() ? "" : ", stratified by " + rq.columns.strata,
                         fit.n, fit.nevent, f.rows_dropped);
  const bool rob = fit.robust_se.size() > 0;
  out.text += fmt::format("  {:<20} {:>10} {:>8} {:>9}{} {:>8} {:>9} {:>25}\n", "term", "coef", "HR", "se(coef)",
                          rob ? fmt::format(" {:>9}", "robust se") : "", "z", "p", fmt::format("HR {:g}% CI", rq.cox.conf_level * 100));
  for (Eigen::Index k = 0; k < p; ++k)
    out.text += fmt::format("  {:<20} {:>10} {:>8} {:>9}{} {:>8} {:>9} {:>25}\n", f.terms[k], fmt_num(fit.coef(k)), fmt_num(fit.hr(k)),
                            fmt_num(fit.se(k)), rob ? fmt::format(" {:>9}", fmt_num(fit.robust_se(k))) : "",
                            fmt_num(fit.z(k), 3), table_p_value(fit.p_value(k)),
                            fmt::format("({}, {})", fmt_num(fit.hr_lower(k)), fmt_num(fit.hr_upper(k))));
  if (weighted)
    out.text += fmt::format("  Case weights from {}{}; concordance not computed with case weights\n", rq.columns.weights,
                            rob ? " (robust variance: R's default for non-integer weights, or --robust/--cluster)" : "");
  else
    out.text += std::isfinite(concordance_se)
                    ? fmt::format("  Concordance = {:.3f}  (se = {:.3f})\n", fit.concordance, concordance_se)
                    : fmt::format("  Concordance = {:.3f}\n", fit.concordance);
  out.text += fmt::format("  Likelihood ratio test = {:.2f} on {} df, p = {}\n", fit.lr_test, fit.df, table_p_value(fit.lr_p));
  out.text += fmt::format("  Wald test             = {:.2f} on {} df, p = {}\n", fit.wald_test, fit.df, table_p_value(fit.wald_p));
  out.text += fmt::format("  Score (logrank) test  = {:.2f} on {} df, p = {}\n", fit.score_test, fit.df, table_p_value(fit.score_p));
  if (rob)
    out.text += fmt::format("  Robust score test     = {:.2f} on {} df, p = {}   (Wald test above from the robust variance)\n",
                            fit.robust_score_test, fit.df, table_p_value(fit.robust_score_p));
  out.text += fmt::format("  log-likelihood {:.4f} -> {:.4f} in {} iterations; AIC {:.3f}\n", fit.loglik_init, fit.loglik,
                          fit.iterations, fit.aic());
  out.text += "  Proportional hazards (cox.zph, km transform):";
  if (no_zph)
    out.text += weighted ? " not computed with case weights\n"
                         : " not available for exact ties with (start, stop] data (nor in R)\n";
  for (std::size_t k = 0; k < zph.chisq.size(); ++k)
    out.text += fmt::format(" {} chisq {:.3f} ({} df) p {}{}", znames[k], zph.chisq[k], zph.df[k], table_p_value(zph.p_value[k]),
                            k + 1 < znames.size() ? ";" : "\n");
  for (const auto& w : warnings) out.text += "  warning: " + w.get<std::string>() + "\n";
  return out;
}

}  // namespace

namespace {

// parse_number for the plain reader's cells: a cell with no blank or '+' at
// its ends needs no trimming, and goes straight to from_chars (the same
// number, or the same refusal, as parse_finite_number).
bool parse_plain_number(std::string_view s, double& out) {
  if (s.empty() || s.front() <= ' ' || s.front() == '+' || s.back() <= ' ') return parse_number(s, out);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || !std::isfinite(v)) return false;
  out = v;
  return true;
}

// The frame of a cox request on a plain numeric file (io/plain_csv.h), read
// without a CsvTable: only the time, event and covariate columns, parsed as
// load_survival_frame parses them, when the request has no start, weights,
// group, strata, cluster, factor, label or reference level. Every row must
// hold a valid time and event and a number in each covariate, no covariate
// may be constant, and the events neither none nor all: then
// load_survival_frame would build the same frame with no warning. Anything
// else returns nullopt and run_cox reads the file with CsvTable (the same
// result, or its error messages).
std::optional<SurvivalFrame> load_plain_cox_frame(const CoxRequest& rq) {
  const SurvivalColumns& c = rq.columns;
  const CovariateSpec& cov = rq.covariates;
  if (!c.start.empty() || !c.weights.empty() || !c.group.empty() || !c.strata.empty() || !cov.cluster.empty() ||
      !cov.factors.empty() || !c.reference_levels.empty() || !c.value_labels.empty() || cov.covariates.empty())
    return std::nullopt;
  std::vector<std::string> names{c.time, c.event};
  names.insert(names.end(), cov.covariates.begin(), cov.covariates.end());
  for (std::size_t a = 0; a < names.size(); ++a)
    for (std::size_t b = a + 1; b < names.size(); ++b)
      if (names[a] == names[b]) return std::nullopt;
  const int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  auto csv = io::PlainCsv::open(rq.csv, threads);
  if (!csv) return std::nullopt;
  std::vector<std::size_t> columns;
  for (const auto& name : names) {
    const auto k = csv->column(name);
    if (!k) return std::nullopt;  // CsvTable's message lists the columns
    columns.push_back(*k);
  }
  const std::size_t n = csv->rows();
  const auto p = static_cast<Eigen::Index>(cov.covariates.size());
  SurvivalFrame f;
  f.rows_read = n;
  f.time.resize(n);
  std::vector<double> event(n);
  f.x.resize(static_cast<Eigen::Index>(n), p);
  std::vector<double*> out{f.time.data(), event.data()};
  for (Eigen::Index k = 0; k < p; ++k) out.push_back(f.x.col(k).data());
  if (!csv->read_columns(columns, parse_plain_number, out)) return std::nullopt;
  csv.reset();  // the mapping is released before the fit
  // The checks of load_survival_frame; a failing one leaves its message to it.
  f.status.resize(n);
  std::size_t events = 0;
  for (std::size_t r = 0; r < n; ++r) {
    const double t = f.time[r], v = event[r];
    if (!(t >= 0) || v != std::floor(v)) return std::nullopt;
    int s = 0;
    switch (c.coding) {
      case EventCoding::event_is_one:
        if (v != 0 && v != 1) return std::nullopt;
        s = v == 1;
        break;
      case EventCoding::r12:
        if (v != 1 && v != 2) return std::nullopt;
        s = v == 2;
        break;
      case EventCoding::cnsr:
        if (v < 0) return std::nullopt;
        s = v == 0;
        break;
      case EventCoding::cause:
        if (v < 0 || v > 1e6) return std::nullopt;
        s = static_cast<int>(v);
        break;
    }
    f.status[r] = s;
    events += s != 0;
  }
  if (events == 0 || events == n) return std::nullopt;  // a status warning
  for (Eigen::Index k = 0; k < p; ++k) {
    const auto col = f.x.col(k);
    if ((col.array() == col(0)).all()) return std::nullopt;  // a constant covariate
    f.terms.push_back(cov.covariates[static_cast<std::size_t>(k)]);
    f.term_column.push_back(cov.covariates[static_cast<std::size_t>(k)]);
    f.term_level.emplace_back();
  }
  return f;
}

}  // namespace

AnalysisOutput run_cox(const CoxRequest& rq) {
  if (auto plain = load_plain_cox_frame(rq)) return fit_cox(std::move(*plain), rq.csv.string(), rq);
  // The table is released before the fit: its cells are the largest thing in memory.
  SurvivalFrame f;
  std::string source;
  {
    const auto table = io::CsvTable::read(rq.csv, rq.encoding);
    f = load_cox_frame(table, rq);
    source = table.source();
  }
  return fit_cox(std::move(f), source, rq);
}

AnalysisOutput run_cox(const io::CsvTable& table, const CoxRequest& rq) { return fit_cox(load_cox_frame(table, rq), table.source(), rq); }

AnalysisOutput run_subgroups(const SubgroupRequest& rq) {
  return run_subgroups(io::CsvTable::read(rq.csv, rq.encoding), rq);
}

AnalysisOutput run_subgroups(const io::CsvTable& table, const SubgroupRequest& rq) {
  if (rq.columns.group.empty()) fail_input("options", "group", "(none)", "a --group column with the two treatment arms");
  if (rq.by.empty()) fail_input("options", "by", "(none)", "at least one --by column defining subgroups");
  AnalysisOutput out;
  json& j = out.json;
  j["command"] = "subgroups";
  j["file"] = rq.csv.string();
  j["ties"] = stats::ties_name(rq.cox.ties);
  j["conf_level"] = rq.cox.conf_level;
  j["subgroups"] = json::array();
  j["warnings"] = json::array();
  auto effect_json = [](const stats::SubgroupEffect& e) {
    return json{{"n", e.n},          {"events", e.events},  {"estimable", e.estimable},
                {"coef", e.estimable ? json_or_null(e.coef) : json(nullptr)},
                {"se", e.estimable ? json_or_null(e.se) : json(nullptr)},
                {"hr", e.estimable ? json_or_null(e.hr) : json(nullptr)},
                {"hr_lower", e.estimable ? json_or_null(e.hr_lower) : json(nullptr)},
                {"hr_upper", e.estimable ? json_or_null(e.hr_upper) : json(nullptr)},
                {"p", e.estimable ? json_or_null(e.p_value) : json(nullptr)}};
  };
  auto effect_text = [](const std::string& label, const stats::SubgroupEffect& e) {
    if (!e.estimable) return fmt::format("  {:<28} {:>5} {:>6}   not estimable\n", label, e.n, e.events);
    return fmt::format("  {:<28} {:>5} {:>6} {:>8} {:>20} {:>9}\n", label, e.n, e.events, fmt_num(e.hr),
                       fmt::format("({}, {})", fmt_num(e.hr_lower), fmt_num(e.hr_upper)), table_p_value(e.p_value));
  };
  for (const auto& by : rq.by) {
    SurvivalColumns cols = rq.columns;
    cols.strata = by;  // read as a categorical column (complete cases on time, event, arm, by)
    const auto f = load_survival_frame(table, cols);
    require_events(f, table.source(), rq.columns.event);
    add_frame_warnings(j, out.text, f.warnings);
    if (f.group_levels.size() != 2)
      fail_input(table.source(), rq.columns.group, std::to_string(f.group_levels.size()) + " levels",
                 "exactly two treatment arms");
    std::vector<double> trt(f.group.begin(), f.group.end());
    const auto a = stats::subgroup_analysis(f.time, f.status, trt, f.strata, static_cast<int>(f.strata_levels.size()), rq.cox);
    const std::string effect_name = rq.columns.group + "=" + f.group_levels[1] + " vs " + f.group_levels[0];
    json sj;
    sj["by"] = by;
    sj["effect"] = effect_name;
    sj["rows_dropped"] = f.rows_dropped;
    sj["levels"] = json::array();
    out.text += fmt::format("Treatment effect {} within {} ({} rows dropped for missing values)\n", effect_name, by, f.rows_dropped);
    out.text += fmt::format("  {:<28} {:>5} {:>6} {:>8} {:>20} {:>9}\n", "subgroup", "n", "events", "HR",
                            fmt::format("{:g}% CI", rq.cox.conf_level * 100), "p");
    for (std::size_t l = 0; l < a.levels.size(); ++l) {
      json e = effect_json(a.levels[l]);
      e["level"] = by + "=" + f.strata_levels[l];
      sj["levels"].push_back(e);
      out.text += effect_text(by + "=" + f.strata_levels[l], a.levels[l]);
    }
    sj["overall"] = effect_json(a.overall);
    out.text += effect_text("overall", a.overall);
    sj["interaction"] = {{"chisq", a.interaction_chisq}, {"df", a.interaction_df}, {"p", a.interaction_p}};
    out.text += fmt::format("  interaction (likelihood ratio): chisq {:.4f} on {} df, p = {}\n", a.interaction_chisq,
                            a.interaction_df, table_p_value(a.interaction_p));
    j["subgroups"].push_back(sj);
  }
  return out;
}

}  // namespace sirtkit::pipelines
