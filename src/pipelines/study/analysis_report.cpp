#include "pipelines/study/analysis_report.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <optional>

#include "clinical/toxicity/adverse_events.h"
#include "core/atomic_file.h"
#include "core/date_time.h"
#include "core/error.h"
#include "core/os_user.h"
#include "core/version.h"
#include "io/text_formats/csv_table.h"
#include "io/file_hash.h"
#include "pipelines/study/analysis_plan.h"
#include "pipelines/descriptive/count_tests.h"
#include "pipelines/registry/registry_jobs.h"
#include "pipelines/survival/survival_analysis.h"
#include "pipelines/survival/survival_plots.h"
#include "report/survival/survival_plots.h"
#include "pipelines/descriptive/table_one.h"
#include "registry/derived/adverse_event_list.h"
#include "registry/store/schema.h"
#include "registry/store/store.h"
#include "registry/derived/study_flow.h"
#include "registry/derived/time_to_event.h"
#include "registry/derived/tumour_response.h"
#include "report/study/analysis_report.h"
#include "report/study/analysis_results.h"
#include "core/csv_text.h"

namespace sirtkit::pipelines {

namespace {

namespace fs = std::filesystem;

const char* const kArm = "TRT01P";  // ADaM: planned treatment of the subject

std::string endpoint_label(const std::string& endpoint) {
  if (endpoint == "os") return "Overall survival";
  if (endpoint == "pfs") return "Progression-free survival";
  return "Time to progression";
}

std::string join_numbers(const std::vector<double>& v) {
  std::string s;
  for (double d : v) s += (s.empty() ? "" : ",") + fmt::format("{}", d);
  return s;
}

std::string join_text(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& t : v) s += (s.empty() ? "" : ",") + t;
  return s;
}

// The data sets, written under data/ of the output folder and read back
// through the CSV reader every command uses.
class DataSets {
 public:
  explicit DataSets(OutputFolder& folder) : folder_(folder) {}

  const io::CsvTable& add(const std::string& stem, const std::string& csv, const std::string& what,
                          const std::vector<std::pair<std::string, std::string>>& excluded) {
    const std::string name = "data/" + stem + ".csv";
    folder_.write(name, csv);
    report::AnalysisDataSet set{name, what, io::sha256_of_bytes(csv), 0, {}};
    for (const auto& [who, why] : excluded) ++set.excluded[why];
    tables_.emplace(name, io::CsvTable::parse(csv, name));
    set.rows = tables_.at(name).rows();
    list_.push_back(std::move(set));
    return tables_.at(name);
  }
  const std::vector<report::AnalysisDataSet>& list() const { return list_; }

