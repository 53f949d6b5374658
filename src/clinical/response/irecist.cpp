#include "clinical/response/irecist.h"
#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "clinical/units.h"
#include "core/error.h"
#include "core/format.h"

namespace sirtkit::clinical {

const char* iresponse_name(IResponse r) {
  switch (r) {
    case IResponse::icr: return "iCR";
    case IResponse::ipr: return "iPR";
    case IResponse::isd: return "iSD";
    case IResponse::non_icr_non_iupd: return "NON-iCR/NON-iUPD";
    case IResponse::iupd: return "iUPD";
    case IResponse::icpd: return "iCPD";
    case IResponse::ne: return "NE";
  }
  return "?";
}

int iresponse_rank(IResponse r) {
  switch (r) {
    case IResponse::icr: return 1;
    case IResponse::ipr: return 2;
    case IResponse::isd: return 3;
    case IResponse::non_icr_non_iupd: return 4;
    case IResponse::iupd: return 5;
    case IResponse::icpd: return 6;
    case IResponse::ne: return 7;
  }
  return 7;
}

namespace {

IResponse from_recist(Response r) {
  switch (r) {
    case Response::cr: return IResponse::icr;
    case Response::pr: return IResponse::ipr;
    case Response::sd: return IResponse::isd;
    case Response::non_cr_non_pd: return IResponse::non_icr_non_iupd;
    case Response::pd: return IResponse::iupd;
    default: return IResponse::ne;
  }
}


// What the assessment that first met iUPD looked like: the reference for confirmation.
struct IupdReference {
  std::optional<double> target_sum;
  bool target_pd = false;
  bool non_target_pd = false;
  double new_target_sum = 0;
  std::set<std::string> new_ids;
};

}  // namespace

IRecistEvaluation evaluate_irecist(const std::vector<LesionAssessment>& as) {
  RecistOptions opt;
  opt.criteria = "iRECIST";
  IRecistEvaluation out;
  out.recist = evaluate_recist(as, opt);  // validates baseline, ids, dates

  std::optional<IupdReference> ref;  // set while in iUPD
  bool confirmed = false;
  for (size_t i = 1; i < as.size(); ++i) {
    const TimepointResponse& rt = out.recist.timepoints[i - 1];
    ITimepoint tp;
    tp.date = rt.date;
    tp.day = rt.day;
    tp.recist = rt.overall;
    tp.target_sum = rt.sum;

    // New lesions of this assessment: NLT (measured) and NLNT (not measured).
    std::set<std::string> new_ids;
    bool nlnt_increase = false;
    int nlt = 0;
    std::map<std::string, int> nlt_per_organ;
    for (const LesionObservation& l : as[i].lesions) {
      if (l.kind != LesionKind::new_lesion || l.status == LesionStatus::equivocal ||
          l.status == LesionStatus::not_evaluated)
        continue;
      new_ids.insert(l.lesion_id);
      if (l.diameter_mm) {
        // NLT must be measurable by RECIST 1.1 (>= 10 mm; nodes >= 15 mm short axis); <= 5, <= 2 per organ
        const double min = l.lymph_node ? 15.0 : 10.0;
        if (less(*l.diameter_mm, min))
          fail_input(l.where.empty() ? std::string("a new lesion (label not shown)") : l.where, "diameter_mm", num(*l.diameter_mm),
                     "a measurable new lesion (>= " + num(min) + " mm) to be a new-lesion target; leave the diameter "
                     "empty for a new-lesion non-target");
        ++nlt;
        const std::string organ = l.lymph_node ? "lymph node" : ascii_lower(l.organ);
        if (++nlt_per_organ[organ] > 2 || nlt > 5)
          fail_input(l.where.empty() ? std::string("a new lesion (label not shown)") : l.where, "diameter_mm", num(*l.diameter_mm),
                     "at most 5 new-lesion targets and 2 per organ (iRECIST); leave the diameter empty for others");
        tp.new_target_sum += *l.diameter_mm;
      } else if (l.status == LesionStatus::increase) {
        nlnt_increase = true;
      }
    }
    bool nt_progression = false;
    for (const LesionObservation& l : as[i].lesions)
      if (l.kind == LesionKind::non_target && l.status == LesionStatus::increase) nt_progression = true;

    if (confirmed) {
      tp.response = IResponse::icpd;
      tp.reasons.push_back("progression already confirmed");
    } else if (!ref) {
      tp.response = from_recist(rt.overall);
      if (tp.response == IResponse::iupd) {
        ref = IupdReference{rt.sum, rt.target == Response::pd, rt.non_target == Response::pd, tp.new_target_sum, new_ids};
        tp.reasons.push_back("RECIST 1.1 progression: unconfirmed (iUPD)");
      }
    } else {
      // Confirmation at the next assessment(s), against the first iUPD of this episode
      // (increases add up across consecutive iUPD assessments).
      std::vector<std::string> why;
      if (ref->target_sum && rt.sum && greater_equal(*rt.sum - *ref->target_sum, 5.0))
        why.push_back("target sum +" + num(*rt.sum - *ref->target_sum) + " mm since iUPD");
      if (!ref->target_pd && rt.target == Response::pd) why.push_back("target lesions now meet RECIST 1.1 PD");
      if (nt_progression) why.push_back("further increase of non-target disease");
      if (!ref->non_target_pd && rt.non_target == Response::pd) why.push_back("non-target disease now unequivocally progressed");
      if (greater_equal(tp.new_target_sum - ref->new_target_sum, 5.0))
        why.push_back("new-lesion target sum +" + num(tp.new_target_sum - ref->new_target_sum) + " mm since iUPD");
      if (nlnt_increase) why.push_back("increase of new-lesion non-target");
      for (const std::string& id : new_ids)
        if (!ref->new_ids.count(id)) why.push_back("additional new lesion " + id);
      if (!why.empty()) {
        confirmed = true;
        tp.response = IResponse::icpd;
        tp.reasons = why;
      } else if (rt.overall == Response::cr || rt.overall == Response::pr || rt.overall == Response::sd ||
                 rt.overall == Response::non_cr_non_pd) {
        tp.response = from_recist(rt.overall);  // the bar is reset
        tp.reasons.push_back("tumour burden back to " + std::string(iresponse_name(tp.response)) + ": iUPD reset");
        ref.reset();
      } else if (rt.overall == Response::ne && rt.target == Response::ne) {
        tp.response = IResponse::iupd;  // cannot confirm or reset without the targets
        tp.reasons.push_back("not evaluable: remains iUPD");
      } else {
        tp.response = IResponse::iupd;
        tp.reasons.push_back("no further increase: remains iUPD");
      }
    }
    for (const std::string& r : rt.reasons) tp.reasons.push_back(r);
    out.timepoints.push_back(std::move(tp));
  }
  return out;
}

IBestResponse irecist_best_response(const std::vector<ITimepoint>& tps, Date reference, int sd_min_days) {
  IBestResponse best;
  best.response = IResponse::ne;
  best.reason = "no assessment";
  bool any = false;
  for (const ITimepoint& t : tps) {
    if (t.date < reference)
      fail_input("iRECIST best response", "date", "(value not shown: a date)", "an assessment on or after the reference date");
    IResponse r = t.response;
    const int day = days_between(reference, t.date);
    std::string why = std::string(iresponse_name(r)) + " on " + to_iso(t.date);
    if ((r == IResponse::isd || r == IResponse::non_icr_non_iupd) && day < sd_min_days) {
      why += ", before the minimum " + std::to_string(sd_min_days) + " days: NE";
      r = IResponse::ne;
    }
    if (!any || iresponse_rank(r) < iresponse_rank(best.response)) {
      best = {r, t.date, why};
      any = true;
    }
    if (t.response == IResponse::icpd) break;  // nothing after confirmed progression counts
  }
  return best;
}

}  // namespace sirtkit::clinical
