#include "pipelines/clinical_response.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "clinical/rule_result.h"
#include "core/error.h"
#include "core/format.h"
#include "core/text.h"

namespace sirtkit::pipelines {
using namespace sirtkit::clinical;

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

double parse_millimetres(const std::string& t, const std::string& where, const char* field) {
  double v = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || p != t.data() + t.size() || !std::isfinite(v))
    fail_input(where, field, shown_value(t), "a number of millimetres");
  return v;
}

LesionStatus parse_status(const std::string& text, LesionKind kind, const std::string& where) {
  const std::string t = lower(trim(text));
  if (t == "ne" || t == "not_evaluated" || t == "not evaluated") return LesionStatus::not_evaluated;
  switch (kind) {
    case LesionKind::target:
      if (t.empty() || t == "measured") return LesionStatus::measured;
      if (t == "tstm" || t == "too_small" || t == "too small to measure") return LesionStatus::too_small;
      if (t == "absent" || t == "disappeared") return LesionStatus::absent;
      fail_input(where, "status", shown_value(text), "for a target: empty (measured), TSTM, absent or NE");
    case LesionKind::non_target:
      if (t == "present" || t == "persisting") return LesionStatus::present;
      if (t == "absent" || t == "disappeared") return LesionStatus::absent;
      if (t == "progression" || t == "pd" || t == "unequivocal_progression") return LesionStatus::progression;
      if (t == "increase" || t == "further_increase") return LesionStatus::increase;
      fail_input(where, "status", shown_value(text), "for a non-target: present, absent, progression, increase or NE");
    case LesionKind::new_lesion:
      if (t == "unequivocal" || t == "yes") return LesionStatus::unequivocal;
      if (t == "equivocal") return LesionStatus::equivocal;
      if (t == "increase" || t == "further_increase") return LesionStatus::increase;
      fail_input(where, "status", shown_value(text), "for a new lesion: unequivocal, equivocal or increase");
  }
  return LesionStatus::not_evaluated;
}

}  // namespace