 private:
  OutputFolder& folder_;
  std::vector<report::AnalysisDataSet> list_;
  std::map<std::string, io::CsvTable> tables_;
};

struct Context {
  const AnalysisPlan& plan;
  registry::Store& store;
  DataSets& data;
  std::vector<report::AnalysisFigure>& figures;
  std::string time_label;  // "Months since randomisation" / "... since first treatment"
};

registry::TteOptions tte_options(const AnalysisPlan& plan, const std::string& endpoint) {
  registry::TteOptions o;
  o.endpoint = registry::parse_endpoint(endpoint);
  o.origin = registry::parse_origin(plan.origin);
  o.censor_at_surgery = plan.censor_at_surgery;
  o.study = plan.study;
  return o;
}

SurvivalColumns adtte_columns(const std::string& group, const std::string& reference) {
  SurvivalColumns c;
  c.time = "AVAL";
  c.event = "CNSR";
  c.coding = EventCoding::cnsr;
  c.group = group;
  if (!group.empty() && !reference.empty()) c.reference_levels[group] = reference;
  return c;
}

std::string columns_flags(const std::string& file, const SurvivalColumns& c) {
  std::string s = file + " --time AVAL --event CNSR --event-coding cnsr";
  if (!c.group.empty()) s += " --group " + c.group;
  for (const auto& [col, level] : c.reference_levels) s += " --reference '" + col + "=" + level + "'";
  return s;
}

// Kaplan-Meier, log-rank and Cox of one data set by one grouping column, and
// the figure: the analysis of a survival endpoint by arm and of a dose group.
report::KmComparison compare_groups(Context& cx, const io::CsvTable& table, const std::string& group, const std::string& reference,
                                       const std::vector<double>& landmarks, const SapSurvival* adjusted, const std::string& figure_stem,
                                       const std::string& figure_title) {
  const std::string file = table.source();
  report::KmComparison out;
  KmRequest km;
  km.csv = file;
  km.columns = adtte_columns(group, reference);
  km.times = landmarks;
  out.km = km_analysis(table, km);
  out.km_command = "sirtkit km " + columns_flags(file, km.columns) +
                   (landmarks.empty() ? "" : " --times " + join_numbers(landmarks)) + " --json";
  LogRankRequest lr;
  lr.csv = file;
  lr.columns = km.columns;
  try {
    out.logrank = log_rank_analysis(table, lr);
  } catch (const Error& e) {  // one group, or no event: no test, and why
    out.logrank_refused = e.what();
  }
  out.logrank_command = "sirtkit logrank " + columns_flags(file, lr.columns) + " --json";
  CoxRequest cox;
  cox.csv = file;
  cox.columns = adtte_columns("", "");
  cox.columns.reference_levels = km.columns.reference_levels;
  cox.covariates.covariates = {group};
  cox.covariates.factors = {group};
  // A Cox model, or why there is none (e.g. one group), and its command.
  const auto fit = [&](const CoxRequest& c) {
    report::CoxComparison r;
    try {
      r.cox = cox_analysis(table, c);
    } catch (const Error& e) {
      r.refused = e.what();
    }
    r.command = "sirtkit cox " + columns_flags(file, c.columns) + " --covariates " + join_text(c.covariates.covariates) +
                " --factor " + join_text(c.covariates.factors) + " --json";
    return r;
  };
  out.cox = fit(cox);
  if (adjusted && !adjusted->covariates.empty()) {
    CoxRequest adj = cox;
    for (const auto& c : adjusted->covariates) adj.covariates.covariates.push_back(c);
    for (const auto& f : adjusted->factors) adj.covariates.factors.push_back(f);
    out.adjusted_cox = fit(adj);
  }
  report::KmPlotRequest plot;
  plot.time_label = cx.time_label;
  if (out.logrank) plot.test_p = out.logrank->result.p_value;
  plot.title = figure_title;
  plot.time_column = km.columns.time;
  plot.group_column = km.columns.group;
  const report::OutputFiles files = report::km_plot_files(out.km, plot);
  out.figure = "figures/" + figure_stem + ".svg";
  cx.figures.push_back({out.figure, files.front().second, figure_title});
  return out;
}

report::TableOneSection table_one_section(Context& cx) {
  const SapTableOne& t = *cx.plan.table_one;
  // Every allocated patient: the OS data set from the index date (no one is
  // left out for lack of a treatment), one row per patient.
  registry::TteOptions o = tte_options(cx.plan, "os");
  o.origin = registry::Origin::index_date;
  const registry::TteDataSet d = registry::derive_time_to_event(cx.store, o);
  const io::CsvTable& table = cx.data.add("baseline", registry::adtte_csv(d, true), "one row per allocated patient (OS data set from the index date): baseline columns", d.excluded);
  TableOneOptions opt;
  opt.by = kArm;
  opt.variables = t.variables;
  opt.factors = t.factors;
  opt.nonnormal = t.nonnormal;
  report::TableOneSection out;
  out.table = build_table_one(table, opt);
  out.command = "sirtkit table1 " + table.source() + " --by " + kArm + " --vars " + join_text(t.variables) +
                (t.factors.empty() ? "" : " --factors " + join_text(t.factors)) +
                (t.nonnormal.empty() ? "" : " --nonnormal " + join_text(t.nonnormal)) + " --json";
  return out;
}

// Responders among the patients of each arm, with exact (Clopper-Pearson)
// intervals, and Fisher's exact test across arms.
report::RateByArm rate_by_arm(const std::map<std::string, std::pair<int, int>>& yes_n, const std::vector<std::string>& arm_order) {
  report::RateByArm out;
  std::string table;
  for (const auto& arm : arm_order) {
    const auto it = yes_n.find(arm);
    if (it == yes_n.end()) continue;
    const auto [x, n] = it->second;
    ProportionRequest pr;
    pr.x = x;
    pr.n = n;
    out.arms.push_back({arm, proportion_result(pr), fmt::format("sirtkit proportion --x {} --n {} --json", x, n)});
    table += (table.empty() ? "" : "/") + fmt::format("{},{}", x, n - x);
  }
  if (out.arms.size() >= 2) {
    out.test = fisher_result(parse_count_table(table));
    out.test_command = "sirtkit fisher --table " + table + " --json";
  }
  return out;
}

// The arms in the report's order: the control arm first, then R's order.
std::vector<std::string> arm_order(const registry::StudyFlow& flow, const std::string& control) {
  std::vector<std::string> arms;
  for (const auto& a : flow.arms)
    if (!a.arm.empty()) arms.push_back(a.arm);
  if (!control.empty()) {
    const auto at = std::find(arms.begin(), arms.end(), control);
    if (at == arms.end()) fail_input("SAP", "control_arm", control, "an arm of the registry study (" + join_text(arms) + ")");
    std::rotate(arms.begin(), at, at + 1);
  }
  return arms;
}

registry::ResponseDataSet response_data(Context& cx, const std::string& criteria, const std::vector<int>& landmarks,
                                        int window_days) {
  registry::ResponseDerivationOptions o;
  o.criteria = registry::parse_response_criteria(criteria);
  o.landmark_days = landmarks;
  o.window_days = window_days;
  o.study = cx.plan.study;
  return registry::derive_tumour_response(cx.store, o);
}

// Patients with a row of `paramcd` (and `avisit` if given) per arm, and those whose value is in `yes`.
std::map<std::string, std::pair<int, int>> count_rows(const registry::ResponseDataSet& d, const std::string& paramcd,
                                                      const std::string& avisit, const std::vector<std::string>& yes) {
  std::map<std::string, std::pair<int, int>> out;
  for (const auto& r : d.records) {
    if (r.paramcd != paramcd || (!avisit.empty() && r.avisit != avisit)) continue;
    auto& [x, n] = out[r.trt01p];
    ++n;
    if (std::find(yes.begin(), yes.end(), r.avalc) != yes.end()) ++x;
  }
  return out;
}

report::PrimarySection primary_section(Context& cx, const std::vector<std::string>& arms) {
  const SapPrimary& p = *cx.plan.primary;
  report::PrimarySection out;
  out.endpoint = p.endpoint;
  if (p.endpoint == "response") {
    std::vector<int> landmarks;
    if (p.landmark_day) landmarks.push_back(*p.landmark_day);
    const registry::ResponseDataSet d = response_data(cx, p.criteria, landmarks, p.window_days);
    cx.data.add("adrs_primary", registry::adrs_csv(d), "tumour response (ADRS), " + d.criteria, d.excluded);
    const std::string avisit = p.landmark_day ? "DAY " + std::to_string(*p.landmark_day) : "";
    out.criteria = d.criteria;
    out.landmark_day = p.landmark_day;
    out.window_days = p.window_days;
    out.definition = p.landmark_day ? fmt::format("objective response (CR or PR) by {} at day {} ± {} after the first treatment",
                                                  d.criteria, *p.landmark_day, p.window_days)
                                    : fmt::format("best overall response CR or PR by {}", d.criteria);
    out.rate = rate_by_arm(count_rows(d, p.landmark_day ? "LMRESP" : "BOR", avisit, {"CR", "PR"}), arms);
    return out;
  }
  const registry::TteDataSet d = registry::derive_time_to_event(cx.store, tte_options(cx.plan, p.endpoint));
  const io::CsvTable& table = cx.data.add("adtte_primary_" + p.endpoint, registry::adtte_csv(d, true),
                                          endpoint_label(p.endpoint) + " (ADTTE, months)", d.excluded);
  out.definition = fmt::format("{} rate at {} months (Kaplan-Meier)", endpoint_label(p.endpoint), *p.landmark_months);
  out.landmark_months = *p.landmark_months;
  out.analysis = compare_groups(cx, table, kArm, cx.plan.control_arm, {*p.landmark_months}, nullptr,
                                "km_primary_" + p.endpoint, endpoint_label(p.endpoint) + " by arm");
  return out;
}

std::vector<report::ResponseSection> response_section(Context& cx, const std::vector<std::string>& arms) {
  std::vector<report::ResponseSection> out;
  for (const auto& criteria : cx.plan.response->criteria) {
    const registry::ResponseDataSet d = response_data(cx, criteria, {}, 30);
    cx.data.add("adrs_" + criteria, registry::adrs_csv(d), "tumour response (ADRS), " + d.criteria, d.excluded);
    report::ResponseSection c;
    c.criteria = d.criteria;
    c.file = "data/adrs_" + criteria + ".csv";
    // Best overall response categories per arm (admiralonco's order).
    c.categories = {"CR", "PR", "SD", "NON-CR/NON-PD", "PD", "NE", "MISSING"};
    for (const auto& arm : arms) c.best_response[arm];
    for (const auto& r : d.records)
      if (r.paramcd == "BOR" && c.best_response.contains(r.trt01p)) ++c.best_response[r.trt01p][r.avalc];
    c.orr = rate_by_arm(count_rows(d, "RSP", "", {"Y"}), arms);
    c.dcr = rate_by_arm(count_rows(d, "DCR", "", {"Y"}), arms);
    out.push_back(std::move(c));
  }
  return out;
}

report::AdverseEventSection adverse_event_section(Context& cx, const registry::StudyFlow& flow, const std::vector<std::string>& arms) {
  const std::vector<registry::ArmAdverseEvent> all = registry::adverse_event_list(cx.store, cx.plan.study);
  report::AdverseEventSection out;
  out.population = "patients with at least one treatment recorded (safety population)";
  for (std::size_t k = 0; k < arms.size(); ++k) {
    const auto flow_arm = std::find_if(flow.arms.begin(), flow.arms.end(), [&](const auto& a) { return a.arm == arms[k]; });
    const int population = flow_arm->received_sirt + flow_arm->received_other_only;
    std::vector<clinical::AdverseEvent> events;
    std::string csv = "patient_id,term,grade\n";
    for (const auto& e : all) {
      if (e.arm != arms[k]) continue;
      events.push_back({e.pseudonym, e.term, e.grade, std::nullopt, "registry adverse_events"});
      csv += csv_line({e.pseudonym, e.term, std::to_string(e.grade)});
    }
    const std::string stem = fmt::format("ae_arm{}", k + 1);
    cx.data.add(stem, csv, "adverse events of arm " + arms[k], {});
    out.arms.push_back({arms[k], population, clinical::adverse_event_table(events),
                        fmt::format("sirtkit ae-table data/{}.csv --n {} --json", stem, population)});
  }
  return out;
}

std::vector<report::DoseResponseSection> dose_response_section(Context& cx) {
  std::vector<report::DoseResponseSection> out;
  for (const auto& dr : cx.plan.dose_response) {
    registry::TteOptions o = tte_options(cx.plan, dr.endpoint);
    o.dose_source = dr.source == "planned" ? registry::DoseSource::planned : registry::DoseSource::verified;
    const bool tumour = dr.dose == "tumour";
    (tumour ? o.dose_threshold_gy : o.normal_liver_threshold_gy) = dr.threshold_gy;
    const registry::TteDataSet d = registry::derive_time_to_event(cx.store, o);
    const std::string threshold = fmt::format("{}", dr.threshold_gy);
    const std::string stem = fmt::format("adtte_{}_{}_{}_{}", dr.endpoint, dr.dose, threshold, dr.source);
    const std::string what = fmt::format("{} by {} {} dose (>= / < {} Gy)", endpoint_label(dr.endpoint), dr.source,
                                         tumour ? "tumour" : "perfused normal-liver", threshold);
    const io::CsvTable& table = cx.data.add(stem, registry::adtte_csv(d, true), what, d.excluded);
    out.push_back({what, dr.endpoint, dr.dose, dr.source, dr.threshold_gy,
                   compare_groups(cx, table, tumour ? "TDOSEGR" : "NLDOSEGR", "<" + threshold + " Gy", {}, nullptr,
                                  "km_" + stem.substr(6), what)});
  }
  return out;
}

report::SubgroupSection subgroup_section(Context& cx, const io::CsvTable& table) {
  const SapSubgroups& s = *cx.plan.subgroups;
  SubgroupRequest rq;
  rq.csv = table.source();
  rq.columns = adtte_columns(kArm, cx.plan.control_arm);
  rq.by = s.by;
  report::SubgroupSection out;
  out.endpoint = s.endpoint;
  out.result = subgroup_effects(table, rq);
  out.command = "sirtkit subgroups " + columns_flags(table.source(), rq.columns) + " --by " + join_text(s.by) + " --json";
  const report::OutputFiles files = report::subgroup_forest_files(out.result, rq.columns.group);
  out.figure = "figures/forest_" + s.endpoint + ".svg";
  cx.figures.push_back({out.figure, files.front().second, endpoint_label(s.endpoint) + ": hazard ratio by subgroup"});
  return out;
}

std::vector<report::FlowArm> flow_arms(const registry::StudyFlow& flow) {
  std::vector<report::FlowArm> arms;
  for (const auto& a : flow.arms) arms.push_back({a.arm, a.allocated, a.received_sirt, a.received_other_only, a.untreated});
  return arms;
}

std::string registry_name(const std::string& db) {
  if (db.rfind("postgres", 0) == 0) return "PostgreSQL database";  // never the URI: it may hold a password
  return "SQLite file " + fs::path(db).filename().string();
}

}  // namespace

