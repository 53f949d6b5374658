// sirtkit proportion | fisher | chisq | compare | table1: argument parsing
// only; the work is in pipelines/descriptive/count_tests, group_comparison and table_one.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/result_command.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "pipelines/descriptive/count_tests.h"
#include "pipelines/descriptive/group_comparison.h"
#include "pipelines/descriptive/table_one.h"
#include "report/descriptive/count_tests.h"
#include "report/descriptive/group_comparison.h"
#include "report/descriptive/table_one.h"

namespace sirtkit::cli {
namespace {

// table1: --out writes table1.json and table1.csv, both or none (core/atomic_file.h).
void emit_table_one(const report::TableOne& t, const std::string& out, bool json) {
  const nlohmann::json j = report::table_one_json(t);
  const std::string dumped = j.dump(2) + "\n";
  if (!out.empty()) {
    OutputFolder folder(out);
    folder.write("table1.json", dumped);
    folder.write("table1.csv", report::table_one_csv(t));
    folder.commit();
  }
  std::fputs(json ? dumped.c_str() : report::table_one_text(t).c_str(), stdout);
  print_warnings(j);
  set_exit_code(0);
}

void add_proportion_command(CLI::App& app) {
  struct Args : JsonTextOutput {
    long x = 0, n = 0;
    std::string method = "clopper-pearson";
    double conf_level = 0.95, p0 = 0.5;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = app.add_subcommand("proportion", "One proportion x/n: confidence interval and exact binomial test (R binom.test, prop.test)");
  c->add_option("--x", a->x, "number of successes (e.g. responders)")->required();
  c->add_option("--n", a->n, "number of trials (e.g. patients)")->required();
  c->add_option("--method", a->method, "clopper-pearson (binom.test), wilson (prop.test, correct = FALSE) or wilson-cc (prop.test)")
      ->capture_default_str();
  c->add_option("--conf-level", a->conf_level, "confidence level")->capture_default_str();
  c->add_option("--p0", a->p0, "null proportion of the exact binomial test")->capture_default_str();
  const auto run = [](const Args& a) {
    pipelines::ProportionRequest rq;
    rq.x = a.x;
    rq.n = a.n;
    rq.method = stats::parse_proportion_ci_method(a.method.c_str());
    rq.conf_level = a.conf_level;
    rq.p0 = a.p0;
    return pipelines::proportion_result(rq);
  };
  add_result_output(c, a, "proportion.json", run, report::proportion_json, report::proportion_text);
}

void add_fisher_command(CLI::App& app) {
  struct Args : JsonTextOutput {
    std::string table;
    double conf_level = 0.95;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = app.add_subcommand("fisher", "Fisher's exact test on an r x c table of counts; odds ratio with CI for 2x2 (R fisher.test)");
  c->add_option("--table", a->table, "counts, ',' within a row and '/' between rows, e.g. 12,4/6,10")->required();
  c->add_option("--conf-level", a->conf_level, "confidence level of the odds ratio")->capture_default_str();
  const auto run = [](const Args& a) {
    stats::FisherOptions o;
    o.conf_level = a.conf_level;
    return pipelines::fisher_result(pipelines::parse_count_table(a.table), o);
  };
  add_result_output(c, a, "fisher.json", run, report::fisher_json, report::fisher_text);
}

void add_chisq_command(CLI::App& app) {
  struct Args : JsonTextOutput {
    std::string table;
    bool no_correct = false;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = app.add_subcommand("chisq", "Pearson's chi-square test on an r x c table of counts (R chisq.test)");
  c->add_option("--table", a->table, "counts, ',' within a row and '/' between rows, e.g. 12,4/6,10")->required();
  c->add_flag("--no-correct", a->no_correct, "no Yates continuity correction for a 2x2 table (R: correct = FALSE)");
  const auto run = [](const Args& a) { return pipelines::chisq_result(pipelines::parse_count_table(a.table), !a.no_correct); };
  add_result_output(c, a, "chisq.json", run, report::chisq_json, report::chisq_text);
}

void add_compare_command(CLI::App& app) {
  struct Args : JsonTextOutput {
    std::string csv, value, by, test = "wilcoxon", encoding = "utf8";
    double conf_level = 0.95;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = app.add_subcommand("compare", "Compare a numeric column between groups: Wilcoxon, t, Welch, Kruskal-Wallis, ANOVA");
  c->add_option("csv", a->csv, "input CSV file (header row, one subject per row)")->required();
  c->add_option("--value", a->value, "numeric column to compare")->required();
  c->add_option("--by", a->by, "group column")->required();
  c->add_option("--test", a->test, "wilcoxon, t (Student), welch, kruskal or anova")->capture_default_str();
  c->add_option("--conf-level", a->conf_level, "confidence level of the difference in means (t-tests)")->capture_default_str();
  const auto run = [](const Args& a) {
    pipelines::CompareRequest rq;
    rq.csv = a.csv;
    rq.encoding = io::parse_text_encoding(a.encoding);
    rq.value = a.value;
    rq.by = a.by;
    rq.test = pipelines::parse_group_test(a.test);
    rq.conf_level = a.conf_level;
    return pipelines::group_comparison(rq);
  };
  add_result_output(c, a, "compare.json", run, report::group_comparison_json, report::group_comparison_text);
  add_encoding_option(c, a->encoding);
}

void add_table1_command(CLI::App& app) {
  struct Args {
    std::string csv, by, out, categorical_test = "fisher", spread = "iqr", encoding = "utf8";
    std::vector<std::string> vars, factors, nonnormal;
    bool equal_var = false, overall = false, json = false;
    int digits = 1;
  };
  auto a = std::make_shared<Args>();
  CLI::App* c = app.add_subcommand("table1", "Table 1: baseline characteristics by arm with tests (n (%), mean ± SD, median)");
  c->add_option("csv", a->csv, "input CSV file (header row, one patient per row)")->required();
  c->add_option("--by", a->by, "arm column")->required();
  c->add_option("--vars", a->vars, "variables, in order (comma-separated; default: every other column)")->delimiter(',');
  c->add_option("--factor,--factors", a->factors, "numeric columns to treat as categorical (e.g. ecog)")->delimiter(',');
  c->add_option("--nonnormal", a->nonnormal, "numeric columns summarised by median and compared by Wilcoxon / Kruskal-Wallis")->delimiter(',');
  c->add_option("--categorical-test", a->categorical_test, "fisher or chisq")->capture_default_str();
  c->add_flag("--equal-var", a->equal_var, "Student t-test instead of Welch's (R t.test var.equal = TRUE)");
  c->add_option("--spread", a->spread, "for --nonnormal: iqr (median [Q1, Q3]) or range (median (min, max))")->capture_default_str();
  c->add_option("--digits", a->digits, "decimals of means, SDs and medians in the readable table")->capture_default_str();
  c->add_flag("--overall", a->overall, "add an Overall column (every row with an arm)");
  c->add_option("--out", a->out, "write table1.json and table1.csv into this folder");
  c->add_flag("--json", a->json, "print every number as JSON instead of the readable table");
  add_encoding_option(c, a->encoding);
  c->callback([a] {
    pipelines::TableOneRequest rq;
    rq.csv = a->csv;
    rq.encoding = io::parse_text_encoding(a->encoding);
    rq.options.by = a->by;
    rq.options.variables = a->vars;
    rq.options.factors = a->factors;
    rq.options.nonnormal = a->nonnormal;
    rq.options.categorical_test = pipelines::parse_categorical_test(a->categorical_test);
    rq.options.equal_variance = a->equal_var;
    rq.options.spread = pipelines::parse_spread(a->spread);
    rq.options.digits = a->digits;
    rq.options.overall = a->overall;
    emit_table_one(pipelines::run_table_one(rq), a->out, a->json);
  });
}

}  // namespace

void add_descriptive_commands(CLI::App& app) {
  add_proportion_command(app);
  add_fisher_command(app);
  add_chisq_command(app);
  add_compare_command(app);
  add_table1_command(app);
}

}  // namespace sirtkit::cli
