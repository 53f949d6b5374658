#include "clinical/toxicity/reild.h"

#include "clinical/units.h"
#include "core/error.h"
#include "core/format.h"

namespace sirtkit::clinical {

ReildDefinition parse_reild_definition(const std::string& text) {
  if (text == "gil-alzugaray" || text == "gil_alzugaray" || text == "sangro") return ReildDefinition::gil_alzugaray;
  if (text == "braat") return ReildDefinition::braat;
  fail_input("reild", "--definition", text, "gil-alzugaray or braat");
}

ReildResult assess_reild(const ReildCase& c, ReildDefinition def) {
  ReildResult r;
  r.patient_id = c.patient_id;
  r.treatment = c.treatment;
  const bool gil = def == ReildDefinition::gil_alzugaray;
  r.definition = gil ? "Gil-Alzugaray (bilirubin >= 3 mg/dL + ascites, days 28-56)"
                     : "Braat 2017 (bilirubin > ULN, albumin < LLN + ascites, days 14-120)";
  const int lo = gil ? 28 : 14, hi = gil ? 56 : 120;  // Sangro 2008: 4-8 weeks; Braat 2017: 2 weeks-4 months
  auto in_window = [&](const ReildLab& l) {
    const int d = days_between(c.treatment, l.date);
    return d >= lo && d <= hi;
  };
  for (const auto* series : {&c.bilirubin, &c.albumin})
    for (const ReildLab& l : *series)
      if (!(l.value > 0)) fail_input("reild", "value", num(l.value), "a positive bilirubin or albumin value");

  // Laboratory criterion
  std::optional<Date> bili_date, alb_date;
  bool bili_seen = false, bili_unknown = false, alb_seen = false, alb_unknown = false;
  for (const ReildLab& l : c.bilirubin) {
    if (!in_window(l)) continue;
    bili_seen = true;
    bool high;
    if (gil) {
      high = greater_equal(l.value, 3.0);  // >= 3 mg/dL (51.3 µmol/L)
    } else {
      if (!l.uln) { bili_unknown = true; continue; }
      high = greater(l.value, *l.uln);  // hyperbilirubinemia: > ULN
    }
    if (high && (!bili_date || l.date < *bili_date)) bili_date = l.date;
  }
  if (!gil) {
    for (const ReildLab& l : c.albumin) {
      if (!in_window(l)) continue;
      alb_seen = true;
      if (!l.lln) { alb_unknown = true; continue; }
      if (less(l.value, *l.lln) && (!alb_date || l.date < *alb_date)) alb_date = l.date;  // hypoalbuminemia
    }
  }
  const std::string window = "days " + std::to_string(lo) + "-" + std::to_string(hi) + " after " + to_iso(c.treatment);
  if (bili_date) r.reasons.push_back("bilirubin criterion met on " + to_iso(*bili_date));
  else if (!bili_seen) r.reasons.push_back("no bilirubin result in " + window);
  else if (bili_unknown) r.reasons.push_back("bilirubin ULN missing in " + window);
  else r.reasons.push_back("bilirubin criterion not met in " + window);
  if (!gil) {
    if (alb_date) r.reasons.push_back("albumin below LLN on " + to_iso(*alb_date));
    else if (!alb_seen) r.reasons.push_back("no albumin result in " + window);
    else if (alb_unknown) r.reasons.push_back("albumin LLN missing in " + window);
    else r.reasons.push_back("albumin not below LLN in " + window);
  }
  const bool bili_met = bili_date.has_value();
  const bool alb_met = gil || alb_date.has_value();
  const bool bili_decided = bili_met || (bili_seen && !bili_unknown);
  const bool alb_decided = gil || alb_met || (alb_seen && !alb_unknown);
  if (bili_met && alb_met) {
    r.lab_criterion = true;
    r.lab_date = gil ? bili_date : std::max(*bili_date, *alb_date);
  } else if ((bili_decided && !bili_met) || (alb_decided && !alb_met)) {
    r.lab_criterion = false;
  }

  // Clinical criteria: flags only
  auto flag = [&](const std::optional<bool>& f, const char* name) {
    r.reasons.push_back(std::string(name) + ": " + (f ? (*f ? "yes" : "no") : "not recorded"));
  };
  flag(c.ascites, "new or increased ascites");
  flag(c.tumour_progression, "tumour progression");
  flag(c.biliary_obstruction, "biliary obstruction");
  const bool excluded = r.lab_criterion == false || c.ascites == false || c.tumour_progression == true ||
                        c.biliary_obstruction == true;
  const bool all_met = r.lab_criterion == true && c.ascites == true && c.tumour_progression == false &&
                       c.biliary_obstruction == false;
  r.verdict = excluded ? "no REILD" : all_met ? "REILD" : "undetermined";
  return r;
}

}  // namespace sirtkit::clinical
