// sirtkit km | logrank | cox | subgroups: argument parsing only; the work is
// in pipelines/survival/survival_analysis, the text and JSON in report/survival/.
#include <malloc.h>
#include <sys/mman.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "cli/commands.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "pipelines/survival/survival_analysis.h"
#include "registry/redcap/redcap_dictionary.h"
#include "report/survival/cox_analysis.h"
#include "report/survival/km_analysis.h"
#include "report/survival/log_rank_analysis.h"
#include "report/survival/subgroup_effects.h"
#include "report/survival/univariable_screen.h"
#include "pipelines/survival/univariable_screen.h"
#include "pipelines/survival/survival_plots.h"
#include "report/survival/survival_plots.h"

namespace sirtkit::cli {
namespace {

// sirtkit cox on a large file allocates and frees arrays of n numbers one
// after another (the design, its sorted copy, the sorts, cox.zph). glibc
// returns each large block to the kernel when it is freed (mmap above 128 KiB)
// and the next one is faulted in again, page by page: on the development VM
// (nested virtualisation) a fresh 4 KiB page costs several microseconds of
// CPU, and a 1e6-row fit faulted in 1 GB this way (256,000 faults, a third of
// its CPU). So: large blocks come from the heap and freed memory is kept for
// reuse (75,000 faults: the peak of what is live at once), and the first
// `heap_bytes` of the heap are advised as transparent huge pages (2 MiB a
// fault: 11,000 faults, about a fifth less CPU; peak memory unchanged, since
// pages are still only made when first written). Reserving the heap is
// address space only; a failed reservation or advice only loses the speed.
void keep_freed_memory_for_reuse(std::size_t heap_bytes) {  // heap_bytes below the 1 GiB threshold
  mallopt(M_MMAP_THRESHOLD, 1 << 30);
  mallopt(M_TRIM_THRESHOLD, -1);
  constexpr std::uintptr_t kHuge = std::uintptr_t{1} << 21;
  void* block = std::malloc(heap_bytes);  // grows the heap; freed at once, it stays (no trim)
  if (!block) return;
  const auto b = (reinterpret_cast<std::uintptr_t>(block) + kHuge - 1) & ~(kHuge - 1);
  const auto e = (reinterpret_cast<std::uintptr_t>(block) + heap_bytes) & ~(kHuge - 1);
  if (e > b) madvise(reinterpret_cast<void*>(b), e - b, MADV_HUGEPAGE);
  std::free(block);
}

struct CommonArgs {
  std::string csv;
  std::string time = "time";
  std::string event = "status";
  std::string start;  // km and cox: (start, time] rows
  std::string coding = "event";
  std::string group;
  std::string strata;
  std::string weights;  // km and cox: case-weight column
  std::vector<std::string> references;  // COLUMN=LEVEL
  std::string time_unit;
  std::string labels;  // REDCap data dictionary with the value labels
  std::string out;
  std::string encoding = "utf8";
  bool json = false;

