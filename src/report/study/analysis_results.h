#pragma once
// The results of `sirtkit report` (pipelines/study/analysis_report.h) as
// values, and their machine form report.json (from which
// report/study/analysis_report draws the HTML and the PDF) and summary text.
// Every analysis keeps the command that reproduces it from the output folder.

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "clinical/toxicity/adverse_events.h"
#include "report/descriptive/count_tests.h"
#include "report/descriptive/table_one.h"
#include "report/study/analysis_report.h"
#include "report/survival/cox_analysis.h"
#include "report/survival/km_analysis.h"
#include "report/survival/log_rank_analysis.h"
#include "report/survival/subgroup_effects.h"

namespace sirtkit::report {

// An analysis data set written under data/: what it holds, its hash, its rows
// and the patients left out of it by reason.
struct AnalysisDataSet {
  std::string file, what, sha256;
  std::size_t rows = 0;
  std::map<std::string, int> excluded;  // reason -> patients
};

// A Cox model of a comparison, or why there is none (e.g. one group).
struct CoxComparison {
  std::optional<CoxAnalysis> cox;
  std::string refused;  // the engine's message when cox is empty
  std::string command;
};

// Kaplan-Meier, log-rank and Cox of one data set by one grouping column, and its figure.
struct KmComparison {
  KmAnalysis km;
  std::string km_command;
  std::optional<LogRankAnalysis> logrank;
  std::string logrank_refused;  // the engine's message when logrank is empty
  std::string logrank_command;
  CoxComparison cox;
  std::optional<CoxComparison> adjusted_cox;  // with the SAP's covariates
  std::string figure;                         // "figures/km_os.svg"
};

// Responders among the patients of each arm (exact intervals) and Fisher's exact test across arms.
struct ArmRate {
  std::string arm;
  ProportionResult result;  // x responders of n
  std::string command;
};
struct RateByArm {
  std::vector<ArmRate> arms;
  std::optional<FisherResult> test;  // two arms or more
  std::string test_command;
};

struct TableOneSection {
  TableOne table;
  std::string command;
};

struct PrimarySection {
  std::string endpoint;  // "response", or a survival endpoint (os, pfs, ttp)
  std::string definition;
  // response
  std::string criteria;
  std::optional<int> landmark_day;
  int window_days = 0;
  RateByArm rate;
  // survival
  double landmark_months = 0;
  KmComparison analysis;
};

struct SurvivalSection {
  std::string endpoint, label, file;
  KmComparison analysis;
};

struct FollowUpSection {
  std::string method, file;
};

struct SubgroupSection {
  std::string endpoint;
  SubgroupEffects result;
  std::string command, figure;
};

struct ResponseSection {
  std::string criteria, file;
  std::vector<std::string> categories;                      // best overall response categories, in order
  std::map<std::string, std::map<std::string, int>> best_response;  // arm -> category -> patients
  RateByArm orr, dcr;
};

struct AdverseEventArm {
  std::string arm;
  int population = 0;
  std::vector<clinical::AeTermRow> terms;
  std::string command;
};
struct AdverseEventSection {
  std::string population;  // who is counted
  std::vector<AdverseEventArm> arms;
};

struct DoseResponseSection {
  std::string label, endpoint, dose, source;
  double threshold_gy = 0;
  KmComparison analysis;
};

struct FlowArm {
  std::string arm;  // "" for patients without an arm
  int allocated = 0, received_sirt = 0, received_other_only = 0, untreated = 0;
};

struct AnalysisReport {
  std::string title, created_utc, operator_name, software;
  std::string sap_file, sap_sha256;
  std::string registry_source;
  int schema_version = 0;
  std::string study;  // "" = every study
  std::string origin;
  bool censor_at_surgery = false;
  std::vector<std::string> arms;  // the control arm first
  int registered = 0;
  std::vector<FlowArm> flow;
  std::optional<TableOneSection> table_one;
  std::optional<PrimarySection> primary;
  std::vector<SurvivalSection> survival;
  std::optional<std::optional<FollowUpSection>> follow_up;  // asked for; none without an OS data set
  std::optional<SubgroupSection> subgroups;
  std::optional<std::vector<ResponseSection>> response;
  std::optional<AdverseEventSection> adverse_events;
  std::vector<DoseResponseSection> dose_response;
  std::vector<AnalysisDataSet> data_sets;
  std::vector<AnalysisFigure> figures;
};

nlohmann::json analysis_report_json(const AnalysisReport& report);
// Every file of the output folder but the data sets, as (name, bytes) in the
// order written: the figures, report.json, report.html and report.pdf.
std::vector<std::pair<std::string, std::string>> analysis_report_files(const AnalysisReport& report);
// The summary printed after writing `out_dir`.
std::string analysis_report_text(const AnalysisReport& report, const std::string& out_dir);

}  // namespace sirtkit::report
