#pragma once
// `sirtkit report SAP.toml --db DB --out DIR`: runs the analyses a statistical
// analysis plan (pipelines/study/analysis_plan.h) names on a registry study and
// writes DIR/report.html, report.pdf and report.json (every number), the
// analysis data sets they were computed from (DIR/data/*.csv, ADaM ADTTE and
// ADRS shapes) and the figures (DIR/figures/*.svg).
//
// Every number is the engine's, computed by the same functions as the single
// commands on the data sets written beside the report; report.json gives, for
// each analysis, the command that reproduces it from DIR (e.g. `sirtkit km
// data/adtte_os.csv --time AVAL ...`). Nothing is written unless all of it is.

#include <filesystem>
#include <string>

#include "report/study/analysis_results.h"

namespace sirtkit::pipelines {

struct AnalysisReportRequest {
  std::filesystem::path sap;
  std::string db;                 // registry (SQLite file or PostgreSQL URI)
  std::filesystem::path out_dir;  // written as a whole (core/atomic_file.h OutputFolder)
  std::string operator_name;      // shown on the report; "" → the OS user
};

// Runs the analyses, writes the folder and returns every result
// (report/study/analysis_results renders report.json and the summary).
report::AnalysisReport run_analysis_report(const AnalysisReportRequest& request);

}  // namespace sirtkit::pipelines