report::AnalysisReport run_analysis_report(const AnalysisReportRequest& rq) {
  const AnalysisPlan plan = read_analysis_plan(rq.sap);
  const auto store = registry::open_store(rq.db, false);
  const registry::StudyFlow flow = registry::study_flow(*store, plan.study);
  if (flow.registered == 0) fail_input(rq.db, "study", plan.study.empty() ? "(every study)" : plan.study, "a study with patients");

  report::AnalysisReport r;
  r.arms = arm_order(flow, plan.control_arm);
  const std::vector<std::string>& arms = r.arms;
  OutputFolder folder(rq.out_dir);
  DataSets data(folder);
  Context cx{plan, *store, data, r.figures,
             plan.origin == "index" ? "Months since randomisation (index date)" : "Months since first treatment"};

  r.title = plan.title;
  r.created_utc = format_iso(now_utc());
  r.operator_name = rq.operator_name.empty() ? os_user_name() : rq.operator_name;
  r.software = "sirtkit " + version_long();
  r.sap_file = rq.sap.filename().string();
  r.sap_sha256 = io::sha256_of_path(rq.sap);
  r.registry_source = registry_name(rq.db);
  r.schema_version = registry::schema_version(*store);
  r.study = plan.study;
  r.origin = plan.origin;
  r.censor_at_surgery = plan.censor_at_surgery;
  r.registered = flow.registered;
  r.flow = flow_arms(flow);
  if (plan.table_one) r.table_one = table_one_section(cx);
  if (plan.primary) r.primary = primary_section(cx, arms);
  std::map<std::string, const io::CsvTable*> by_endpoint;
  for (const auto& s : plan.survival) {
    const registry::TteDataSet d = registry::derive_time_to_event(*store, tte_options(plan, s.endpoint));
    const io::CsvTable& table = data.add("adtte_" + s.endpoint, registry::adtte_csv(d, true),
                                         endpoint_label(s.endpoint) + " (ADTTE, months)", d.excluded);
    by_endpoint[s.endpoint] = &table;
    r.survival.push_back({s.endpoint, endpoint_label(s.endpoint), table.source(),
                          compare_groups(cx, table, kArm, plan.control_arm, s.landmarks_months, &s, "km_" + s.endpoint,
                                         endpoint_label(s.endpoint) + " by arm")});
  }
  if (plan.follow_up) {
    // Median follow-up by the reverse Kaplan-Meier method (Schemper & Smith,
    // Control Clin Trials 1996;17:343): `sirtkit km` reports it with every curve.
    const auto os = by_endpoint.find("os");
    r.follow_up.emplace();
    if (os != by_endpoint.end()) *r.follow_up = report::FollowUpSection{"reverse Kaplan-Meier (OS data set)", os->second->source()};
  }
  if (plan.subgroups) {
    auto it = by_endpoint.find(plan.subgroups->endpoint);
    if (it == by_endpoint.end()) {
      const registry::TteDataSet d = registry::derive_time_to_event(*store, tte_options(plan, plan.subgroups->endpoint));
      it = by_endpoint.emplace(plan.subgroups->endpoint,
                               &data.add("adtte_" + plan.subgroups->endpoint, registry::adtte_csv(d, true),
                                         endpoint_label(plan.subgroups->endpoint) + " (ADTTE, months)", d.excluded))
               .first;
    }
    r.subgroups = subgroup_section(cx, *it->second);
  }
  if (plan.response) r.response = response_section(cx, arms);
  if (plan.adverse_events) r.adverse_events = adverse_event_section(cx, flow, arms);
  r.dose_response = dose_response_section(cx);
  r.data_sets = data.list();

  for (const auto& [name, bytes] : report::analysis_report_files(r)) folder.write(name, bytes);
  folder.commit();
  return r;
}

}  // namespace sirtkit::pipelines