ResponseReport response_from_csv(const CsvRows& csv, const ResponseOptions& opt) {
  if (opt.criteria != "recist" && opt.criteria != "mrecist" && opt.criteria != "easl" && opt.criteria != "irecist")
    fail_input("response", "criteria", opt.criteria, "recist, mrecist, easl or irecist");
  if (opt.criteria == "irecist" && !opt.landmark_days.empty())
    fail_input("response irecist", "--at-days", std::to_string(opt.landmark_days.front()),
               "landmark responses are computed for recist, mrecist and easl only");
  if (opt.sd_min_days < 0 || opt.confirm_days < 0 || opt.max_ne_between < 0)
    fail_input("response", "options", "negative", "day counts and NE counts of 0 or more");
  const std::size_t c_pid = csv.column("patient") ? *csv.column("patient") : csv.require_column("patient_id");
  const std::size_t c_date = csv.require_column("date");
  const std::size_t c_id = csv.require_column("lesion_id");
  const std::size_t c_kind = csv.require_column("kind");
  const auto c_organ = csv.column("organ"), c_node = csv.column("node"), c_diam = csv.column("diameter_mm"),
             c_status = csv.column("status"), c_start = csv.column("treatment_start"),
             c_perp = csv.column("perpendicular_mm"), c_typical = csv.column("typical_hcc"),
             c_index = csv.column("index_lesion"), c_slice = csv.column("slice_thickness_mm");
  if (opt.index_lesion_only && !c_index)
    fail_input(csv.source, "column", "index_lesion", "a column marking each patient's index lesion (yes)");
  std::map<std::string, std::pair<std::string, std::string>> index_of;  // patient → lesion id, where
  if (opt.criteria == "easl" && !c_perp)
    fail_input(csv.source, "column", "perpendicular_mm", "EASL needs the perpendicular viable diameter of each target");
  if (csv.column("diameter")) fail_input(csv.source, "column", "diameter", "diameter_mm (the unit is part of the name)");

  // patient → date → observations, in file order of patients
  std::vector<std::string> order;
  std::map<std::string, std::map<int, LesionAssessment>> by_patient;
  std::map<std::string, std::pair<Date, std::string>> start;
  std::map<std::string, std::string> first_where;  // patient → "lesions.csv line N" of its first row
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    const auto& row = csv.rows[i];
    const std::string w = csv.where(i);
    const std::string pid = trim(row[c_pid]);
    if (pid.empty()) fail_input(w, "patient_id", "''", "a patient identifier");
    const Date d = parse_date(trim(row[c_date]), w + " date");
    LesionObservation l;
    l.where = w;
    l.lesion_id = trim(row[c_id]);
    l.kind = parse_lesion_kind(trim(row[c_kind]), w + " kind");
    if (c_organ) l.organ = trim(row[*c_organ]);
    if (c_node && !trim(row[*c_node]).empty()) l.lymph_node = parse_yes_no(trim(row[*c_node]), w + " node");
    std::string status = c_status ? trim(row[*c_status]) : "";
    const std::string diam = c_diam ? trim(row[*c_diam]) : "";
    const std::string dl = lower(diam);
    if (dl == "tstm" || dl == "ne") {
      if (!status.empty() && lower(status) != dl)
        fail_input(w, "status", shown_value(status), "consistent with diameter_mm " + diam);
      status = diam;
    } else if (!diam.empty()) {
      double v = 0;
      auto [p, ec] = std::from_chars(diam.data(), diam.data() + diam.size(), v);
      if (ec != std::errc() || p != diam.data() + diam.size() || !std::isfinite(v))
        fail_input(w, "diameter_mm", shown_value(diam), "a number of millimetres, TSTM or NE");
      l.diameter_mm = v;
    }
    if (c_perp && !trim(row[*c_perp]).empty())
      l.perpendicular_mm = parse_millimetres(trim(row[*c_perp]), w, "perpendicular_mm");
    if (c_slice && !trim(row[*c_slice]).empty())
      l.slice_thickness_mm = parse_millimetres(trim(row[*c_slice]), w, "slice_thickness_mm");
    if (c_typical && !trim(row[*c_typical]).empty()) l.typical_hcc = parse_yes_no(trim(row[*c_typical]), w + " typical_hcc");
    if (c_index && !trim(row[*c_index]).empty() && parse_yes_no(trim(row[*c_index]), w + " index_lesion")) {
      if (l.kind != LesionKind::target)
        fail_input(w, "index_lesion", "yes", "the index lesion must be a target lesion");
      auto [it, fresh] = index_of.emplace(pid, std::pair{l.lesion_id, w});
      if (!fresh && it->second.first != l.lesion_id)
        fail_input(w, "index_lesion", "(label not shown)",
                   "one index lesion per patient (" + it->second.second + " marks another lesion)");
    }
    // mRECIST: a new intrahepatic lesion with size and pattern needs no reader status; the rule decides
    if (l.kind == LesionKind::new_lesion && status.empty() && opt.criteria == "mrecist" && l.diameter_mm &&
        l.typical_hcc)
      status = "equivocal";
    l.status = parse_status(status, l.kind, w);
    if (l.kind == LesionKind::target && l.status == LesionStatus::measured && !l.diameter_mm)
      fail_input(w, "diameter_mm", "(missing)", "a measurement, TSTM or NE for a target lesion; sirtkit never assumes one");
    if (c_start && !trim(row[*c_start]).empty()) {
      const Date s = parse_date(trim(row[*c_start]), w + " treatment_start");
      auto [it, fresh] = start.emplace(pid, std::pair{s, w});
      if (!fresh && !(it->second.first == s))
        fail_input(w, "treatment_start", "(date not shown)",
                   "the same date on every row of the patient (" + it->second.second + " has another)");
    }
    if (!by_patient.count(pid)) {
      order.push_back(pid);
      first_where[pid] = w;
    }
    LesionAssessment& a = by_patient[pid][d.days];
    a.date = d;
    a.lesions.push_back(std::move(l));
  }

  ResponseReport rep;
  rep.options = opt;
  // mRECIST (Lencioni & Llovet 2010) and EASL (Bruix 2001) share the lesion engine
  // with their own thresholds (clinical-rules.md §1.2, §1.3).
  RecistOptions ro = opt.criteria == "mrecist" ? mrecist_options()
                     : opt.criteria == "easl"  ? easl_options()
                                               : recist11_options();
  if (opt.criteria == "irecist") ro.criteria = "iRECIST";
  rep.criteria = ro.criteria + (opt.index_lesion_only ? " (index lesion)" : "");
  for (const std::string& pid : order) {
    std::vector<LesionAssessment> as;
    for (auto& [days, a] : by_patient[pid]) as.push_back(a);
    if (opt.index_lesion_only) {
      // Index-lesion response: the flagged target alone (non-targets and new lesions are
      // not part of a single lesion's response).
      auto ix = index_of.find(pid);
      if (ix == index_of.end())
        fail_input(first_where.at(pid), "index_lesion", "(none)", "an index lesion marked yes for this row's patient");
      for (LesionAssessment& a : as) {
        std::vector<LesionObservation> keep;
        for (LesionObservation& l : a.lesions)
          if (l.lesion_id == ix->second.first) keep.push_back(std::move(l));
        a.lesions = std::move(keep);
      }
    }
    PatientResponse p;
    p.patient_id = pid;
    try {
      if (opt.criteria == "irecist") {
        p.irecist = evaluate_irecist(as);
        p.evaluation = p.irecist->recist;
      } else {
        p.evaluation = evaluate_recist(as, ro);
      }
    } catch (const Error& e) {
      // The patient is named by the line of its first row (identifiers are patient data).
      throw Error(e.category(), "patient of " + first_where.at(pid) + ": " + e.what());
    }
    p.reference = p.evaluation.baseline_date;
    if (auto s = start.find(pid); s != start.end()) {
      p.reference = s->second.first;
      for (const auto& tp : p.evaluation.timepoints)
        if (tp.date < p.reference)
          fail_input(s->second.second, "treatment_start", "(date not shown)",
                     "on or before the patient's first follow-up assessment");
    }
    std::vector<TimedResponse> tps;
    for (const auto& tp : p.evaluation.timepoints) tps.push_back({tp.date, tp.overall});
    BorOptions bo;
    bo.reference = p.reference;
    bo.sd_min_days = opt.sd_min_days;
    bo.confirm_days = opt.confirm_days;
    bo.max_ne_between = opt.max_ne_between;
    bo.accept_sd_between = opt.accept_sd_between;
    bo.non_target_only = p.evaluation.targets == 0;
    p.bor = best_overall_response(tps, bo);
    p.confirmed_bor = confirmed_best_overall_response(tps, bo);
    if (!opt.landmark_days.empty()) p.landmarks = landmark_responses(tps, p.reference, opt.landmark_days, opt.window_days);
    if (p.irecist) p.ibor = irecist_best_response(p.irecist->timepoints, p.reference, opt.sd_min_days);
    rep.patients.push_back(std::move(p));
  }
  return rep;
}

