#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "pipelines/study/analysis_report.h"
#include "report/command_output.h"
#include "report/study/analysis_results.h"

namespace sirtkit::cli {

void add_report_command(CLI::App& app) {
  auto rq = std::make_shared<pipelines::AnalysisReportRequest>();
  auto json = std::make_shared<bool>(false);
  CLI::App* c = app.add_subcommand(
      "report", "Analysis report of a registry study from a statistical analysis plan (SAP.toml): HTML, PDF and JSON, with the "
                "data sets and the command behind every number (docs/analysis-report.md)");
  c->add_option("sap", rq->sap, "the statistical analysis plan (TOML)")->required();
  c->add_option("--db", rq->db, "registry: SQLite file or postgresql:// URI")->required();
  c->add_option("--out", rq->out_dir, "folder to write report.html, report.pdf, report.json, data/ and figures/ into")->required();
  c->add_option("--operator", rq->operator_name, "name shown on the report (default: the OS user)");
  c->add_flag("--json", *json, "print report.json instead of the summary");
  c->callback([rq, json] {
    const report::AnalysisReport r = pipelines::run_analysis_report(*rq);
    const std::string out = *json ? report::json_document(report::analysis_report_json(r))
                                  : report::analysis_report_text(r, rq->out_dir.string());
    std::fputs(out.c_str(), stdout);
    set_exit_code(0);
  });
}

}  // namespace sirtkit::cli
