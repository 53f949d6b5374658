#include "report/clinical/tumour_response.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "core/format.h"

namespace sirtkit::report {
using namespace sirtkit::clinical;

namespace {
std::string mm(const std::optional<double>& v) { return v ? fmt::format("{:.1f}", *v) : "NE"; }
std::string pct(const std::optional<double>& v) { return v ? fmt::format("{:+.1f}%", *v) : "-"; }
bool responder(Response r) { return r == Response::cr || r == Response::pr; }
bool controlled(Response r) { return responder(r) || r == Response::sd || r == Response::non_cr_non_pd; }

// One patient: baseline, a line per time point with its reasons, best and
// confirmed best overall response, landmark responses.
std::string patient_text(const ResponseReport& r, const PatientResponse& p) {
  std::string out;
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
  return out;
}

// ORR and DCR over the patients, unconfirmed and confirmed, iRECIST's and at each landmark.
std::string summary_text(const ResponseReport& r) {
  std::string out;
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
  return out;
}

std::string source_line(const std::string& criteria) {
  return criteria.rfind("iRECIST", 0) == 0
             ? "source: Seymour L et al., Lancet Oncol 2017;18:e143-e152 (iRECIST), on RECIST 1.1\n"
         : criteria.rfind("mRECIST", 0) == 0
             ? "source: Lencioni R, Llovet JM, Semin Liver Dis 2010;30:52-60 (PD without the +5 mm rule)\n"
         : criteria.rfind("EASL", 0) == 0
             ? "source: Bruix J et al., J Hepatol 2001;35:421-430 (sum of products of viable diameters; PR >= 50 %, "
               "PD >= 25 %)\n"
             : "source: Eisenhauer EA et al., Eur J Cancer 2009;45:228-247 (RECIST 1.1) with EORTC clarifications\n";
}

}  // namespace

std::string response_text(const ResponseReport& r) {
  std::string out;
  for (const PatientResponse& p : r.patients) out += patient_text(r, p);
  return out + summary_text(r) + source_line(r.criteria);
}

std::string response_json(const ResponseReport& r) {
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

}  // namespace sirtkit::report