  pipelines::SurvivalColumns columns() const {
    pipelines::SurvivalColumns c;
    c.time = time;
    c.start = start;
    c.event = event;
    c.coding = pipelines::parse_event_coding(coding);
    c.group = group;
    c.strata = strata;
    c.weights = weights;
    c.time_unit = time_unit;
    if (!labels.empty()) {
      const registry::DataDictionary dictionary = registry::DataDictionary::read(labels);
      for (const auto& field : dictionary.fields())
        for (const auto& [code, label] : field.choices) c.value_labels[field.name][code] = label;
    }
    for (const auto& r : references) {
      const auto eq = r.find('=');
      if (eq == std::string::npos || eq == 0 || eq + 1 == r.size())
        fail_input("options", "reference", r, "COLUMN=LEVEL, e.g. TRT01P=standard");
      c.reference_levels[r.substr(0, eq)] = r.substr(eq + 1);
    }
    return c;
  }
};

void add_common(CLI::App* cmd, CommonArgs& a, bool group_required) {
  cmd->add_option("csv", a.csv, "input CSV file (header row, one subject per row)")->required();
  cmd->add_option("--time", a.time, "time column (>= 0)")->capture_default_str();
  cmd->add_option("--event", a.event, "event/censoring column")->capture_default_str();
  cmd->add_option("--time-unit", a.time_unit,
                  "days, weeks, months or years: the unit of the time column, shown with every time and on the plot's axis "
                  "(default: the file's ADaM AVALU column when it has one, else unknown)");
  cmd->add_option("--event-coding", a.coding,
                  "event: 1 = event, 0 = censored; cnsr: ADaM CNSR, 0 = event, >= 1 = censored; "
                  "r12: R's 1 = censored, 2 = event (survival::lung)")
      ->capture_default_str();
  auto* g = cmd->add_option("--group", a.group, "grouping column (categorical)");
  if (group_required) g->required();
  cmd->add_option("--reference", a.references,
                  "COLUMN=LEVEL: the reference (first) level of a group, strata or factor column instead of R's "
                  "sorted first, as relevel(x, ref = LEVEL); repeatable")
      ->delimiter(',');
  cmd->add_option("--labels", a.labels,
                  "a REDCap data dictionary (CSV): coded group, strata and factor columns show its choice labels "
                  "(sex=Female for sex=2), in the codes' order");
  add_encoding_option(cmd, a.encoding);
  cmd->add_option("--out", a.out, "also write the JSON result (and for km, cox, subgroups the plot as SVG and PNG) into this folder");
  cmd->add_flag("--json", a.json, "print every number as JSON instead of the readable summary");
}

// Prints the result's report/ rendering (`json` with --json, else `text`); with --out writes
// <name>.json and `plots` (built only for --out, so before anything is written: a failure
// leaves no file).
void emit(const CommonArgs& a, const nlohmann::json& result, const std::string& text, const std::string& name,
          const report::OutputFiles& plots = {}) {
  const std::string json = result.dump(2) + "\n";
  if (!a.out.empty()) {
    OutputFolder folder(a.out);  // every file or none (core/atomic_file.h)
    folder.write(name + ".json", json);
    for (const auto& [file, bytes] : plots) folder.write(file, bytes);
    folder.commit();
  }
  std::fputs(a.json ? json.c_str() : text.c_str(), stdout);
  print_warnings(result);
  set_exit_code(0);
}

}  // namespace

void print_warnings(const nlohmann::json& j) {
  if (!j.is_object() || !j.contains("warnings") || !j["warnings"].is_array()) return;
  for (const auto& w : j["warnings"])
    if (w.is_string()) std::fprintf(stderr, "sirtkit: warning: %s\n", w.get<std::string>().c_str());
}

void add_encoding_option(CLI::App* command, std::string& encoding) {
  command->add_option("--encoding", encoding,
                      "the CSV file's text encoding: utf8, latin1 (ISO-8859-1) or windows-1252, transcoded to UTF-8")
      ->capture_default_str();
}

namespace {

// sirtkit km: Kaplan-Meier curves (report/survival/km_analysis).
void add_km_command(CLI::App& app) {
  struct Args : CommonArgs {
    std::string conf_type = "log";
    double conf_level = 0.95;
    std::vector<double> times;
    std::vector<double> quantiles{0.25, 0.5, 0.75};
    bool table = false;
    bool extend = false;
    bool ci_bands = false, median_lines = false;
    std::string time_label;
  };
  auto a = std::make_shared<Args>();
  CLI::App* km = app.add_subcommand("km", "Kaplan-Meier survival: medians, quantiles, landmark rates, at-risk counts, median follow-up");
  add_common(km, *a, false);
  km->add_option("--conf-type", a->conf_type, "CI scale: log (R default), log-log (SAS, lifelines), plain")->capture_default_str();
  km->add_option("--conf-level", a->conf_level, "confidence level")->capture_default_str()->check(CLI::Range(0.5, 0.9999));
  km->add_option("--times", a->times, "landmark times for survival with CI and number at risk (comma-separated)")->delimiter(',');
  km->add_option("--quantiles", a->quantiles, "survival quantiles to report, p in [0,1] (0.5 = median)")->delimiter(',');
  km->add_flag("--extend", a->extend,
               "landmarks past a curve's last time keep its last survival and CI with 0 at risk (R: summary(fit, times, extend = TRUE))");
  km->add_flag("--table", a->table, "print the full survival table in the readable summary");
  km->add_option("--start", a->start, "entry-time column: rows are (start, time] intervals (late entry, split follow-up)");
  km->add_option("--weights", a->weights,
                 "case-weight column (> 0), as survfit(weights = ): integer weights count rows (Greenwood se), "
                 "non-integer ones (e.g. IPTW) get the robust infinitesimal-jackknife se");
  km->add_flag("--ci-bands", a->ci_bands, "with --out: shade the confidence bands in km.svg/km.png");
  km->add_flag("--median-lines", a->median_lines, "with --out: draw dashed lines to each median in km.svg/km.png");
  km->add_option("--time-label", a->time_label, "with --out: the plot's time-axis label, e.g. \"Months since SIRT\" (default: the time column)");
  km->callback([a] {
    pipelines::KmRequest rq;
    rq.csv = a->csv;
    rq.encoding = io::parse_text_encoding(a->encoding);
    rq.columns = a->columns();
    rq.km.conf_type = stats::parse_conf_type(a->conf_type);
    rq.km.conf_level = a->conf_level;
    rq.times = a->times;
    rq.extend = a->extend;
    rq.quantiles = a->quantiles;
    rq.full_table = a->table;
    const auto km = pipelines::km_analysis(rq);
    report::OutputFiles plots;
    if (!a->out.empty()) {
      const report::KmPlotRequest plot{a->ci_bands, a->median_lines, a->time_label, "", rq.columns.time, rq.columns.group,
                                       pipelines::km_plot_test_p(rq, km)};
      plots = report::km_plot_files(km, plot);
    }
    emit(*a, report::km_json(km), report::km_text(km), "km", plots);
  });
}

// sirtkit logrank: the (stratified, G-rho) test (report/survival/log_rank_analysis).
void add_logrank_command(CLI::App& app) {
  struct Args : CommonArgs {
    double rho = 0;
    bool trend = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* lr = app.add_subcommand("logrank", "Log-rank / Fleming-Harrington G-rho test across 2 or more groups, optionally stratified");
  add_common(lr, *a, true);
  lr->add_option("--strata", a->strata, "stratification column (stratified test)");
  lr->add_option("--rho", a->rho, "G-rho weight S(t-)^rho: 0 log-rank, 1 Peto-Peto")->capture_default_str()->check(CLI::Range(0.0, 10.0));
  lr->add_flag("--trend", a->trend, "also test for trend across ordered groups (numeric levels as scores, else 1..k)");
  lr->callback([a] {
    pipelines::LogRankRequest rq;
    rq.csv = a->csv;
    rq.encoding = io::parse_text_encoding(a->encoding);
    rq.columns = a->columns();
    rq.rho = a->rho;
    rq.trend = a->trend;
    const auto lr = pipelines::log_rank_analysis(rq);
    emit(*a, report::log_rank_json(lr), report::log_rank_text(lr), "logrank");
  });
}

// sirtkit cox: the model, or with --univariable the screen first (report/survival/cox_analysis).
void add_cox_command(CLI::App& app) {
  struct Args : CommonArgs {
    std::vector<std::string> covariates, factors;
    std::string ties = "efron";
    std::string cluster;
    bool robust = false;
    double conf_level = 0.95;
    int iter_max = 20;
    std::string step;
    bool univariable = false;
    double screen_p = 0.15;
  };
  auto a = std::make_shared<Args>();
  CLI::App* cox = app.add_subcommand("cox", "Cox proportional hazards regression (hazard ratios, tests, concordance)");
  add_common(cox, *a, false);
  cox->add_option("--covariates", a->covariates, "covariate columns (comma-separated); non-numeric columns become factors")->delimiter(',');
  cox->add_option("--factor", a->factors, "covariates to treat as categorical (first level = reference)")->delimiter(',');
  cox->add_option("--strata", a->strata, "stratification column (separate baseline hazards)");
  cox->add_option("--ties", a->ties, "efron (R default), breslow (SAS/SPSS/Stata default) or exact (discrete / conditional logistic)")->capture_default_str();
  cox->add_option("--start", a->start, "entry-time column: rows are (start, time] intervals (time-varying covariates, late entry)");
  cox->add_flag("--robust", a->robust, "robust (sandwich) standard errors");
  cox->add_option("--weights", a->weights,
                  "case-weight column (> 0), as coxph(weights = ); non-integer weights (e.g. IPTW) imply --robust, as in R");
  cox->add_option("--cluster", a->cluster, "cluster column for robust standard errors (implies --robust)");
  cox->add_option("--conf-level", a->conf_level, "confidence level of the hazard ratios")->capture_default_str()->check(CLI::Range(0.5, 0.9999));
  cox->add_option("--step", a->step, "stepwise AIC selection before the fit: both, backward or forward (MASS::stepAIC)");
  cox->add_option("--iter-max", a->iter_max, "Newton-Raphson iterations")->capture_default_str()->check(CLI::Range(1, 1000));
  cox->add_flag("--univariable", a->univariable,
                "one model per covariate, screened at --screen-p, then the multivariable model of those that pass (with --step)");
  cox->add_option("--screen-p", a->screen_p, "univariable screen: keep covariates with likelihood-ratio p below this")
      ->capture_default_str();
  cox->callback([a] {
    pipelines::CoxRequest rq;
    rq.csv = a->csv;
    rq.encoding = io::parse_text_encoding(a->encoding);
    rq.columns = a->columns();
    rq.covariates.covariates = a->covariates;
    rq.covariates.factors = a->factors;
    rq.covariates.cluster = a->cluster;
    rq.cox.ties = stats::parse_ties(a->ties);
    rq.cox.robust = a->robust || !a->cluster.empty();
    rq.cox.conf_level = a->conf_level;
    rq.cox.iter_max = a->iter_max;
    if (!a->step.empty()) rq.step = stats::parse_step_direction(a->step);
    if (a->univariable) {
      if (!rq.covariates.cluster.empty()) fail_input("options", "cluster", a->cluster, "no --cluster with --univariable");
      if (!a->weights.empty()) fail_input("options", "weights", a->weights, "no --weights with --univariable");
      pipelines::UnivariableRequest u;
      u.csv = rq.csv;
      u.encoding = rq.encoding;
      u.columns = rq.columns;
      u.candidates = rq.covariates;
      u.cox = rq.cox;
      u.screen_p = a->screen_p;
      u.step = rq.step;
      const auto screen = pipelines::univariable_analysis(u);
      emit(*a, report::univariable_json(screen), report::univariable_text(screen), "cox",
           a->out.empty() || !screen.multivariable ? report::OutputFiles{} : report::cox_forest_files(*screen.multivariable));
      return;
    }
    {
      // Room for what a fit holds at once: about three times the file (docs/stats.md), 64 MiB at least.
      std::error_code ec;
      const auto bytes = std::filesystem::file_size(rq.csv, ec);
      keep_freed_memory_for_reuse(std::clamp<std::size_t>(ec ? 0 : 3 * static_cast<std::size_t>(bytes), std::size_t{64} << 20,
                                                          std::size_t{1000} << 20));
    }
    const auto cox = pipelines::cox_analysis(rq);
    emit(*a, report::cox_json(cox), report::cox_text(cox), "cox", a->out.empty() ? report::OutputFiles{} : report::cox_forest_files(cox));
  });
}

// sirtkit subgroups: treatment effect within subgroups (report/survival/subgroup_effects).
void add_subgroups_command(CLI::App& app) {
  struct Args : CommonArgs {
    std::vector<std::string> by;
    std::string ties = "efron";
    double conf_level = 0.95;
  };
  auto a = std::make_shared<Args>();
  CLI::App* sg = app.add_subcommand("subgroups", "Treatment hazard ratio within subgroups (forest-plot data) with interaction tests");
  add_common(sg, *a, true);
  sg->add_option("--by", a->by, "subgroup columns (comma-separated), each analysed separately")->delimiter(',')->required();
  sg->add_option("--ties", a->ties, "efron (R default), breslow or exact")->capture_default_str();
  sg->add_option("--conf-level", a->conf_level, "confidence level of the hazard ratios")->capture_default_str()->check(CLI::Range(0.5, 0.9999));
  sg->callback([a] {
    pipelines::SubgroupRequest rq;
    rq.csv = a->csv;
    rq.encoding = io::parse_text_encoding(a->encoding);
    rq.columns = a->columns();
    rq.by = a->by;
    rq.cox.ties = stats::parse_ties(a->ties);
    rq.cox.conf_level = a->conf_level;
    const auto s = pipelines::subgroup_effects(rq);
    emit(*a, report::subgroup_effects_json(s), report::subgroup_effects_text(s), "subgroups",
         a->out.empty() ? report::OutputFiles{} : report::subgroup_forest_files(s, rq.columns.group));
  });
}

}  // namespace

void add_stats_commands(CLI::App& app) {
  add_km_command(app);
  add_logrank_command(app);
  add_cox_command(app);
  add_subgroups_command(app);
}

}  // namespace sirtkit::cli
