#include "clinical/response/recist.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "clinical/units.h"
#include "core/text.h"
#include "core/error.h"
#include "core/format.h"

namespace sirtkit::clinical {
namespace {


const char* kind_name(LesionKind k) {
  return k == LesionKind::target ? "target" : k == LesionKind::non_target ? "non_target" : "new";
}

// The file line when known; the scan date (patient data) only for records without one.
std::string where_of(const LesionObservation& l, Date d) {
  // The file line when the caller gave one; lesion labels and scan dates are
  // patient data and never part of a message (issue 12).
  (void)d;
  return l.where.empty() ? std::string("a lesion of one scan (label and date not shown)") : l.where;
}

struct BaselineLesion {
  LesionKind kind;
  bool node;
};

// Target value at follow-up: measurement (EASL: product of the two viable diameters),
// 5 mm when too small to measure, nothing when NE.
std::optional<double> target_value(const LesionObservation& l, Date d, bool bidimensional) {
  switch (l.status) {
    case LesionStatus::too_small:
      if (bidimensional)
        fail_input(where_of(l, d), "diameter_mm", "TSTM",
                   "both viable diameters (EASL has no too-small-to-measure default)");
      return 5.0;  // RECIST 1.1 Appendix II: default 5 mm
    case LesionStatus::not_evaluated: return std::nullopt;
    case LesionStatus::absent: return 0.0;
    case LesionStatus::measured:
      if (!l.diameter_mm) fail_input(where_of(l, d), "diameter_mm", "(missing)", "a measurement, TSTM or NE");
      if (!(*l.diameter_mm >= 0) || *l.diameter_mm > 500)
        fail_input(where_of(l, d), "diameter_mm", num(*l.diameter_mm), "0 to 500 mm");
      if (bidimensional) {
        if (*l.diameter_mm == 0) return 0.0;
        if (!l.perpendicular_mm)
          fail_input(where_of(l, d), "perpendicular_mm", "(missing)", "the perpendicular viable diameter (EASL)");
        if (!(*l.perpendicular_mm >= 0) || *l.perpendicular_mm > *l.diameter_mm)
          fail_input(where_of(l, d), "perpendicular_mm", num(*l.perpendicular_mm),
                     "0 to the longest diameter " + num(*l.diameter_mm) + " mm");
        return *l.diameter_mm * *l.perpendicular_mm;
      }
      return *l.diameter_mm;
    default:
      fail_input(where_of(l, d), "status", "non-target/new-lesion status",
                 "a target lesion takes a diameter, TSTM (too small to measure) or NE");
  }
}

bool intrahepatic(const LesionObservation& l) {
  const std::string o = ascii_lower(l.organ);
  return o == "liver" || o == "intrahepatic";
}

// Is this new lesion unequivocal? mRECIST (§1.2): a new intrahepatic lesion counts only if
// >= 10 mm with the typical HCC vascular pattern; when size and pattern are given they decide,
// and a reader's "unequivocal" that contradicts them is an error.
bool new_lesion_unequivocal(const LesionObservation& l, const RecistOptions& opt, const std::string& w) {
  if (!opt.mrecist_new_liver_lesions || !intrahepatic(l) || !l.diameter_mm || !l.typical_hcc)
    return l.status == LesionStatus::unequivocal || l.status == LesionStatus::increase;
  const bool typical = greater_equal(*l.diameter_mm, 10.0) && *l.typical_hcc;
  if (l.status == LesionStatus::unequivocal && !typical)
    fail_input(w, "status", "unequivocal",
               "under mRECIST a new intrahepatic lesion is unequivocal only if >= 10 mm with the typical HCC pattern "
               "(diameter_mm " + num(*l.diameter_mm) + ", typical_hcc " + (*l.typical_hcc ? "yes" : "no") + ")");
  return typical;
}

}  // namespace

LesionKind parse_lesion_kind(std::string_view text, std::string_view field) {
  const std::string t = ascii_lower(text);
  if (t == "target" || t == "t") return LesionKind::target;
  if (t == "non_target" || t == "non-target" || t == "nontarget" || t == "nt") return LesionKind::non_target;
  if (t == "new" || t == "new_lesion") return LesionKind::new_lesion;
  fail_input("value", std::string(field), shown_value(text), "target, non_target or new");
}

RecistOptions recist11_options() { return RecistOptions{}; }

RecistOptions mrecist_options() {
  RecistOptions o;
  o.criteria = "mRECIST";
  o.require_abs_5mm = false;  // Lencioni & Llovet 2010: +20 % of the nadir, no absolute rule (§1.2)
  o.porta_hepatis_node_min_mm = 20;  // porta hepatis node malignant only if SA >= 20 mm (§1.2)
  o.mrecist_new_liver_lesions = true;
  return o;
}

RecistOptions easl_options() {
  RecistOptions o;
  o.criteria = "EASL";
  o.bidimensional = true;  // sum of products of viable diameters (Bruix 2001, §1.3)
  o.pr_fraction = 0.50;    // PR: >= 50 % decrease of viable tumour vs baseline
  o.pd_fraction = 0.25;    // PD: an increase of 25 % or more vs nadir (an increase of exactly 25 % is PD)
  o.pd_inclusive = true;
  o.require_abs_5mm = false;
  o.nodal_cr_below_10mm = false;
  return o;
}

Response overall_response(bool has_targets, Response target, Response non_target, bool new_lesions) {
  // Any PD component or a new lesion → PD (Table 4 rows 7-9, Table 5 rows 4-5)
  if (target == Response::pd || non_target == Response::pd || new_lesions) return Response::pd;
  if (!has_targets) {  // Table 5: non-target disease only
    if (non_target == Response::cr) return Response::cr;
    if (non_target == Response::non_cr_non_pd) return Response::non_cr_non_pd;
    return Response::ne;
  }
  switch (target) {  // Table 4
    case Response::cr:
      // CR + CR (or no non-target disease) → CR; CR + non-CR/non-PD or not evaluated → PR
      return non_target == Response::cr || non_target == Response::not_applicable ? Response::cr : Response::pr;
    case Response::pr: return Response::pr;  // PR + non-PD or not all evaluated → PR
    case Response::sd: return Response::sd;  // SD + non-PD or not all evaluated → SD
    default: return Response::ne;            // not all evaluated + non-PD → NE
  }
}

namespace {

// One assessment per date, in date order; each lesion once per assessment, with an identifier.
void check_assessments(const std::vector<LesionAssessment>& as, const std::string& rule) {
  if (as.empty()) fail_input(rule, "assessments", "0", "a baseline assessment");
  for (size_t i = 1; i < as.size(); ++i) {
    if (!(as[i - 1].date < as[i].date)) {
      fail_input(rule, "date", "(value not shown: a date)",
                 as[i - 1].date == as[i].date ? "one assessment per date (duplicate time point)"
                                              : "assessments in date order (this one is not after the previous one)");
    }
  }
  for (const LesionAssessment& a : as) {
    std::set<std::string> ids;
    for (const LesionObservation& l : a.lesions) {
      if (l.lesion_id.empty()) fail_input(where_of(l, a.date), "lesion_id", "''", "a lesion identifier");
      if (!ids.insert(l.lesion_id).second)
        fail_input(where_of(l, a.date), "lesion_id", "(value not shown)", "a lesion recorded once per time point");
    }
  }
}

// A baseline target must be measurable (at most 500 mm).
void check_measurable_target(const LesionObservation& l, const RecistOptions& opt, const std::string& w) {
  const double d = *l.diameter_mm;
  // Measurable: non-nodal LD >= 10 mm; node SA >= 15 mm (RECIST 1.1 §3.1.1); mRECIST:
  // porta hepatis node SA >= 20 mm (§1.2)
  double min = l.lymph_node ? opt.min_target_node_mm : opt.min_target_mm;
  if (l.lymph_node && opt.porta_hepatis_node_min_mm > 0 && ascii_lower(l.organ).find("porta hepatis") != std::string::npos)
    min = std::max(min, opt.porta_hepatis_node_min_mm);
  // Slices thicker than 5 mm: the minimum measurable size is twice the slice thickness
  // (RECIST 1.1 Appendix II, "CT, MRI"; clinical-rules.md §1.1)
  if (l.slice_thickness_mm) {
    if (!(*l.slice_thickness_mm > 0) || *l.slice_thickness_mm > 20)
      fail_input(w, "slice_thickness_mm", num(*l.slice_thickness_mm), "a slice thickness in (0, 20] mm");
    if (*l.slice_thickness_mm > 5) min = std::max(min, 2 * *l.slice_thickness_mm);
  }
  if (less(d, min) || d > 500)
    fail_input(w, "diameter_mm", num(d),
               std::string("a measurable ") + (l.lymph_node ? "lymph node (short axis >= " : "lesion (longest diameter >= ") +
                   num(min) + " mm) to be a target");
}

// What the baseline assessment fixes for every later one (RECIST 1.1 §3, §4.2).
struct Baseline {
  std::map<std::string, BaselineLesion> lesions;
  std::vector<std::string> target_ids, non_target_ids;
  std::map<std::string, bool> target_node;
};

// Reads and checks the baseline lesions; sets the baseline date, sum and counts of `ev`.
Baseline read_baseline(const LesionAssessment& base, const RecistOptions& opt, RecistEvaluation& ev) {
  const std::string& rule = opt.criteria;
  Baseline b;
  std::map<std::string, int> per_organ;
  ev.baseline_date = base.date;
  for (const LesionObservation& l : base.lesions) {
    const std::string w = where_of(l, base.date);
    if (l.kind == LesionKind::new_lesion) fail_input(w, "kind", "new", "no new lesion at baseline");
    b.lesions[l.lesion_id] = {l.kind, l.lymph_node};
    if (l.kind == LesionKind::target) {
      if (l.status != LesionStatus::measured || !l.diameter_mm)
        fail_input(w, "diameter_mm", "(not measured)", "a baseline target must be measured");
      check_measurable_target(l, opt, w);
      if (l.organ.empty() && !l.lymph_node) fail_input(w, "organ", "''", "the organ of a target lesion");
      // All lymph nodes together count as one organ (EORTC paired-organ FAQ)
      const std::string organ = l.lymph_node ? "lymph node" : ascii_lower(l.organ);
      if (++per_organ[organ] > opt.max_targets_per_organ)
        fail_input(w, "organ", "(value not shown)", "at most " + std::to_string(opt.max_targets_per_organ) + " targets per organ");
      b.target_ids.push_back(l.lesion_id);
      b.target_node[l.lesion_id] = l.lymph_node;
      ev.baseline_sum += *target_value(l, base.date, opt.bidimensional);
    } else {
      if (l.status != LesionStatus::present && l.status != LesionStatus::measured)
        fail_input(w, "status", "not present", "a baseline non-target lesion is present");
      b.non_target_ids.push_back(l.lesion_id);
    }
  }
  if (static_cast<int>(b.target_ids.size()) > opt.max_targets)
    fail_input(rule, "targets", std::to_string(b.target_ids.size()),
               "at most " + std::to_string(opt.max_targets) + " target lesions (RECIST 1.1 §3.2)");
  ev.targets = static_cast<int>(b.target_ids.size());
  ev.non_targets = static_cast<int>(b.non_target_ids.size());
  if (ev.targets + ev.non_targets == 0)
    fail_input(rule, "baseline", "no lesions", "at least one target or non-target lesion");
  return b;
}

// New lesions over all follow-ups: an equivocal lesion later confirmed dates PD to its first appearance.
struct NewLesions {
  std::map<std::string, Date> first_seen;
  std::map<std::string, double> first_size;
  std::set<std::string> confirmed;
};

NewLesions scan_new_lesions(const std::vector<LesionAssessment>& as, const Baseline& baseline, const RecistOptions& opt) {
  NewLesions n;
  for (size_t i = 1; i < as.size(); ++i) {
    for (const LesionObservation& l : as[i].lesions) {
      const std::string w = where_of(l, as[i].date);
      auto b = baseline.lesions.find(l.lesion_id);
      if (l.kind == LesionKind::new_lesion) {
        if (b != baseline.lesions.end()) fail_input(w, "kind", "new", "a lesion not seen at baseline (this label was)");
        if (l.status != LesionStatus::equivocal && l.status != LesionStatus::unequivocal &&
            l.status != LesionStatus::increase && l.status != LesionStatus::not_evaluated)
          fail_input(w, "status", "", "a new lesion is unequivocal, equivocal or (iRECIST) increase");
        n.first_seen.emplace(l.lesion_id, as[i].date);
        if (new_lesion_unequivocal(l, opt, w)) n.confirmed.insert(l.lesion_id);
        // mRECIST: an atypical new intrahepatic lesion is confirmed by >= 10 mm interval growth (§1.2)
        if (opt.mrecist_new_liver_lesions && intrahepatic(l) && l.diameter_mm) {
          auto [f, fresh] = n.first_size.emplace(l.lesion_id, *l.diameter_mm);
          if (!fresh && greater_equal(*l.diameter_mm - f->second, 10.0)) n.confirmed.insert(l.lesion_id);
        }
      } else {
        if (b == baseline.lesions.end())
          fail_input(w, "lesion_id", "(value not shown)",
                     std::string("a ") + kind_name(l.kind) + " lesion measured at follow-up must be recorded at baseline "
                     "(record it as a new lesion otherwise)");
        if (b->second.kind != l.kind)
          fail_input(w, "kind", kind_name(l.kind),
                     std::string("lesion was ") + kind_name(b->second.kind) + " at baseline");
      }
    }
  }
  return n;
}

// The target response of one follow-up (§4.3.1); `evaluable_sums` holds the sums
// of the earlier fully evaluated time points (baseline first), for the nadir.
void target_response(const std::map<std::string, const LesionObservation*>& obs, const LesionAssessment& a,
                     const Baseline& baseline, const RecistEvaluation& ev, const RecistOptions& opt, bool after_cr,
                     std::vector<double>& evaluable_sums, TimepointResponse& tp) {
  double sum = 0;
  bool all = true, all_gone = true, reappeared = false;
  for (const std::string& id : baseline.target_ids) {
    auto it = obs.find(id);
    std::optional<double> v;
    if (it != obs.end()) v = target_value(*it->second, a.date, opt.bidimensional);
    if (!v) {
      all = false;
      tp.reasons.push_back("target " + id + " not evaluated");
      continue;
    }
    sum += *v;
    // CR: non-nodal targets gone (0 mm), nodal targets short axis < 10 mm (§4.3.1)
    const bool gone = baseline.target_node.at(id) && opt.nodal_cr_below_10mm ? less(*v, 10.0) : *v == 0.0;
    if (!gone) {
      all_gone = false;
      reappeared = true;
    }
  }
  tp.evaluated_sum = sum;
  tp.nadir = *std::min_element(evaluable_sums.begin(), evaluable_sums.end());
  if (all) tp.sum = sum;
  if (ev.baseline_sum > 0 && all) tp.change_from_baseline_pct = 100.0 * (sum - ev.baseline_sum) / ev.baseline_sum;
  if (tp.nadir > 0 && all) tp.change_from_nadir_pct = 100.0 * (sum - tp.nadir) / tp.nadir;
  // PD: >= 20 % above the nadir and (RECIST 1.1) >= 5 mm absolute; multiplicative form, so a
  // nadir of 0 never divides (§4.3.1). Met on the evaluated lesions alone it stands even if
  // some targets were not evaluated.
  const double inc = sum - tp.nadir;
  const double pd_at = (1.0 + opt.pd_fraction) * tp.nadir;
  const bool pd = inc > 0 && (opt.pd_inclusive ? greater_equal(sum, pd_at) : greater(sum, pd_at)) &&
                  (!opt.require_abs_5mm || greater_equal(inc, 5.0));
  if (pd) {
    tp.target = Response::pd;
    tp.reasons.push_back("target sum " + num(sum) + " " + ev.unit + (opt.pd_inclusive ? " >= " : " > ") +
                         num(100 * opt.pd_fraction) + " % above nadir " + num(tp.nadir) + " " + ev.unit +
                         (opt.require_abs_5mm ? " and >= 5 mm" : ""));
  } else if (after_cr && reappeared) {
    // EORTC: after an overall CR any reappearance is PD
    tp.target = Response::pd;
    tp.reasons.push_back("target lesion reappeared after CR");
  } else if (!all) {
    tp.target = Response::ne;
  } else if (all_gone) {
    tp.target = Response::cr;
  } else if (less_equal(sum, (1.0 - opt.pr_fraction) * ev.baseline_sum)) {
    tp.target = Response::pr;  // >= 30 % (EASL 50 %) decrease vs baseline sum (§4.3.1)
  } else {
    tp.target = Response::sd;
  }
  if (all) evaluable_sums.push_back(sum);
}

// The non-target response of one follow-up (§4.3.2).
void non_target_response(const std::map<std::string, const LesionObservation*>& obs, const LesionAssessment& a,
                         const Baseline& baseline, bool after_cr, TimepointResponse& tp) {
  bool pd = false, ne = false, all_absent = true, reappeared = false;
  for (const std::string& id : baseline.non_target_ids) {
    auto it = obs.find(id);
    const LesionStatus s = it == obs.end() ? LesionStatus::not_evaluated : it->second->status;
    switch (s) {
      case LesionStatus::progression: case LesionStatus::increase: pd = true; all_absent = false; break;
      case LesionStatus::not_evaluated: ne = true; all_absent = false; break;
      case LesionStatus::absent: break;
      case LesionStatus::present: case LesionStatus::measured: all_absent = false; reappeared = true; break;
      default:
        fail_input(where_of(*it->second, a.date), "status", "", "a non-target lesion is present, absent, progression or NE");
    }
    if (s == LesionStatus::not_evaluated) tp.reasons.push_back("non-target " + id + " not evaluated");
    if (s == LesionStatus::progression || s == LesionStatus::increase)
      tp.reasons.push_back("non-target " + id + " unequivocal progression");
  }
  if (pd) tp.non_target = Response::pd;
  else if (after_cr && reappeared) {
    tp.non_target = Response::pd;
    tp.reasons.push_back("non-target lesion reappeared after CR");
  } else if (ne) tp.non_target = Response::ne;
  else if (all_absent) tp.non_target = Response::cr;
  else tp.non_target = Response::non_cr_non_pd;
}

// New lesions at one follow-up (§4.3.3).
void new_lesion_response(const LesionAssessment& a, const NewLesions& found, const RecistOptions& opt,
                         TimepointResponse& tp) {
  for (const LesionObservation& l : a.lesions) {
    if (l.kind != LesionKind::new_lesion) continue;
    if (new_lesion_unequivocal(l, opt, where_of(l, a.date))) {
      tp.new_lesions = true;
      tp.reasons.push_back("new lesion " + l.lesion_id);
    } else if (found.confirmed.count(l.lesion_id)) {
      tp.new_lesions = true;
      tp.reasons.push_back("new lesion " + l.lesion_id +
                           (found.first_seen.at(l.lesion_id) == a.date
                                ? " (equivocal here, confirmed later: PD dated to this scan)"
                                : " (equivocal at first, since confirmed)"));
    } else if (l.status == LesionStatus::equivocal) {
      tp.reasons.push_back("equivocal new lesion " + l.lesion_id + " (not PD unless confirmed)");
    }
  }
}

}  // namespace

RecistEvaluation evaluate_recist(const std::vector<LesionAssessment>& as, const RecistOptions& opt) {
  check_assessments(as, opt.criteria);
  RecistEvaluation ev;
  ev.criteria = opt.criteria;
  ev.unit = opt.bidimensional ? "mm2" : "mm";
  const LesionAssessment& base = as.front();
  const Baseline baseline = read_baseline(base, opt, ev);
  const NewLesions new_lesions = scan_new_lesions(as, baseline, opt);

  // ---- Follow-up time points
  std::vector<double> evaluable_sums = {ev.baseline_sum};
  Response previous_overall = Response::ne;
  for (size_t i = 1; i < as.size(); ++i) {
    const LesionAssessment& a = as[i];
    TimepointResponse tp;
    tp.date = a.date;
    tp.day = days_between(base.date, a.date);
    std::map<std::string, const LesionObservation*> obs;
    for (const LesionObservation& l : a.lesions) obs[l.lesion_id] = &l;
    const bool after_cr = previous_overall == Response::cr;
    if (ev.targets > 0) target_response(obs, a, baseline, ev, opt, after_cr, evaluable_sums, tp);
    if (!baseline.non_target_ids.empty()) non_target_response(obs, a, baseline, after_cr, tp);
    new_lesion_response(a, new_lesions, opt, tp);
    tp.overall = overall_response(ev.targets > 0, tp.target, tp.non_target, tp.new_lesions);
    if (tp.overall != Response::ne) previous_overall = tp.overall;
    ev.timepoints.push_back(std::move(tp));
  }
  return ev;
}

}  // namespace sirtkit::clinical
