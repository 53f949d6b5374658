#pragma once
// Survival analyses over a CSV file: read and validate the columns (io),
// run Kaplan-Meier, log-rank or Cox (stats) and return every number of the
// result (the views of report/survival/, which renders them as text and
// JSON: report::km_json, km_text, ...).

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "io/text_formats/text_encoding.h"
#include "report/survival/cox_analysis.h"
#include "report/survival/km_analysis.h"
#include "report/survival/log_rank_analysis.h"
#include "report/survival/subgroup_effects.h"
#include "stats/cox/cox_model.h"
#include "stats/survival/kaplan_meier.h"
#include "stats/cox/stepwise_aic.h"

namespace sirtkit::io {
class CsvTable;
}

namespace sirtkit::pipelines {

// How the event column is coded: 1 = event / 0 = censored (R's Surv), CDISC
// ADaM ADTTE CNSR where 0 = event and 1 (or any positive code) = censored, or
// R's 1 = censored / 2 = event (Surv() subtracts 1 when the largest code is 2,
// as in survival::lung).
// `cause` (competing risks, sirtkit cif / finegray): 0 = censored, k >= 1 =
// failed from cause k, kept as the status code.
enum class EventCoding { event_is_one, cnsr, r12, cause };
EventCoding parse_event_coding(const std::string& name);  // "event" | "1" | "cnsr" | "r12"
const char* event_coding_name(EventCoding coding);

struct SurvivalColumns {
  std::string time = "time";
  std::string event = "status";
  std::string start;   // optional entry time: rows are (start, time] intervals (counting process)
  EventCoding coding = EventCoding::event_is_one;
  std::string group;   // optional grouping column (factor)
  std::string strata;  // optional stratification column (factor)
  std::string weights;  // optional case-weight column (numbers > 0; R's weights =)
  // Reference level of a categorical column (group, strata or factor
  // covariate): column -> level, first instead of R's sorted first
  // (relevel(x, ref = level)). Empty: R's order.
  std::map<std::string, std::string> reference_levels;
  // --time-unit (days, weeks, months, years): the unit times are printed and
  // plotted in; "" takes the file's AVALU column when it has one
  // (pipelines/survival/time_unit.h), else the unit is unknown and not guessed.
  std::string time_unit;
  // Value labels of coded categorical columns (--labels: a REDCap data
  // dictionary's choices), column -> code -> label: levels keep the codes'
  // order and show the labels, as R's factor(x, levels = codes, labels =).
  std::map<std::string, std::map<std::string, std::string>> value_labels;
};

// Columns extracted from a table, complete cases only.
struct SurvivalFrame {
  std::vector<double> start;  // entry times when SurvivalColumns::start is given, else empty
  std::vector<double> time;
  std::vector<int> status;  // 1 = event
  std::vector<int> group;   // codes into group_levels (empty if no group)
  std::vector<std::string> group_levels;
  std::vector<int> strata;
  std::vector<std::string> strata_levels;
  Eigen::MatrixXd x;                 // covariate design (R treatment coding for factors)
  std::vector<std::string> terms;    // one name per design column, R style: "age", "rxObs"
  std::vector<std::string> term_column;  // the CSV column behind each term
  std::vector<std::string> term_level;   // the factor level of a dummy term ("" for numeric)
  std::vector<int> cluster;
  std::vector<double> weights;  // case weights when SurvivalColumns::weights is given, else empty
  std::size_t rows_read = 0;
  std::size_t rows_dropped = 0;      // rows with a missing value in a used column
  // Read but suspicious (no event, every row the same status, levels with
  // surrounding spaces, empty text cells): every result carries them in its
  // `warnings`, and the CLI prints them on stderr.
  std::vector<std::string> warnings;
};

struct CovariateSpec {
  std::vector<std::string> covariates;  // numeric unless non-numeric values or listed in factors
  std::vector<std::string> factors;     // forced categorical
  std::string cluster;
};

// Validates and extracts; throws bad_input naming file, line, column and value.
SurvivalFrame load_survival_frame(const io::CsvTable& table, const SurvivalColumns& columns,
                                  const CovariateSpec& covariates = {});

// A factor level without events has an infinite hazard ratio (monotone
// likelihood): refused as bad input naming the column and level.
void refuse_factor_levels_without_events(const SurvivalFrame& frame, const std::string& source);

struct KmRequest {
  std::filesystem::path csv;
  io::TextEncoding encoding = io::TextEncoding::utf8;  // of the CSV file (--encoding)
  SurvivalColumns columns;
  stats::KmOptions km;
  std::vector<double> times;                       // landmark times (survival and n at risk)
  bool extend = false;  // landmarks past a curve's last time keep its last value (summary.survfit extend = TRUE)
  std::vector<double> quantiles{0.25, 0.5, 0.75};  // survival quantiles to report
  bool full_table = false;                         // print every row in the text form
};
report::KmAnalysis km_analysis(const KmRequest& request);
report::KmAnalysis km_analysis(const io::CsvTable& table, const KmRequest& request);

struct LogRankRequest {
  std::filesystem::path csv;
  io::TextEncoding encoding = io::TextEncoding::utf8;  // of the CSV file (--encoding)
  SurvivalColumns columns;  // group required, strata optional
  double rho = 0;
  bool trend = false;  // also the test for trend (scores: numeric levels, else 1..k in level order)
};
report::LogRankAnalysis log_rank_analysis(const LogRankRequest& request);
report::LogRankAnalysis log_rank_analysis(const io::CsvTable& table, const LogRankRequest& request);

struct CoxRequest {
  std::filesystem::path csv;
  io::TextEncoding encoding = io::TextEncoding::utf8;  // of the CSV file (--encoding)
  SurvivalColumns columns;  // group (optional) enters as a factor covariate first
  CovariateSpec covariates;
  stats::CoxOptions cox;
  std::optional<stats::StepDirection> step;  // stepwise AIC selection before the final fit
};
report::CoxAnalysis cox_analysis(const CoxRequest& request);
report::CoxAnalysis cox_analysis(const io::CsvTable& table, const CoxRequest& request);

// Treatment effect (two-arm --group) within the levels of each --by column:
// the data of a forest plot, with the interaction likelihood-ratio test.
struct SubgroupRequest {
  std::filesystem::path csv;
  io::TextEncoding encoding = io::TextEncoding::utf8;  // of the CSV file (--encoding)
  SurvivalColumns columns;  // group = the two-arm treatment column (first level = reference)
  std::vector<std::string> by;
  stats::CoxOptions cox;
};
report::SubgroupEffects subgroup_effects(const SubgroupRequest& request);
report::SubgroupEffects subgroup_effects(const io::CsvTable& table, const SubgroupRequest& request);

}  // namespace sirtkit::pipelines