ResponseReport run_response(const std::filesystem::path& lesions_csv, const ResponseOptions& opt) {
  return response_from_csv(read_csv(lesions_csv), opt);
}

namespace {
std::string mm(const std::optional<double>& v) { return v ? fmt::format("{:.1f}", *v) : "NE"; }
std::string pct(const std::optional<double>& v) { return v ? fmt::format("{:+.1f}%", *v) : "-"; }
bool responder(Response r) { return r == Response::cr || r == Response::pr; }
bool controlled(Response r) { return responder(r) || r == Response::sd || r == Response::non_cr_non_pd; }
}  // namespace

std::string format_response_text(const ResponseReport& r) {
  std::string out;
  for (const PatientResponse& p : r.patients) {
    const auto& ev = p.evaluation;
    out += fmt::format("Patient {} — {}: baseline {} ({} target, {} non-target), sum {:.1f} {}\n", p.patient_id,
                       r.criteria, to_iso(ev.baseline_date), ev.targets, ev.non_targets, ev.baseline_sum, ev.unit);
    out += fmt::format("  {:<10} {:>5} {:>8} {:>9} {:>9} {:>7} {:<14} {:<4} {:<14}\n", "date", "day", "sum " + ev.unit,
                       "vs base", "vs nadir", "target", "non-target", "new", "overall");
    for (size_t k = 0; k < ev.timepoints.size(); ++k) {
      const auto& tp = ev.timepoints[k];
      out += fmt::format("  {:<10} {:>5} {:>8} {:>9} {:>9} {:>7} {:<14} {:<4} {:<14}", to_iso(tp.date), tp.day,
                         ev.targets ? mm(tp.sum) : "-", pct(tp.change_from_baseline_pct),
                         pct(tp.change_from_nadir_pct), response_name(tp.target), response_name(tp.non_target),
                         tp.new_lesions ? "yes" : "no", response_name(tp.overall));
      if (p.irecist) {
        const ITimepoint& it = p.irecist->timepoints[k];
        out += fmt::format(" iRECIST {}", iresponse_name(it.response));
        if (it.new_target_sum > 0) out += fmt::format(" (new-lesion targets {:.1f} mm)", it.new_target_sum);
        out += "\n";
        for (const auto& why : it.reasons) out += "             " + why + "\n";
      } else {
        out += "\n";
        for (const auto& why : tp.reasons) out += "             " + why + "\n";
      }
    }
    if (p.irecist)
      out += fmt::format("  iRECIST best overall response: {} ({})\n", iresponse_name(p.ibor.response), p.ibor.reason);
    out += fmt::format("  {}best overall response: {} ({})\n", p.irecist ? "RECIST 1.1 " : "",
                       response_name(p.bor.response), p.bor.reason);
    out += fmt::format("  confirmed (>= {} days): {} ({})\n", r.options.confirm_days,
                       response_name(p.confirmed_bor.response), p.confirmed_bor.reason);
    for (const LandmarkResponse& l : p.landmarks)
      out += fmt::format("  at day {} (+/- {}): {} ({})\n", l.day, r.options.window_days, response_name(l.response),
                         l.reason);
    out += "\n";
  }
  int n = static_cast<int>(r.patients.size()), orr = 0, dcr = 0, corr = 0, cdcr = 0;
  for (const auto& p : r.patients) {
    orr += responder(p.bor.response);
    dcr += controlled(p.bor.response);
    corr += responder(p.confirmed_bor.response);
    cdcr += controlled(p.confirmed_bor.response);
  }
  auto share = [n](int k) { return fraction_percent(k, n); };
  out += fmt::format("Summary ({}; SD needs >= {} days after treatment start)\n", r.criteria, r.options.sd_min_days);
  out += fmt::format("  objective response (CR+PR):  unconfirmed {}, confirmed {}\n", share(orr), share(corr));
  out += fmt::format("  disease control (CR+PR+SD):  unconfirmed {}, confirmed {}\n", share(dcr), share(cdcr));
  if (!r.patients.empty() && r.patients.front().irecist) {
    int io = 0, id = 0;
    for (const auto& p : r.patients) {
      io += p.ibor.response == IResponse::icr || p.ibor.response == IResponse::ipr;
      id += iresponse_rank(p.ibor.response) <= iresponse_rank(IResponse::non_icr_non_iupd);
    }
    out += fmt::format("  iRECIST: objective response (iCR+iPR) {}, disease control {}\n", share(io), share(id));
  }
  for (size_t k = 0; k < r.options.landmark_days.size(); ++k) {
    int lo = 0, ld = 0, lm = 0;
    for (const auto& p : r.patients) {
      lo += responder(p.landmarks[k].response);
      ld += controlled(p.landmarks[k].response);
      lm += p.landmarks[k].response == Response::missing;
    }
    out += fmt::format("  at day {}: objective response {}, disease control {}, no assessment {}\n",
                       r.options.landmark_days[k], share(lo), share(ld), lm);
  }
  out += r.criteria.rfind("iRECIST", 0) == 0
             ? "source: Seymour L et al., Lancet Oncol 2017;18:e143-e152 (iRECIST), on RECIST 1.1\n"
         : r.criteria.rfind("mRECIST", 0) == 0
             ? "source: Lencioni R, Llovet JM, Semin Liver Dis 2010;30:52-60 (PD without the +5 mm rule)\n"
         : r.criteria.rfind("EASL", 0) == 0
             ? "source: Bruix J et al., J Hepatol 2001;35:421-430 (sum of products of viable diameters; PR >= 50 %, "
               "PD >= 25 %)\n"
             : "source: Eisenhauer EA et al., Eur J Cancer 2009;45:228-247 (RECIST 1.1) with EORTC clarifications\n";
  return out;
}

