#include "report/study/analysis_results.h"

#include <fmt/format.h>

#include "report/command_output.h"

namespace sirtkit::report {
namespace {

using nlohmann::json;

void add_cox(json& out, const std::string& key, const CoxComparison& c) {
  out[key] = c.cox ? cox_json(*c.cox) : json(nullptr);
  if (!c.cox) out[key + "_refused"] = c.refused;
  out[key + "_command"] = c.command;
}

json comparison_json(const KmComparison& g) {
  json out;
  out["km"] = km_json(g.km);
  out["km_command"] = g.km_command;
  out["logrank"] = g.logrank ? log_rank_json(*g.logrank) : json(nullptr);
  if (!g.logrank) out["logrank_refused"] = g.logrank_refused;
  out["logrank_command"] = g.logrank_command;
  add_cox(out, "cox", g.cox);
  if (g.adjusted_cox) add_cox(out, "adjusted_cox", *g.adjusted_cox);
  out["figure"] = g.figure;
  return out;
}

json rate_json(const RateByArm& r) {
  json out;
  out["arms"] = json::array();
  for (const auto& a : r.arms)
    out["arms"].push_back({{"arm", a.arm}, {"x", a.result.x}, {"n", a.result.n}, {"result", proportion_json(a.result)}, {"command", a.command}});
  if (r.test) {
    out["test"] = fisher_json(*r.test);
    out["test_command"] = r.test_command;
  } else {
    out["test"] = nullptr;
  }
  return out;
}

json table_one_section_json(const TableOneSection& t) {
  json out = table_one_json(t.table);
  const TableOneDisplay d = table_one_display(t.table);
  out["display"] = {{"header", d.header}, {"rows", d.rows}};
  out["command"] = t.command;
  return out;
}

json primary_json(const PrimarySection& p) {
  json out = {{"endpoint", p.endpoint}, {"definition", p.definition}};
  if (p.endpoint == "response") {
    out["criteria"] = p.criteria;
    out["landmark_day"] = p.landmark_day ? json(*p.landmark_day) : json(nullptr);
    out["window_days"] = p.window_days;
    out["rate"] = rate_json(p.rate);
  } else {
    out["landmark_months"] = p.landmark_months;
    out["analysis"] = comparison_json(p.analysis);
  }
  return out;
}

json response_json(const std::vector<ResponseSection>& sections) {
  json out = json::array();
  for (const auto& r : sections) {
    json bor = json::object();
    for (const auto& [arm, counts] : r.best_response) {
      bor[arm] = json::object();
      for (const auto& [category, n] : counts) bor[arm][category] = n;
    }
    out.push_back({{"criteria", r.criteria}, {"file", r.file}, {"categories", r.categories}, {"best_response", bor},
                   {"orr", rate_json(r.orr)}, {"dcr", rate_json(r.dcr)}});
  }
  return out;
}

json adverse_event_json(const AdverseEventSection& s) {
  json out = {{"population", s.population}, {"arms", json::array()}};
  for (const auto& a : s.arms) {
    json rows = json::array();
    for (const auto& r : a.terms)
      rows.push_back({{"term", r.term}, {"any", r.any}, {"grade_1_2", r.grade_1_2}, {"grade_3", r.grade_3}, {"grade_4", r.grade_4},
                      {"grade_5", r.grade_5}});
    out["arms"].push_back({{"arm", a.arm}, {"population", a.population}, {"terms", rows}, {"command", a.command}});
  }
  return out;
}

json flow_json(const AnalysisReport& r) {
  json arms = json::array();
  for (const auto& a : r.flow)
    arms.push_back({{"arm", a.arm.empty() ? json(nullptr) : json(a.arm)}, {"allocated", a.allocated}, {"received_sirt", a.received_sirt},
                    {"received_other_only", a.received_other_only}, {"untreated", a.untreated}});
  return {{"registered", r.registered}, {"arms", arms}};
}

json data_sets_json(const std::vector<AnalysisDataSet>& sets) {
  json out = json::array();
  for (const auto& d : sets) {
    json reasons = json::object();
    for (const auto& [why, n] : d.excluded) reasons[why] = n;
    out.push_back({{"file", d.file}, {"what", d.what}, {"sha256", d.sha256}, {"excluded", reasons}, {"rows", d.rows}});
  }
  return out;
}

}  // namespace

json analysis_report_json(const AnalysisReport& r) {
  json j;
  j["command"] = "report";
  j["title"] = r.title;
  j["created_utc"] = r.created_utc;
  j["operator"] = r.operator_name;
  j["software"] = r.software;
  j["sap"] = {{"file", r.sap_file}, {"sha256", r.sap_sha256}};
  j["registry"] = {{"source", r.registry_source}, {"schema_version", r.schema_version},
                   {"study", r.study.empty() ? json(nullptr) : json(r.study)}};
  j["population"] = {{"origin", r.origin}, {"censor_at_surgery", r.censor_at_surgery}, {"control_arm", r.arms.front()},
                     {"arms", r.arms}, {"time_unit", "months (365.25/12 days)"}};
  j["flow"] = flow_json(r);
  if (r.table_one) j["table1"] = table_one_section_json(*r.table_one);
  if (r.primary) j["primary"] = primary_json(*r.primary);
  j["survival"] = json::array();
  for (const auto& s : r.survival) {
    json a = comparison_json(s.analysis);
    a["endpoint"] = s.endpoint;
    a["label"] = s.label;
    a["file"] = s.file;
    j["survival"].push_back(a);
  }
  if (r.follow_up)
    j["follow_up"] = *r.follow_up ? json{{"method", (*r.follow_up)->method}, {"file", (*r.follow_up)->file}} : json(nullptr);
  if (r.subgroups)
    j["subgroups"] = {{"endpoint", r.subgroups->endpoint}, {"result", subgroup_effects_json(r.subgroups->result)},
                      {"command", r.subgroups->command}, {"figure", r.subgroups->figure}};
  if (r.response) j["response"] = response_json(*r.response);
  if (r.adverse_events) j["adverse_events"] = adverse_event_json(*r.adverse_events);
  if (!r.dose_response.empty()) {
    j["dose_response"] = json::array();
    for (const auto& d : r.dose_response) {
      json a = comparison_json(d.analysis);
      a["label"] = d.label;
      a["endpoint"] = d.endpoint;
      a["dose"] = d.dose;
      a["source"] = d.source;
      a["threshold_gy"] = d.threshold_gy;
      j["dose_response"].push_back(a);
    }
  }
  j["data_sets"] = data_sets_json(r.data_sets);
  j["figures"] = json::array();
  for (const auto& f : r.figures) j["figures"].push_back(f.file);
  return j;
}

std::vector<std::pair<std::string, std::string>> analysis_report_files(const AnalysisReport& r) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& f : r.figures) files.emplace_back(f.file, f.svg);
  const json j = analysis_report_json(r);
  files.emplace_back("report.json", json_document(j));
  files.emplace_back("report.html", analysis_report_html(j, r.figures));
  files.emplace_back("report.pdf", analysis_report_pdf(j, r.figures));
  return files;
}

std::string analysis_report_text(const AnalysisReport& r, const std::string& out_dir) {
  return fmt::format("{}\n{} patients registered; {} data sets, {} figures\nwrote {}/report.html, report.pdf, report.json, data/, figures/\n",
                     r.title, r.registered, r.data_sets.size(), r.figures.size(), out_dir);
}

}  // namespace sirtkit::report
