#include "pipelines/survival/survival_analysis.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <functional>
#include <cmath>
#include <limits>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include "core/error.h"
#include "core/text.h"
#include "io/text_formats/csv_table.h"
#include "io/text_formats/plain_csv.h"
#include "pipelines/descriptive/csv_columns.h"
#include "pipelines/survival/time_unit.h"
#include "report/survival/cox_analysis.h"
#include "report/survival/km_analysis.h"
#include "report/survival/log_rank_analysis.h"
#include "report/survival/subgroup_effects.h"
#include "stats/concordance/concordance_variance.h"
#include "stats/survival/counting_intervals.h"
#include "stats/cox/cox_counting_process.h"
#include "stats/cox/cox_zph.h"
#include "stats/cox/cox_zph_counting.h"
#include "stats/survival/log_rank.h"
#include "stats/numerics/parallel.h"
#include "stats/cox/stepwise_aic.h"
#include "stats/survival/subgroup_analysis.h"
#include "stats/survival/time_fix.h"

namespace sirtkit::pipelines {

namespace {

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

// Appends the warnings not already in `all` (a result gives each once);
// returns those it added.
std::vector<std::string> append_new_warnings(std::vector<std::string>& all, const std::vector<std::string>& warnings) {
  std::vector<std::string> added;
  for (const auto& w : warnings) {
    if (std::find(all.begin(), all.end(), w) != all.end()) continue;
    all.push_back(w);
    added.push_back(w);
  }
  return added;
}

// A test needs events: refused with the coding hint of the status warning.
void require_events(const SurvivalFrame& f, const std::string& source, const std::string& event) {
  if (std::find(f.status.begin(), f.status.end(), 1) != f.status.end()) return;
  std::string why = "at least one event (all observations are censored)";
  for (const auto& w : f.warnings)
    if (w.starts_with("no events")) why = "at least one event (" + w + ")";
  fail_input(source, event, "no events", why);
}

// A number in a message ("NA" for NaN).
std::string fmt_num(double v, int digits) {
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

namespace {

// The columns a request reads, and what is known of them before the rows are
// chosen: the categorical columns' labels and the numeric covariates' values.
struct FrameColumns {
  std::size_t time = 0, start = 0, event = 0, group = 0, strata = 0, cluster = 0, weights = 0;
  std::vector<std::size_t> covariates;
  std::optional<Factor> group_f, strata_f, cluster_f;
  std::vector<std::optional<Factor>> cov_f;  // per covariate: its labels when categorical
  // The numeric covariates' values, parsed once (NaN where missing): column
  // num_col[k] of xnum for covariate k.
  Eigen::MatrixXd xnum;
  std::vector<Eigen::Index> num_col;
  bool all_numeric = true;
};

// Parses every covariate not declared --factor into its column of xnum (one
// column per thread at a time: the table is only read); true per covariate
// whose every cell is a number or missing.
std::vector<char> parse_numeric_covariates(const io::CsvTable& t, const CovariateSpec& cov, FrameColumns& fc,
                                           const std::function<bool(const std::string&)>& forced_factor) {
  const auto& covc = fc.covariates;
  fc.xnum.resize(static_cast<Eigen::Index>(t.rows()),
                 std::count_if(cov.covariates.begin(), cov.covariates.end(), [&](const auto& name) { return !forced_factor(name); }));
  fc.num_col.assign(covc.size(), -1);
  std::vector<char> is_numeric(covc.size(), 0);
  std::vector<std::size_t> candidates;  // covariate k parses into column `column_of[k]` of xnum
  std::vector<Eigen::Index> column_of(covc.size(), -1);
  for (std::size_t k = 0; k < covc.size(); ++k)
    if (!forced_factor(cov.covariates[k])) {
      column_of[k] = static_cast<Eigen::Index>(candidates.size());
      candidates.push_back(k);
    }
  const std::size_t parts = t.rows() >= 20000 ? std::max(1u, std::thread::hardware_concurrency()) : 1;
  stats::run_parts(std::min(parts, std::max<std::size_t>(1, candidates.size())), [&](std::size_t part) {
    for (std::size_t c = part; c < candidates.size(); c += parts) {
      const std::size_t k = candidates[c];
      is_numeric[k] = numeric_values(t, covc[k], fc.xnum.col(column_of[k]).data());
    }
  });
  for (std::size_t k = 0; k < covc.size(); ++k)
    if (is_numeric[k]) fc.num_col[k] = column_of[k];
  return is_numeric;
}

// A covariate not declared --factor that holds both numbers and text is
// refused: one text cell in a numeric column (a typo, "unknown", " NA") would
// make R read every value as a level.
void refuse_mixed_covariate(const io::CsvTable& t, const CovariateSpec& cov, std::size_t col, const std::string& name) {
  std::optional<std::size_t> first_text;
  bool any_number = false;
  for (std::size_t r = 0; r < t.rows() && !(any_number && first_text); ++r) {
    const auto s = number_cell(t, r, col);
    if (!s) continue;
    if (parse_finite_number(*s)) any_number = true;
    else if (!first_text) first_text = r;
  }
  if (!(any_number && first_text)) return;
  const bool hide = is_identifier_column_name(name) || name == cov.cluster;
  fail_input(fmt::format("{}, column {}", where(t, *first_text), name), name,
             hide ? std::string("(a text value, not shown: identifier column)") : t.cell(*first_text, col),
             "a number (the column's other values are numbers; R's read.csv would read the whole column as text "
             "and every value as a level; write NA for a missing value, or list the column in --factor to treat it "
             "as categorical)");
}

// The request's columns in the table. Categorical columns: R's labels
// (spaces kept in text). A covariate not declared --factor is numeric when
// every cell is a number, a factor when none is (as R), and refused when
// numbers and text are mixed.
FrameColumns frame_columns(const io::CsvTable& t, const SurvivalColumns& c, const CovariateSpec& cov) {
  FrameColumns fc;
  fc.time = t.column_index(c.time);
  fc.start = c.start.empty() ? 0 : t.column_index(c.start);
  fc.event = t.column_index(c.event);
  fc.group = c.group.empty() ? 0 : t.column_index(c.group);
  fc.strata = c.strata.empty() ? 0 : t.column_index(c.strata);
  fc.cluster = cov.cluster.empty() ? 0 : t.column_index(cov.cluster);
  fc.weights = c.weights.empty() ? 0 : t.column_index(c.weights);
  for (const auto& name : cov.covariates) fc.covariates.push_back(t.column_index(name));
  for (const auto& name : cov.factors) {
    if (std::find(cov.covariates.begin(), cov.covariates.end(), name) == cov.covariates.end())
      fail_input("options", "factor", name, "a column that is also listed as a covariate");
  }
  if (!c.group.empty()) fc.group_f = factor_labels(t, fc.group);
  if (!c.strata.empty()) fc.strata_f = factor_labels(t, fc.strata);
  if (!cov.cluster.empty()) fc.cluster_f = factor_labels(t, fc.cluster);
  fc.cov_f.resize(fc.covariates.size());
  const auto forced_factor = [&](const std::string& name) {
    return std::find(cov.factors.begin(), cov.factors.end(), name) != cov.factors.end();
  };
  const std::vector<char> is_numeric = parse_numeric_covariates(t, cov, fc, forced_factor);
  for (std::size_t k = 0; k < fc.covariates.size(); ++k) {
    const std::string& name = cov.covariates[k];
    if (is_numeric[k]) continue;
    fc.all_numeric = false;
    if (!forced_factor(name)) refuse_mixed_covariate(t, cov, fc.covariates[k], name);
    fc.cov_f[k] = factor_labels(t, fc.covariates[k]);
  }
  return fc;
}

// Row r's time, entry time and event cells: refused when present and not
// valid, even on rows dropped for other reasons; the time and event values
// into time_value[r] and event_value[r].
void check_outcome_cells(const io::CsvTable& t, std::size_t r, const SurvivalColumns& c, const FrameColumns& fc,
                         std::vector<double>& time_value, std::vector<double>& event_value) {
  double v = 0;
  const auto ts = t.cell(r, fc.time);
  if (!is_missing_number_cell(ts)) {
    if (!parse_number(ts, v)) fail_input(where(t, r), c.time, ts, "a number (time)");
    if (v < 0) fail_input(where(t, r), c.time, ts, "a time >= 0");
    time_value[r] = v;
  }
  // (start, stop] rows: an entry time >= 0 and before the stop time (R's Surv
  // turns start >= stop into NA with a warning; here it is an error).
  if (!c.start.empty() && !is_missing_number_cell(t.cell(r, fc.start))) {
    const auto ss = t.cell(r, fc.start);
    double s0 = 0;
    if (!parse_number(ss, s0)) fail_input(where(t, r), c.start, ss, "a number (entry time)");
    if (s0 < 0) fail_input(where(t, r), c.start, ss, "an entry time >= 0");
    if (parse_number(ts, v) && !(s0 < v))
      fail_input(where(t, r), c.start, ss, fmt::format("an entry time before the stop time ({} = {})", c.time, trim_view(ts)));
  }
  const auto es = t.cell(r, fc.event);
  if (is_missing_number_cell(es)) return;
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

// Row r misses a value in a used column (R's na.omit drops it); a present
// case weight must be a number > 0 (coxph and survfit refuse others).
bool row_missing(const io::CsvTable& t, std::size_t r, const SurvivalColumns& c, const FrameColumns& fc) {
  bool missing = is_missing_number_cell(t.cell(r, fc.time)) || is_missing_number_cell(t.cell(r, fc.event));
  if (!c.start.empty()) missing = missing || is_missing_number_cell(t.cell(r, fc.start));
  if (!c.weights.empty()) {
    const auto ws = t.cell(r, fc.weights);
    double wv = 0;
    missing = missing || is_missing_number_cell(ws);
    if (!is_missing_number_cell(ws) && !(parse_number(ws, wv) && wv > 0))
      fail_input(where(t, r), c.weights, ws, "a case weight: a finite number > 0");
  }
  if (fc.group_f) missing = missing || fc.group_f->missing(r);
  if (fc.strata_f) missing = missing || fc.strata_f->missing(r);
  if (fc.cluster_f) missing = missing || fc.cluster_f->missing(r);
  for (std::size_t k = 0; k < fc.covariates.size(); ++k)
    missing = missing || (fc.cov_f[k] ? fc.cov_f[k]->missing(r) : std::isnan(fc.xnum(static_cast<Eigen::Index>(r), fc.num_col[k])));
  return missing;
}

// The time, status, entry time, weights, group, strata and cluster of the rows used.
void read_outcome(SurvivalFrame& f, const io::CsvTable& t, const SurvivalColumns& c, FrameColumns& fc,
                  const std::vector<std::size_t>& rows, const std::vector<double>& time_value,
                  const std::vector<double>& event_value) {
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
  add_status_warnings(f, t, fc.event, rows, c);
  const auto numbers = [&](std::size_t col, std::vector<double>& out) {
    for (auto r : rows) {
      double v = 0;
      parse_number(t.cell(r, col), v);
      out.push_back(v);
    }
  };
  if (!c.start.empty()) numbers(fc.start, f.start);
  if (!c.weights.empty()) numbers(fc.weights, f.weights);
  if (fc.group_f) {
    factor_levels(*fc.group_f, t, fc.group, rows, c);
    f.group_levels = fc.group_f->levels;
    for (auto r : rows) f.group.push_back(fc.group_f->code(r));
    for (auto& w : categorical_warnings(fc.group_f->column, c.group)) f.warnings.push_back(std::move(w));
  }
  if (fc.strata_f) {
    factor_levels(*fc.strata_f, t, fc.strata, rows, c);
    f.strata_levels = fc.strata_f->levels;
    for (auto r : rows) f.strata.push_back(fc.strata_f->code(r));
    for (auto& w : categorical_warnings(fc.strata_f->column, c.strata)) f.warnings.push_back(std::move(w));
  }
  if (fc.cluster_f) {
    factor_levels(*fc.cluster_f, t, fc.cluster, rows, c);
    for (auto r : rows) f.cluster.push_back(fc.cluster_f->code(r));
  }
}

// Design matrix: numeric columns as is, factors as R treatment dummies.
// Every row complete and every covariate numeric: the parsed columns are the
// design (no copy).
void build_design(SurvivalFrame& f, const io::CsvTable& t, const SurvivalColumns& c, const CovariateSpec& cov, FrameColumns& fc,
                  const std::vector<std::size_t>& rows) {
  std::vector<std::vector<double>> dummies;  // per factor covariate, its dummy columns in order
  std::vector<std::size_t> design_cols;      // per covariate, its number of design columns
  for (std::size_t k = 0; k < fc.covariates.size(); ++k) {
    const std::string& name = cov.covariates[k];
    if (!fc.cov_f[k]) {
      const auto col = fc.xnum.col(fc.num_col[k]);
      const double first = col(static_cast<Eigen::Index>(rows[0]));
      if (std::all_of(rows.begin(), rows.end(), [&](std::size_t r) { return col(static_cast<Eigen::Index>(r)) == first; }))
        fail_input(t.source(), name, fmt_num(first, 10) + " on every row", "a covariate that varies (a constant covariate has no hazard ratio)");
      design_cols.push_back(1);
      f.terms.push_back(name);
      f.term_column.push_back(name);
      f.term_level.emplace_back();
      continue;
    }
    Factor& fac = *fc.cov_f[k];
    factor_levels(fac, t, fc.covariates[k], rows, c);
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
  if (fc.all_numeric && rows.size() == t.rows()) {
    f.x = std::move(fc.xnum);
    return;
  }
  f.x.resize(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(f.terms.size()));
  Eigen::Index j = 0;
  std::size_t next_dummy = 0;
  for (std::size_t k = 0; k < fc.covariates.size(); ++k) {
    for (std::size_t d = 0; d < design_cols[k]; ++d, ++j) {
      auto out = f.x.col(j);
      if (!fc.cov_f[k]) {
        const auto col = fc.xnum.col(fc.num_col[k]);
        for (std::size_t i = 0; i < rows.size(); ++i) out(static_cast<Eigen::Index>(i)) = col(static_cast<Eigen::Index>(rows[i]));
      } else {
        const auto& dummy = dummies[next_dummy++];
        for (std::size_t i = 0; i < rows.size(); ++i) out(static_cast<Eigen::Index>(i)) = dummy[i];
      }
    }
  }
}

}  // namespace

SurvivalFrame load_survival_frame(const io::CsvTable& t, const SurvivalColumns& c, const CovariateSpec& cov) {
  SurvivalFrame f;
  f.rows_read = t.rows();
  FrameColumns fc = frame_columns(t, c, cov);
  // Complete cases over every used column; validate time and event on every row.
  std::vector<std::size_t> rows;
  rows.reserve(t.rows());
  std::vector<double> time_value(t.rows()), event_value(t.rows());  // parsed once, read for the rows used
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const bool missing = row_missing(t, r, c, fc);
    check_outcome_cells(t, r, c, fc, time_value, event_value);
    if (missing) {
      ++f.rows_dropped;
      continue;
    }
    rows.push_back(r);
  }
  if (rows.empty()) fail_input(t.source(), "rows", "0 complete rows", "at least one row without missing values in the used columns");
  read_outcome(f, t, c, fc, rows, time_value, event_value);
  build_design(f, t, c, cov, fc, rows);
  return f;
}

namespace {

report::KmCurveView curve_view(stats::KmCurve c, std::string label, const KmRequest& rq) {
  report::KmCurveView v;
  v.label = std::move(label);
  v.median = stats::km_median(c);
  v.quantiles = stats::km_quantiles(c, rq.quantiles);
  v.at_times = stats::km_at_times(c, rq.times, rq.extend);
  v.curve = std::move(c);
  return v;
}

}  // namespace

report::KmAnalysis km_analysis(const KmRequest& rq) { return km_analysis(io::CsvTable::read(rq.csv, rq.encoding), rq); }

report::KmAnalysis km_analysis(const io::CsvTable& table, const KmRequest& rq) {
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
  report::KmAnalysis km;
  km.file = rq.csv.string();
  km.rows_read = f.rows_read;
  km.rows_used = f.time.size();
  km.rows_dropped = f.rows_dropped;
  km.all_rows_differ = all_rows.has_value();
  km.rows_used_all = fa.time.size();
  km.rows_dropped_all = fa.rows_dropped;
  km.conf_type = rq.km.conf_type;
  km.conf_level = rq.km.conf_level;
  km.time_unit = resolve_time_unit(table, rq.columns.time_unit);
  append_new_warnings(km.warnings, fa.warnings);
  append_new_warnings(km.warnings, f.warnings);
  km.extend = rq.extend;
  km.full_table = rq.full_table;
  // (start, stop] rows: survfit(Surv(start, stop, event) ~ ...), risk set start < t <= stop.
  const bool counting = !f.start.empty();
  const bool weighted = !f.weights.empty();
  if (counting && weighted)
    fail_input("options", "weights", rq.columns.weights, "case weights with right-censored rows only (not with --start)");
  if (counting) km.start_column = rq.columns.start;
  if (weighted) {
    km.weights_column = rq.columns.weights;
    km.non_integer_weights = std::any_of(f.weights.begin(), f.weights.end(), [](double w) { return w != std::floor(w); });
  }
  km.curves.push_back(curve_view(counting   ? stats::kaplan_meier_counting(fa.start, fa.time, fa.status, rq.km)
                                 : weighted ? stats::kaplan_meier_weighted(fa.time, fa.status, fa.weights, rq.km)
                                            : stats::kaplan_meier(fa.time, fa.status, rq.km),
                                 "all", rq));
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
    km.curves.push_back(curve_view(counting   ? stats::kaplan_meier_counting(t0, t, s, group_km)
                                   : weighted ? stats::kaplan_meier_weighted(t, s, w, group_km)
                                              : stats::kaplan_meier(t, s, group_km),
                                   rq.columns.group + "=" + f.group_levels[g], rq));
  }
  // Reverse KM follow-up reads one row per subject: not for (start, stop] rows.
  if (counting) return km;
  // With case weights: the weighted reverse KM, survfit(Surv(time, 1 - status) ~ 1, weights = w).
  std::vector<int> flipped(fa.status.size());
  for (std::size_t i = 0; i < flipped.size(); ++i) flipped[i] = fa.status[i] != 0 ? 0 : 1;
  km.follow_up = weighted ? stats::km_median(stats::kaplan_meier_weighted(fa.time, flipped, fa.weights, rq.km))
                          : stats::reverse_km_median_follow_up(fa.time, fa.status, rq.km);
  return km;
}

report::LogRankAnalysis log_rank_analysis(const LogRankRequest& rq) {
  if (rq.columns.group.empty()) fail_input("options", "group", "(none)", "a --group column to compare");
  return log_rank_analysis(io::CsvTable::read(rq.csv, rq.encoding), rq);
}

report::LogRankAnalysis log_rank_analysis(const io::CsvTable& table, const LogRankRequest& rq) {
  if (rq.columns.group.empty()) fail_input("options", "group", "(none)", "a --group column to compare");
  const auto f = load_survival_frame(table, rq.columns);
  const int k = static_cast<int>(f.group_levels.size());
  if (k < 2) fail_input(table.source(), rq.columns.group, k == 1 ? f.group_levels[0] : "", "at least two groups to compare");
  require_events(f, table.source(), rq.columns.event);
  report::LogRankAnalysis lr;
  lr.result = stats::log_rank(f.time, f.status, f.group, k, rq.rho, f.strata);
  const auto& r = lr.result;
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
  lr.file = rq.csv.string();
  lr.rows_read = f.rows_read;
  lr.rows_used = f.time.size();
  lr.rows_dropped = f.rows_dropped;
  lr.rho = rq.rho;
  lr.strata = rq.columns.strata;
  append_new_warnings(lr.warnings, f.warnings);
  for (const auto& level : f.group_levels) lr.groups.push_back(rq.columns.group + "=" + level);
  if (rq.trend) {
    report::LogRankTrendView t;
    t.numeric_scores = true;
    for (const auto& l : f.group_levels) {
      double d = 0;
      t.numeric_scores = t.numeric_scores && parse_number(l, d);
      t.scores.push_back(d);
    }
    if (!t.numeric_scores)
      for (std::size_t g = 0; g < t.scores.size(); ++g) t.scores[g] = static_cast<double>(g + 1);
    t.test = stats::log_rank_trend(r, t.scores);
    lr.trend = std::move(t);
  }
  return lr;
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

// The model's terms as the CSV columns behind them: the design columns of
// each (a factor's dummies together) and its name.
struct ColumnTerms {
  std::vector<std::vector<int>> columns;
  std::vector<std::string> names;
};

ColumnTerms column_terms(const SurvivalFrame& f) {
  ColumnTerms t;
  for (Eigen::Index k = 0; k < f.x.cols(); ++k) {
    if (k > 0 && f.term_column[k] == f.term_column[k - 1] && !f.term_level[k].empty()) {
      t.columns.back().push_back(static_cast<int>(k));
    } else {
      t.columns.push_back({static_cast<int>(k)});
      t.names.push_back(f.term_column[k]);
    }
  }
  return t;
}

// Stepwise AIC selection over the CSV columns (factor dummies as one term),
// on the complete cases of the full model, as MASS::stepAIC on a fixed row
// set: the path into `cox.stepwise`, and the frame keeps the selected terms'
// columns. False when the empty model has the lowest AIC.
bool select_terms(SurvivalFrame& f, const CoxRequest& rq, report::CoxAnalysis& cox) {
  const ColumnTerms terms = column_terms(f);
  const auto sel = stats::stepwise_aic(f.time, f.status, f.x, terms.columns, terms.names, *rq.step, rq.cox, f.strata, f.start);
  report::CoxStepView st;
  st.direction = *rq.step == stats::StepDirection::both       ? "both"
                 : *rq.step == stats::StepDirection::backward ? "backward"
                                                               : "forward";
  for (const auto& step : sel.path) {
    std::vector<std::string> model;
    for (int t : step.terms) model.push_back(terms.names[t]);
    st.path.push_back({step.action, step.aic, std::move(model)});
  }
  for (int t : sel.kept) st.kept.push_back(terms.names[t]);
  st.aic = sel.aic;
  cox.stepwise = std::move(st);
  if (sel.kept.empty()) return false;
  std::vector<int> keep_cols;
  for (int t : sel.kept) keep_cols.insert(keep_cols.end(), terms.columns[t].begin(), terms.columns[t].end());
  Eigen::MatrixXd xs(f.x.rows(), static_cast<Eigen::Index>(keep_cols.size()));
  std::vector<std::string> tn, tc, tl;
  for (std::size_t k = 0; k < keep_cols.size(); ++k) {
    xs.col(static_cast<Eigen::Index>(k)) = f.x.col(keep_cols[k]);
    tn.push_back(f.terms[keep_cols[k]]);
    tc.push_back(f.term_column[keep_cols[k]]);
    tl.push_back(f.term_level[keep_cols[k]]);
  }
  f.x = std::move(xs);
  f.terms = std::move(tn);
  f.term_column = std::move(tc);
  f.term_level = std::move(tl);
  return true;
}

// The concordance's standard error as summary(coxph) prints it ("se = "),
// from the fitted linear predictor on the times coxph compares (after its
// timefix); NaN when the concordance is not finite.
double concordance_std_err(const SurvivalFrame& f, const stats::CoxFit& fit, const stats::OrderedTimes& ordered) {
  if (!f.start.empty()) return fit.concordance_std_err;  // computed by the (start, stop] fit on its time-fixed intervals
  if (!std::isfinite(fit.concordance)) return std::nan("");
  Eigen::VectorXd beta = fit.coef;
  for (Eigen::Index k = 0; k < beta.size(); ++k)
    if (!std::isfinite(beta(k))) beta(k) = 0;  // aliased terms: NA in R, left out of the predictor
  const Eigen::VectorXd lp = f.x * beta;
  return stats::concordance_with_std_err(ordered.times(f.time), f.status,
                                         std::span<const double>(lp.data(), static_cast<std::size_t>(lp.size())), f.strata,
                                         f.cluster, ordered.order)
      .std_err;
}

// The proportional-hazards test (cox.zph): one term per CSV column (factor
// dummies together) and GLOBAL. R has no cox.zph for an exact-ties (start,
// stop] fit; nor is it computed here for a weighted fit (R's weights it; this
// one would not).
void proportional_hazards(const SurvivalFrame& f, const CoxRequest& rq, const stats::OrderedTimes& ordered,
                          report::CoxAnalysis& cox) {
  const bool counting = !f.start.empty();
  if ((counting && rq.cox.ties == stats::Ties::exact) || !f.weights.empty()) return;
  const ColumnTerms terms = column_terms(f);
  cox.zph = counting ? stats::cox_zph_counting(f.start, f.time, f.status, f.x, cox.fit, rq.cox.ties, f.strata, terms.columns,
                                               rq.cox.timefix)
                     : stats::cox_zph(f.time, f.status, f.x, cox.fit, rq.cox.ties, f.strata, terms.columns, rq.cox.timefix,
                                      &ordered);
  cox.zph_terms = terms.names;
  cox.zph_terms.push_back("GLOBAL");
}

// The fit, tests and cox.zph of a loaded frame; `source` names the CSV in messages.
report::CoxAnalysis fit_cox(SurvivalFrame f, const std::string& source, const CoxRequest& rq) {
  const auto nevent = std::count(f.status.begin(), f.status.end(), 1);
  require_events(f, source, rq.columns.event);
  const auto p = f.x.cols();
  if (static_cast<Eigen::Index>(f.time.size()) <= p + 1)
    fail_input(source, "rows", std::to_string(f.time.size()) + " complete rows",
               fmt::format("more than {} rows for a model with {} terms", p + 1, p));
  refuse_factor_levels_without_events(f, source);
  const bool counting = !f.start.empty();  // (start, stop] rows
  const bool weighted = !f.weights.empty();
  if (weighted && counting)
    fail_input("options", "weights", rq.columns.weights, "case weights with right-censored rows only (not with --start)");
  if (weighted && rq.step)
    fail_input("options", "weights", rq.columns.weights, "case weights without --step (stepwise selection is unweighted)");
  report::CoxAnalysis cox;
  cox.file = rq.csv.string();
  cox.rows_read = f.rows_read;
  cox.rows_dropped = f.rows_dropped;
  cox.ties = rq.cox.ties;
  cox.conf_level = rq.cox.conf_level;
  cox.strata = rq.columns.strata;
  if (counting) cox.start_column = rq.columns.start;
  if (weighted) cox.weights_column = rq.columns.weights;
  if (rq.step && !select_terms(f, rq, cox)) {
    // The empty model has the lowest AIC: R's step() returns the null model
    // coxph(Surv ~ 1) (loglik = loglik(0), no coefficients, no tests), so
    // sirtkit reports it instead of refusing the data.
    cox.null_model = true;
    cox.null_loglik = -cox.stepwise->aic / 2;
    cox.n = static_cast<std::int64_t>(f.time.size());
    cox.nevent = static_cast<std::int64_t>(nevent);
    cox.warnings = {"no term kept: the null model (no covariates) has the lowest AIC"};
    cox.warnings.insert(cox.warnings.end(), f.warnings.begin(), f.warnings.end());
    return cox;
  }
  // (start, stop]: coxph(Surv(start, stop, event) ~ ...), agreg.fit / agexact.fit.
  cox.fit = counting ? stats::cox_fit_counting(f.start, f.time, f.status, f.x, rq.cox, f.strata, f.cluster)
                     : stats::cox_fit(f.time, f.status, f.x, rq.cox, f.strata, f.cluster, f.weights);
  const stats::CoxFit& fit = cox.fit;
  cox.n = fit.n;
  cox.nevent = fit.nevent;
  cox.terms = f.terms;
  // The times after timefix and their order, sorted once for the concordance
  // standard error and cox.zph (right-censored rows).
  const stats::OrderedTimes ordered = counting ? stats::OrderedTimes{} : stats::aeq_times_in_order(f.time, rq.cox.timefix);
  cox.concordance_se = concordance_std_err(f, fit, ordered);
  proportional_hazards(f, rq, ordered, cox);
  cox.warnings = f.warnings;
  if (!fit.converged) cox.warnings.push_back("Ran out of iterations and did not converge");
  for (Eigen::Index k = 0; k < fit.coef.size(); ++k) {
    if (fit.aliased[k]) cox.warnings.push_back(f.terms[k] + " is collinear with other terms and was dropped (coefficient NA)");
    if (fit.maybe_infinite[k]) cox.warnings.push_back("Loglik converged before " + f.terms[k] + "; its coefficient may be infinite");
  }
  return cox;
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

// The frame of a cox request on a plain numeric file (io/text_formats/plain_csv.h), read
// without a CsvTable: only the time, event and covariate columns, parsed as
// load_survival_frame parses them, when the request has no start, weights,
// group, strata, cluster, factor, label or reference level. Every row must
// hold a valid time and event and a number in each covariate, no covariate
// may be constant, and the events neither none nor all: then
// load_survival_frame would build the same frame with no warning. Anything
// else returns nullopt and cox_analysis reads the file with CsvTable (the same
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

report::CoxAnalysis cox_analysis(const CoxRequest& rq) {
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

report::CoxAnalysis cox_analysis(const io::CsvTable& table, const CoxRequest& rq) {
  return fit_cox(load_cox_frame(table, rq), table.source(), rq);
}

report::SubgroupEffects subgroup_effects(const SubgroupRequest& rq) {
  return subgroup_effects(io::CsvTable::read(rq.csv, rq.encoding), rq);
}

report::SubgroupEffects subgroup_effects(const io::CsvTable& table, const SubgroupRequest& rq) {
  if (rq.columns.group.empty()) fail_input("options", "group", "(none)", "a --group column with the two treatment arms");
  if (rq.by.empty()) fail_input("options", "by", "(none)", "at least one --by column defining subgroups");
  report::SubgroupEffects out;
  out.file = rq.csv.string();
  out.ties = rq.cox.ties;
  out.conf_level = rq.cox.conf_level;
  std::vector<std::string> warnings;
  for (const auto& by : rq.by) {
    SurvivalColumns cols = rq.columns;
    cols.strata = by;  // read as a categorical column (complete cases on time, event, arm, by)
    const auto f = load_survival_frame(table, cols);
    require_events(f, table.source(), rq.columns.event);
    report::SubgroupsBy g;
    g.new_warnings = append_new_warnings(warnings, f.warnings);
    if (f.group_levels.size() != 2)
      fail_input(table.source(), rq.columns.group, std::to_string(f.group_levels.size()) + " levels",
                 "exactly two treatment arms");
    std::vector<double> trt(f.group.begin(), f.group.end());
    g.analysis = stats::subgroup_analysis(f.time, f.status, trt, f.strata, static_cast<int>(f.strata_levels.size()), rq.cox);
    g.by = by;
    g.effect = rq.columns.group + "=" + f.group_levels[1] + " vs " + f.group_levels[0];
    g.rows_dropped = f.rows_dropped;
    for (const auto& level : f.strata_levels) g.levels.push_back(by + "=" + level);
    out.subgroups.push_back(std::move(g));
  }
  return out;
}

}  // namespace sirtkit::pipelines