std::string format_response_json(const ResponseReport& r) {
  using J = nlohmann::ordered_json;
  J j;
  j["criteria"] = r.criteria;
  j["options"] = {{"sd_min_days", r.options.sd_min_days},
                  {"confirm_days", r.options.confirm_days},
                  {"max_ne_between", r.options.max_ne_between},
                  {"accept_sd_between", r.options.accept_sd_between},
                  {"landmark_days", r.options.landmark_days},
                  {"window_days", r.options.window_days},
                  {"index_lesion_only", r.options.index_lesion_only}};
  auto opt_num = [](const std::optional<double>& v) { return v ? J(*v) : J(); };
  J patients = J::array();
  for (const PatientResponse& p : r.patients) {
    J e;
    e["patient_id"] = p.patient_id;
    e["baseline_date"] = to_iso(p.evaluation.baseline_date);
    e["reference_date"] = to_iso(p.reference);
    e["targets"] = p.evaluation.targets;
    e["non_targets"] = p.evaluation.non_targets;
    e["unit"] = p.evaluation.unit;
    e["baseline_sum"] = p.evaluation.baseline_sum;
    J tps = J::array();
    for (const auto& tp : p.evaluation.timepoints) {
      tps.push_back({{"date", to_iso(tp.date)},
                     {"day", tp.day},
                     {"sum", opt_num(tp.sum)},
                     {"nadir", tp.nadir},
                     {"change_from_baseline_pct", opt_num(tp.change_from_baseline_pct)},
                     {"change_from_nadir_pct", opt_num(tp.change_from_nadir_pct)},
                     {"target", response_name(tp.target)},
                     {"non_target", response_name(tp.non_target)},
                     {"new_lesions", tp.new_lesions},
                     {"overall", response_name(tp.overall)},
                     {"reasons", tp.reasons}});
    }
    e["timepoints"] = tps;
    auto bor = [](const BestResponse& b) {
      return J{{"response", response_name(b.response)},
               {"date", b.date ? J(to_iso(*b.date)) : J()},
               {"reason", b.reason}};
    };
    e["best_overall_response"] = bor(p.bor);
    e["confirmed_best_overall_response"] = bor(p.confirmed_bor);
    J lms = J::array();
    for (const LandmarkResponse& l : p.landmarks)
      lms.push_back({{"day", l.day},
                     {"response", response_name(l.response)},
                     {"date", l.date ? J(to_iso(*l.date)) : J()},
                     {"reason", l.reason}});
    e["landmarks"] = lms;
    if (p.irecist) {
      J its = J::array();
      for (const ITimepoint& it : p.irecist->timepoints)
        its.push_back({{"date", to_iso(it.date)},
                       {"response", iresponse_name(it.response)},
                       {"recist", response_name(it.recist)},
                       {"new_lesion_target_sum_mm", it.new_target_sum},
                       {"reasons", it.reasons}});
      e["irecist_timepoints"] = its;
      e["irecist_best_overall_response"] = {{"response", iresponse_name(p.ibor.response)},
                                            {"date", p.ibor.date ? J(to_iso(*p.ibor.date)) : J()},
                                            {"reason", p.ibor.reason}};
    }
    patients.push_back(e);
  }
  j["patients"] = patients;
  return j.dump(2) + "\n";
}

}  // namespace sirtkit::pipelines
