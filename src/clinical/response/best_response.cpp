#include "clinical/response/best_response.h"

#include "core/error.h"

namespace sirtkit::clinical {
namespace {

// Checks order; returns the assessments up to and including the first PD.
std::vector<TimedResponse> until_first_pd(const std::vector<TimedResponse>& tps, const BorOptions& opt) {
  std::vector<TimedResponse> out;
  for (size_t i = 0; i < tps.size(); ++i) {
    if (i > 0 && !(tps[i - 1].date < tps[i].date)) {
      // Dates are patient data: never in a message (the caller names the line).
      fail_input("best overall response", "date", "(value not shown: a date)",
                 tps[i - 1].date == tps[i].date ? "one assessment per date (duplicate time point)"
                                                : "assessments in date order (this one is not after the previous one)");
    }
    if (tps[i].date < opt.reference) {
      fail_input("best overall response", "date", "(value not shown: a date)",
                 "an assessment on or after the reference date (this one is before it)");
    }
    if (tps[i].response == Response::missing || tps[i].response == Response::not_applicable) {
      fail_input("best overall response", "response", response_name(tps[i].response),
                 "a time-point response (CR, PR, SD, NON-CR/NON-PD, PD, NE)");
    }
  }
  for (const TimedResponse& t : tps) {
    out.push_back(t);
    if (t.response == Response::pd) break;  // later assessments do not count (RECIST 1.1 §4.4.1)
  }
  return out;
}

BestResponse pick_best(const std::vector<std::pair<TimedResponse, std::string>>& effective) {
  BestResponse best;
  best.response = Response::missing;
  best.reason = "no assessment after baseline";
  for (const auto& [t, why] : effective) {
    if (!best.date || response_rank(t.response) < response_rank(best.response)) {
      best.response = t.response;
      best.date = t.date;
      best.reason = why;
    }
  }
  return best;
}

// SD / NON-CR/NON-PD counts only at >= sd_min_days after reference; otherwise NE.
std::pair<TimedResponse, std::string> sd_or_ne(const TimedResponse& t, Response r, const BorOptions& opt,
                                               const std::string& what) {
  const int day = days_between(opt.reference, t.date);
  if (day >= opt.sd_min_days) return {{t.date, r}, what + " on day " + std::to_string(day)};
  return {{t.date, Response::ne},
          what + " on day " + std::to_string(day) + ", before the minimum " + std::to_string(opt.sd_min_days) +
              " days: NE"};
}

}  // namespace

BestResponse best_overall_response(const std::vector<TimedResponse>& tps, const BorOptions& opt) {
  std::vector<std::pair<TimedResponse, std::string>> eff;
  for (const TimedResponse& t : until_first_pd(tps, opt)) {
    switch (t.response) {
      case Response::sd: eff.push_back(sd_or_ne(t, Response::sd, opt, "SD")); break;
      case Response::non_cr_non_pd: eff.push_back(sd_or_ne(t, Response::non_cr_non_pd, opt, "NON-CR/NON-PD")); break;
      default: eff.push_back({t, std::string(response_name(t.response)) + " on " + to_iso(t.date)}); break;
    }
  }
  return pick_best(eff);
}

BestResponse confirmed_best_overall_response(const std::vector<TimedResponse>& tps, const BorOptions& opt) {
  const std::vector<TimedResponse> a = until_first_pd(tps, opt);
  std::vector<std::pair<TimedResponse, std::string>> eff;
  for (size_t i = 0; i < a.size(); ++i) {
    const TimedResponse& t = a[i];
    if (t.response == Response::cr || t.response == Response::pr) {
      bool confirmed = false;
      std::string by;
      for (size_t j = i + 1; j < a.size() && !confirmed; ++j) {
        if (days_between(t.date, a[j].date) < opt.confirm_days) continue;
        const Response rj = a[j].response;
        if (t.response == Response::cr ? rj != Response::cr : (rj != Response::cr && rj != Response::pr)) continue;
        int ne = 0, sd = 0;
        bool ok = true, seen_cr = t.response == Response::cr;
        for (size_t k = i + 1; k <= j; ++k) {
          const Response rk = a[k].response;
          if (k < j) {
            if (rk == Response::ne) ++ne;
            else if (rk == Response::sd) ++sd;
            else if (t.response == Response::cr && rk != Response::cr) ok = false;  // CR: only CR or NE between
            else if (rk != Response::cr && rk != Response::pr) ok = false;          // PR: CR/PR/SD/NE between
          }
          if (rk == Response::pr && seen_cr) ok = false;  // no PR after a CR (admiralonco)
          if (rk == Response::cr) seen_cr = true;
        }
        if (t.response == Response::cr && sd > 0) ok = false;
        if (ne > opt.max_ne_between) ok = false;
        if (t.response == Response::pr && sd > (opt.accept_sd_between ? 1 : 0)) ok = false;
        if (ok) {
          confirmed = true;
          by = to_iso(a[j].date);
        }
      }
      if (confirmed) {
        eff.push_back({t, std::string(response_name(t.response)) + " on " + to_iso(t.date) + " confirmed on " + by});
      } else {
        // An unconfirmed CR/PR counts as SD when late enough (RECIST 1.1 §4.4.2); with
        // non-target disease only there is no SD: NON-CR/NON-PD (RECIST 1.1 Table 5).
        const Response fallback = opt.non_target_only ? Response::non_cr_non_pd : Response::sd;
        eff.push_back(sd_or_ne(t, fallback, opt, std::string("unconfirmed ") + response_name(t.response)));
      }
    } else if (t.response == Response::sd) {
      eff.push_back(sd_or_ne(t, Response::sd, opt, "SD"));
    } else if (t.response == Response::non_cr_non_pd) {
      eff.push_back(sd_or_ne(t, Response::non_cr_non_pd, opt, "NON-CR/NON-PD"));
    } else {
      eff.push_back({t, std::string(response_name(t.response)) + " on " + to_iso(t.date)});
    }
  }
  return pick_best(eff);
}

}  // namespace sirtkit::clinical
