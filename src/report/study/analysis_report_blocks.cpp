#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "core/format.h"
#include "report/study/analysis_report.h"

namespace sirtkit::report {

namespace {

using nlohmann::json;
using Kind = ReportBlock::Kind;

double num(const json& j) { return j.is_number() ? j.get<double>() : std::numeric_limits<double>::quiet_NaN(); }

std::string fixed(const json& j, int digits) {
  const double v = num(j);
  return std::isfinite(v) ? fmt::format("{:.{}f}", v, digits) : "NA";
}

std::string percent(const json& j) {
  const double v = num(j);
  return std::isfinite(v) ? fmt::format("{:.1f}", 100 * v) : "NA";
}

// "24.8 (14.8–47.1)": an estimate with its interval; NA for a bound not reached.
std::string with_ci(const json& est, const json& lo, const json& hi, int digits) {
  return fixed(est, digits) + " (" + fixed(lo, digits) + "–" + fixed(hi, digits) + ")";
}

std::string group_label(const std::string& strata) {
  const auto eq = strata.find('=');
  return eq == std::string::npos ? strata : strata.substr(eq + 1);
}

struct Blocks {
  std::vector<ReportBlock> list;
  void heading(const std::string& t) { list.push_back({Kind::heading, t, Tone::plain, {}, {}}); }
  void paragraph(const std::string& t, Tone tone = Tone::plain) { list.push_back({Kind::paragraph, t, tone, {}, {}}); }
  void table(ReportTable t) { list.push_back({Kind::table, {}, Tone::plain, std::move(t), {}}); }
  void figure(const std::string& file, const std::string& caption) { list.push_back({Kind::figure, caption, Tone::plain, {}, file}); }
  void command(const json& j, const char* key) {
    if (j.contains(key) && j[key].is_string()) paragraph("Reproduce: " + j[key].get<std::string>());
  }
};

void flow_blocks(Blocks& b, const json& r) {
  b.heading("Patient flow (CONSORT)");
  ReportTable t{{"arm", "allocated", "received SIRT", "other treatment only", "no treatment"}, {}, {1.6, 1, 1, 1.4, 1}};
  for (const auto& a : r["flow"]["arms"])
    t.rows.push_back({text_cell(a["arm"].is_null() ? "(no arm)" : a["arm"].get<std::string>()),
                      text_cell(std::to_string(a["allocated"].get<int>())), text_cell(std::to_string(a["received_sirt"].get<int>())),
                      text_cell(std::to_string(a["received_other_only"].get<int>())), text_cell(std::to_string(a["untreated"].get<int>()))});
  t.rows.push_back({text_cell("registered"), text_cell(std::to_string(r["flow"]["registered"].get<int>())), {}, {}, {}});
  b.table(t);
  ReportTable sets{{"analysis data set", "content", "rows", "left out (reason: n)"}, {}, {2.2, 2.6, 0.5, 1.6}};
  for (const auto& d : r["data_sets"]) {
    std::string excluded;
    for (const auto& [why, n] : d["excluded"].items()) excluded += (excluded.empty() ? "" : "; ") + why + ": " + std::to_string(n.get<int>());
    sets.rows.push_back({text_cell(d["file"].get<std::string>()), text_cell(d["what"].get<std::string>()),
                         text_cell(std::to_string(d["rows"].get<int>())), text_cell(excluded.empty() ? "none" : excluded)});
  }
  b.table(sets);
}

void table_one_blocks(Blocks& b, const json& t) {
  b.heading("Baseline characteristics by arm (Table 1)");
  ReportTable table;
  table.header = t["display"]["header"].get<std::vector<std::string>>();
  table.widths.assign(table.header.size(), 1.0);
  table.widths.front() = 1.8;
  table.widths.back() = 0.8;
  for (const auto& row : t["display"]["rows"]) {
    std::vector<Cell> cells;
    for (const auto& c : row) cells.push_back(text_cell(c.get<std::string>()));
    table.rows.push_back(cells);
  }
  b.table(table);
  b.paragraph("Categorical: n (% of the arm's non-missing values), Fisher's exact test; continuous: mean ± SD, Welch's t-test; "
              "non-normal: median [Q1, Q3], Wilcoxon rank-sum test.");
  b.command(t, "command");
}

// Responders / n and rate with the exact 95 % CI per arm, and the test across arms.
void rate_blocks(Blocks& b, const json& rate, const std::string& what) {
  ReportTable t{{"arm", what + " / n", "rate % (95 % CI, exact)"}, {}, {2, 1, 2}};
  for (const auto& a : rate["arms"]) {
    const json& res = a["result"];
    t.rows.push_back({text_cell(a["arm"].get<std::string>()), text_cell(fmt::format("{} / {}", a["x"].get<int>(), a["n"].get<int>())),
                      text_cell(percent(res["estimate"]) + " (" + percent(res["conf_int"]["lower"]) + "–" +
                                percent(res["conf_int"]["upper"]) + ")")});
  }
  b.table(t);
  if (!rate["test"].is_null())
    b.paragraph("Fisher's exact test across arms: p = " + report_p_value(num(rate["test"]["p_value"])) + ". Reproduce: " +
                rate["test_command"].get<std::string>());
}

std::string times_text(double t) { return fmt::format("{:g}", t); }

// Kaplan-Meier by group, log-rank, Cox HR and the figure.
void comparison_blocks(Blocks& b, const json& a) {
  const json& km = a["km"];
  std::vector<double> times;
  if (km["curves"].size() > 1)
    for (const auto& at : km["curves"][1]["at_times"]) times.push_back(num(at["time"]));
  ReportTable t{{"group", "n", "events", "median, months (95 % CI)"}, {}, {1.6, 0.5, 0.7, 1.8}};
  for (double x : times) {
    t.header.push_back("rate at " + times_text(x) + " months, % (95 % CI)");
    t.widths.push_back(1.8);
  }
  for (std::size_t c = km["curves"].size() > 1 ? 1 : 0; c < km["curves"].size(); ++c) {
    const json& curve = km["curves"][c];
    std::vector<Cell> row{text_cell(group_label(curve["strata"].get<std::string>())), text_cell(std::to_string(curve["n"].get<int>())),
                          text_cell(std::to_string(curve["events"].get<int>())),
                          text_cell(with_ci(curve["median"]["median"], curve["median"]["lower"], curve["median"]["upper"], 1))};
    for (const auto& at : curve["at_times"])
      row.push_back(text_cell(percent(at["surv"]) + " (" + percent(at["lower"]) + "–" + percent(at["upper"]) + ")"));
    t.rows.push_back(row);
  }
  if (km.value("rows_dropped", 0) > 0) t.rows.push_back({text_cell(fmt::format("left out (a value missing): {}", km["rows_dropped"].get<int>()))});
  b.table(t);
  if (!a["logrank"].is_null())
    b.paragraph(fmt::format("Log-rank test: chi-square {:.2f} on {} df, p = {}.", num(a["logrank"]["chisq"]), a["logrank"]["df"].get<int>(),
                            report_p_value(num(a["logrank"]["p"]))));
  else if (a.contains("logrank_refused"))
    b.paragraph("No log-rank test: " + a["logrank_refused"].get<std::string>());
  for (const char* key : {"cox", "adjusted_cox"}) {
    if (!a.contains(key)) continue;
    if (a[key].is_null()) {
      b.paragraph(std::string("No Cox model: ") + a[std::string(key) + "_refused"].get<std::string>());
      continue;
    }
    const json& cox = a[key];
    ReportTable ct{{std::string(key) == "cox" ? "Cox model term" : "adjusted Cox model term", "hazard ratio (95 % CI)", "p"}, {}, {2.5, 2, 1}};
    for (std::size_t k = 0; k < cox["terms"].size(); ++k)
      ct.rows.push_back({text_cell(cox["terms"][k].get<std::string>()),
                         text_cell(with_ci(cox["hr"][k], cox["hr_lower"][k], cox["hr_upper"][k], 2)),
                         text_cell(report_p_value(num(cox["p"][k])))});
    b.table(ct);
  }
  b.figure(a["figure"].get<std::string>(), a.value("label", std::string()));
  b.command(a, "km_command");
  b.command(a, "logrank_command");
  b.command(a, "cox_command");
  b.command(a, "adjusted_cox_command");
}

void primary_blocks(Blocks& b, const json& p) {
  b.heading("Primary endpoint");
  b.paragraph(p["definition"].get<std::string>() + ".");
  if (p.contains("rate")) rate_blocks(b, p["rate"], "responders");
  else comparison_blocks(b, p["analysis"]);
}

void follow_up_blocks(Blocks& b, const json& r) {
  for (const auto& s : r["survival"])
    if (s["endpoint"] == "os") {
      const json& f = s["km"]["reverse_km_median_followup"];
      b.paragraph("Median follow-up (reverse Kaplan-Meier, OS data set): " + with_ci(f["median"], f["lower"], f["upper"], 1) + " months.");
    }
}

void subgroup_blocks(Blocks& b, const json& s) {
  b.heading("Subgroups");
  ReportTable t{{"subgroup", "n", "events", "hazard ratio (95 % CI)", "p", "interaction p"}, {}, {2.4, 0.6, 0.7, 2, 0.8, 1}};
  const json& res = s["result"];
  for (const auto& g : res["subgroups"]) {
    t.rows.push_back({text_cell(g["by"].get<std::string>()), {}, {}, {}, {},
                      text_cell(g["interaction"]["df"].get<int>() > 0 ? report_p_value(num(g["interaction"]["p"])) : "NA")});
    for (const auto& l : g["levels"])
      t.rows.push_back({text_cell("  " + l["level"].get<std::string>()), text_cell(std::to_string(l["n"].get<int>())),
                        text_cell(std::to_string(l["events"].get<int>())),
                        text_cell(l["estimable"].get<bool>() ? with_ci(l["hr"], l["hr_lower"], l["hr_upper"], 2) : "not estimable"),
                        text_cell(l["estimable"].get<bool>() ? report_p_value(num(l["p"])) : ""), {}});
  }
  if (!res["subgroups"].empty()) {
    const json& o = res["subgroups"][0]["overall"];
    t.rows.push_back({text_cell("overall"), text_cell(std::to_string(o["n"].get<int>())), text_cell(std::to_string(o["events"].get<int>())),
                      text_cell(with_ci(o["hr"], o["hr_lower"], o["hr_upper"], 2)), text_cell(report_p_value(num(o["p"]))), {}});
    b.paragraph("Hazard ratio of " + res["subgroups"][0]["effect"].get<std::string>() +
                " within each subgroup; interaction by likelihood-ratio test.");
  }
  b.table(t);
  b.figure(s["figure"].get<std::string>(), "Hazard ratio by subgroup");
  b.command(s, "command");
}

void response_blocks(Blocks& b, const json& list) {
  b.heading("Tumour response");
  for (const auto& c : list) {
    const std::string criteria = c["criteria"].get<std::string>();
    b.paragraph("Best overall response by " + criteria + " (data set " + c["file"].get<std::string>() + ").");
    ReportTable t{{"best overall response"}, {}, {}};
    std::vector<std::string> arms;
    std::vector<int> totals;
    for (const auto& [arm, counts] : c["best_response"].items()) {
      arms.push_back(arm);
      int n = 0;
      for (const auto& [cat, k] : counts.items()) n += k.get<int>();
      totals.push_back(n);
      t.header.push_back(fmt::format("{} (n = {}), n (%)", arm, n));
    }
    for (const auto& cat : c["categories"]) {
      std::vector<Cell> row{text_cell(cat.get<std::string>())};
      bool any = false;
      for (std::size_t k = 0; k < arms.size(); ++k) {
        const int n = c["best_response"][arms[k]].value(cat.get<std::string>(), 0);
        any = any || n > 0;
        row.push_back(text_cell(count_percent(n, totals[k])));
      }
      if (any) t.rows.push_back(row);
    }
    b.table(t);
    b.paragraph("Objective response (CR or PR), " + criteria + ":");
    rate_blocks(b, c["orr"], "responders");
    b.paragraph("Disease control (CR, PR, SD or non-CR/non-PD), " + criteria + ":");
    rate_blocks(b, c["dcr"], "controlled");
  }
}

void adverse_event_blocks(Blocks& b, const json& ae) {
  b.heading("Adverse events by worst CTCAE v5.0 grade");
  b.paragraph("Patients by worst grade of each term; percentages of the " + ae["population"].get<std::string>() + ".");
  for (const auto& arm : ae["arms"]) {
    const int n = arm["population"].get<int>();
    const auto pct = [n](int k) { return count_percent(k, n); };
    ReportTable t{{fmt::format("{} (n = {})", arm["arm"].get<std::string>(), n), "any grade", "grade 1–2", "grade 3", "grade 4", "grade 5"},
                  {}, {2.4, 1, 1, 1, 1, 1}};
    for (const auto& r : arm["terms"])
      t.rows.push_back({text_cell(r["term"].get<std::string>()), text_cell(pct(r["any"].get<int>())), text_cell(pct(r["grade_1_2"].get<int>())),
                        text_cell(pct(r["grade_3"].get<int>())), text_cell(pct(r["grade_4"].get<int>())), text_cell(pct(r["grade_5"].get<int>()))});
    if (t.rows.empty()) t.rows.push_back({text_cell("no adverse event recorded"), {}, {}, {}, {}, {}});
    b.table(t);
    b.command(arm, "command");
  }
}

void methods_blocks(Blocks& b, const json& r) {
  b.heading("Methods");
  b.paragraph(
      "Time-to-event endpoints were derived from the registry as ADaM ADTTE data sets (OS: death from any cause; PFS: progression "
      "or death; TTP: progression, deaths censored), from the " +
      std::string(r["population"]["origin"] == "index" ? "index date (randomisation)" : "first treatment") +
      (r["population"]["censor_at_surgery"].get<bool>() ? ", censored at resection or transplant" : "") +
      ", in months of 365.25/12 days. Survival was estimated by Kaplan-Meier with log-transformed 95 % confidence intervals "
      "(R survfit defaults), medians with the interval where those limits cross 0.5 (as survfit prints it), compared by the log-rank test (survdiff) and Cox "
      "proportional hazards regression with Efron ties and Wald intervals (coxph), the reference arm being " +
      r["population"]["control_arm"].get<std::string>() +
      ". Subgroup hazard ratios come from separate Cox models per level, interactions from likelihood-ratio tests. Median "
      "follow-up is by the reverse Kaplan-Meier method. Proportions carry exact Clopper-Pearson intervals (binom.test) and are "
      "compared by Fisher's exact test (fisher.test); Table 1 uses Fisher's exact and Welch's t-tests. Tumour response follows "
      "RECIST 1.1 and mRECIST as derived in ADRS (best overall response without confirmation). Adverse events are counted by "
      "the worst CTCAE v5.0 grade per patient and term. All numbers were computed by " +
      r["software"].get<std::string>() +
      ", whose statistics equal R's survival and stats packages (docs/stats.md); every analysis can be reproduced from the data "
      "sets beside this report with the command given under it.");
}

}  // namespace

std::string report_p_value(double p) {
  if (std::isnan(p)) return "NA";
  if (p < 1e-4) return "< 0.0001";
  return fmt::format("{:.4f}", p);
}

std::vector<ReportBlock> analysis_report_blocks(const json& r) {
  Blocks b;
  std::string header = "Created " + r["created_utc"].get<std::string>() + " by " + r["operator"].get<std::string>() + " with " +
                       r["software"].get<std::string>() + ". Statistical analysis plan " + r["sap"]["file"].get<std::string>() +
                       " (SHA-256 " + r["sap"]["sha256"].get<std::string>() + "). Registry: " + r["registry"]["source"].get<std::string>() +
                       ", schema version " + std::to_string(r["registry"]["schema_version"].get<int>()) +
                       (r["registry"]["study"].is_null() ? ", every study" : ", study " + r["registry"]["study"].get<std::string>()) + ".";
  b.paragraph(header);
  flow_blocks(b, r);
  if (r.contains("table1")) table_one_blocks(b, r["table1"]);
  if (r.contains("primary")) primary_blocks(b, r["primary"]);
  for (const auto& s : r["survival"]) {
    b.heading(s["label"].get<std::string>());
    comparison_blocks(b, s);
  }
  if (r.contains("follow_up") && !r["follow_up"].is_null()) {
    b.heading("Follow-up");
    follow_up_blocks(b, r);
  }
  if (r.contains("subgroups")) subgroup_blocks(b, r["subgroups"]);
  if (r.contains("response")) response_blocks(b, r["response"]);
  if (r.contains("adverse_events")) adverse_event_blocks(b, r["adverse_events"]);
  if (r.contains("dose_response"))
    for (const auto& d : r["dose_response"]) {
      b.heading("Dose–response: " + d["label"].get<std::string>());
      comparison_blocks(b, d);
    }
  methods_blocks(b, r);
  b.heading("Analysis data sets");
  ReportTable sets{{"file", "SHA-256"}, {}, {1, 2.6}};
  for (const auto& d : r["data_sets"]) sets.rows.push_back({text_cell(d["file"].get<std::string>()), text_cell(d["sha256"].get<std::string>())});
  b.table(sets);
  return b.list;
}

}  // namespace sirtkit::report
