#include "registry/import/field_catalog.h"

namespace sirtkit::registry {

using K = FieldKind;
using G = FieldGroup;

// Ranges: impossible values are rejected, unusual ones pass (same policy as
// clinical/units.h). Sources:
//  - ECOG 0-4 (Oken et al., Am J Clin Oncol 1982;5:649); Child-Pugh 5-15, A-C
//    (Pugh et al., Br J Surg 1973;60:646); BCLC 0/A/B/C/D (Reig et al., J Hepatol 2022;76:681)
//  - CTCAE v5.0 grades 1-5 (NCI, 2017)
//  - activity per session 0-40 GBq: at most two of the largest glass vial
//    (TheraSphere 20 GBq, Boston Scientific IFU); resin vials are 3 GBq (SIR-Spheres IFU)
//  - lung shunt fraction 0-100 % (a fraction of counts)
//  - absorbed dose 0-5000 Gy: above the highest reported tumour doses of glass
//    segmentectomy (~1000 Gy; Salem et al., Hepatology 2021;74:2342 LEGACY)
//  - lesion diameters 0-500 mm (clinical/units.h length_mm)
//  - age 0-120 years
//  - RECIST 1.1 lesion kinds (Eisenhauer et al., EJC 2009;45:228)
const std::vector<FieldSpec>& field_catalog() {
  static const std::vector<FieldSpec> c = {
      // patient row (REDCap's non-repeating instruments)
      {"site", G::patient, "sites", "code", K::text},
      {"arm", G::patient, "arms", "code", K::text},
      {"index_date", G::patient, "patients", "index_date_shifted", K::date, 0, 0, {}, true},
      {"birth_date", G::patient, "", "", K::date},
      {"age_years", G::patient, "patients", "age_years", K::integer, 0, 120},
      {"sex", G::patient, "patients", "sex", K::choice, 0, 0, {"male", "female"}},
      {"diagnosis", G::patient, "baseline", "diagnosis", K::choice, 0, 0,
       {"hcc", "icc", "crc_metastases", "net_metastases", "other_metastases"}},
      {"ecog", G::patient, "baseline", "ecog", K::integer, 0, 4},
      {"child_pugh_class", G::patient, "baseline", "child_pugh_class", K::choice, 0, 0, {"A", "B", "C"}},
      {"child_pugh_score", G::patient, "baseline", "child_pugh_score", K::integer, 5, 15},
      {"bclc_stage", G::patient, "baseline", "bclc_stage", K::choice, 0, 0, {"0", "A", "B", "C", "D"}},
      {"afp_ng_ml", G::patient, "baseline", "afp_ng_ml", K::real, 0, 1e8},
      {"albumin_g_l", G::patient, "baseline", "albumin_g_l", K::real, 0, 70},
      {"bilirubin_umol_l", G::patient, "baseline", "bilirubin_umol_l", K::real, 0, 1710},
      {"cirrhosis", G::patient, "baseline", "cirrhosis", K::flag},
      {"portal_vein_invasion", G::patient, "baseline", "portal_vein_invasion", K::flag},
      {"extrahepatic_disease", G::patient, "baseline", "extrahepatic_disease", K::flag},
      // lesion measurements (repeating)
      {"lesion_label", G::lesion, "lesions", "label", K::text, 0, 0, {}, true},
      {"lesion_organ", G::lesion, "lesions", "organ", K::text},
      {"lesion_kind", G::lesion, "lesions", "kind", K::choice, 0, 0, {"target", "non_target", "new"}, true},
      {"scan_date", G::lesion, "lesion_measurements", "day", K::date, 0, 0, {}, true},
      {"longest_diameter_mm", G::lesion, "lesion_measurements", "longest_diameter_mm", K::real, 0, 500},
      {"short_axis_mm", G::lesion, "lesion_measurements", "short_axis_mm", K::real, 0, 500},
      {"enhancing_diameter_mm", G::lesion, "lesion_measurements", "enhancing_diameter_mm", K::real, 0, 500},
      // treatments (repeating)
      {"treatment_type", G::treatment, "treatments", "kind", K::choice, 0, 0, {"sirt", "tace", "systemic"}, true},
      {"treatment_start_date", G::treatment, "treatments", "start_day", K::date, 0, 0, {}, true},
      {"treatment_end_date", G::treatment, "treatments", "end_day", K::date},
      {"device", G::treatment, "treatments", "device", K::choice, 0, 0, {"glass", "resin", "holmium"}},
      {"planned_activity_gbq", G::treatment, "treatments", "planned_activity_gbq", K::real, 0, 40},
      {"delivered_activity_gbq", G::treatment, "treatments", "delivered_activity_gbq", K::real, 0, 40},
      {"lung_shunt_fraction_pct", G::treatment, "treatments", "lung_shunt_fraction_pct", K::real, 0, 100},
      {"planned_tumour_dose_gy", G::treatment, "treatments", "planned_tumour_dose_gy", K::real, 0, 5000},
      {"planned_normal_liver_dose_gy", G::treatment, "treatments", "planned_normal_liver_dose_gy", K::real, 0, 5000},
      {"planned_lung_dose_gy", G::treatment, "treatments", "planned_lung_dose_gy", K::real, 0, 5000},
      {"verified_tumour_dose_gy", G::treatment, "treatments", "verified_tumour_dose_gy", K::real, 0, 5000},
      {"verified_normal_liver_dose_gy", G::treatment, "treatments", "verified_normal_liver_dose_gy", K::real, 0, 5000},
      {"drug", G::treatment, "treatments", "drug", K::text},
      {"drug_dose_mg", G::treatment, "treatments", "drug_dose_mg", K::real, 0, 100000},
      {"dose_reduced", G::treatment, "treatments", "dose_reduced", K::flag},
      // labs (repeating)
      {"lab_date", G::lab, "labs", "day", K::date, 0, 0, {}, true},
      {"lab_test", G::lab, "labs", "test", K::choice, 0, 0,
       {"bilirubin", "albumin", "creatinine", "sodium", "afp", "inr", "platelets", "alt", "ast", "alp"}, true},
      {"lab_value", G::lab, "labs", "value", K::real, 0, 1e8, {}, true},
      {"lab_unit", G::lab, "labs", "unit", K::text, 0, 0, {}, true},
      // adverse events (repeating)
      {"ae_term", G::adverse_event, "adverse_events", "term", K::text, 0, 0, {}, true},
      {"ae_grade", G::adverse_event, "adverse_events", "grade", K::integer, 1, 5, {}, true},
      {"ae_onset_date", G::adverse_event, "adverse_events", "onset_day", K::date, 0, 0, {}, true},
      {"ae_resolved_date", G::adverse_event, "adverse_events", "resolved_day", K::date},
      {"ae_serious", G::adverse_event, "adverse_events", "serious", K::flag},
      // follow-up events (repeating)
      {"followup_type", G::followup, "followup_events", "kind", K::choice, 0, 0,
       {"progression", "resection", "transplant", "death", "last_contact"}, true},
      {"followup_date", G::followup, "followup_events", "day", K::date, 0, 0, {}, true},
  };
  return c;
}

const FieldSpec* find_field(const std::string& name) {
  for (const auto& f : field_catalog())
    if (f.name == name) return &f;
  return nullptr;
}

const char* group_name(FieldGroup g) {
  switch (g) {
    case G::patient: return "patient";
    case G::lesion: return "lesion measurement";
    case G::treatment: return "treatment";
    case G::lab: return "lab";
    case G::adverse_event: return "adverse event";
    case G::followup: return "follow-up";
  }
  return "?";
}

// Units as clinical/units.h spells them after canonical_unit(); conversions and
// ranges for bilirubin, albumin, creatinine, sodium, AFP and INR are checked by
// the clinical layer. Platelets in 10^9/L (0-5000), ALT/AST/ALP in U/L (0-100000):
// impossible values only.
const std::vector<LabSpec>& lab_catalog() {
  static const std::vector<LabSpec> c = {
      {"bilirubin", {"mg/dl", "umol/l"}, 0, 1710},
      {"albumin", {"g/dl", "g/l"}, 0, 70},
      {"creatinine", {"mg/dl", "umol/l"}, 0, 2652},
      {"sodium", {"mmol/l", "meq/l"}, 80, 200},
      {"afp", {"ng/ml", "ug/l"}, 0, 1e8},
      {"inr", {"", "inr"}, 0.3, 20},
      {"platelets", {"10^9/l", "10*9/l", "g/l"}, 0, 5000},
      {"alt", {"u/l", "iu/l"}, 0, 100000},
      {"ast", {"u/l", "iu/l"}, 0, 100000},
      {"alp", {"u/l", "iu/l"}, 0, 100000},
  };
  return c;
}

}  // namespace sirtkit::registry
