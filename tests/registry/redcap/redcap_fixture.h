#pragma once
// A REDCap-shaped test cohort: data dictionary + raw export, with planted
// direct identifiers (name, record number, birth date, address, a name inside
// free text) that must never reach the registry or an export.

#include <map>
#include <string>
#include <vector>

namespace sirtkit::registry::testing {

// Planted identifiers; none may appear in a registry file or an export.
inline const std::vector<std::string>& planted_identifiers() {
  static const std::vector<std::string> p = {"Zebulon Quixote", "Quixote", "MRN-99817263", "1947-03-18",
                                             "12 Rue des Lilas", "Lilas", "Hortense Brabazon", "MRN-55501234",
                                             "1951-11-02", "4 Impasse du Moulin", "Moulin", "phoned his daughter",
                                             // the real index dates (only shifted dates may leave)
                                             "2021-03-01", "2021-05-10"};
  return p;
}

inline std::string redcap_dictionary_csv() {
  return R"(Variable / Field Name,Form Name,Section Header,Field Type,Field Label,"Choices, Calculations, OR Slider Labels",Field Note,Text Validation Type OR Show Slider Number,Text Validation Min,Text Validation Max,Identifier?,Branching Logic (Show field only if...),Required Field?,Custom Alignment,Question Number (surveys only),Matrix Group Name,Matrix Ranking?,Field Annotation
mrn,demographics,,text,Hospital record number,,,,,,y,,y,,,,,
patient_name,demographics,,text,Name,,,,,,y,,,,,,,
address,demographics,,notes,Address,,,,,,y,,,,,,,
birth_date,demographics,,text,Date of birth,,,date_ymd,,,y,,,,,,,
site,demographics,,dropdown,Site,"1, Paris | 2, Lyon",,,,,,,y,,,,,
arm,demographics,,radio,Arm,"1, personalised | 2, standard",,,,,,,,,,,,
index_date,demographics,,text,Date of first SIRT,,,date_ymd,2000-01-01,,,,y,,,,,
sex,demographics,,radio,Sex,"1, Male | 2, Female",,,,,,,,,,,,
comments,demographics,,notes,Comments,,,,,,,,,,,,,
diagnosis,baseline,,dropdown,Diagnosis,"1, HCC | 2, ICC",,,,,,,,,,,,
ecog,baseline,,dropdown,ECOG,"0, 0 | 1, 1 | 2, 2",,,,,,,,,,,,
child_pugh_class,baseline,,dropdown,Child-Pugh class,"A, A | B, B",,,,,,,,,,,,
bclc_stage,baseline,,dropdown,BCLC,"A, A | B, B | C, C",,,,,,,,,,,,
afp_ng_ml,baseline,,text,AFP,,ng/mL,number,0,,,,,,,,,
albumin_g_l,baseline,,text,Albumin,,g/L,number,10,60,,,,,,,,
bilirubin_umol_l,baseline,,text,Bilirubin,,umol/L,number,0,,,,,,,,,
portal_vein_invasion,baseline,,yesno,PVT,,,,,,,,,,,,,
lesion_label,lesion_measurements,,text,Lesion,,,,,,,,y,,,,,
lesion_organ,lesion_measurements,,text,Organ,,,,,,,,,,,,,
lesion_kind,lesion_measurements,,dropdown,Kind,"1, Target | 2, Non-target | 3, New",,,,,,,y,,,,,
scan_date,lesion_measurements,,text,Scan date,,,date_ymd,,,,,y,,,,,
longest_diameter_mm,lesion_measurements,,text,Longest diameter,,mm,number,0,500,,,,,,,,
treatment_type,treatments,,dropdown,Treatment,"1, SIRT | 2, TACE | 3, Systemic",,,,,,,y,,,,,
treatment_start_date,treatments,,text,Start,,,date_ymd,,,,,y,,,,,
device,treatments,,dropdown,Device,"1, Glass | 2, Resin",,,,,,,,,,,,
delivered_activity_gbq,treatments,,text,Activity,,GBq,number,0,,,,,,,,,
lung_shunt_fraction_pct,treatments,,text,LSF,,%,number,0,100,,,,,,,,
planned_tumour_dose_gy,treatments,,text,Planned tumour dose,,Gy,number,0,,,,,,,,,
verified_tumour_dose_gy,treatments,,text,Verified tumour dose,,Gy,number,0,,,,,,,,,
drug,treatments,,text,Drug,,,,,,,,,,,,,
lab_date,labs,,text,Lab date,,,date_ymd,,,,,y,,,,,
lab_test,labs,,dropdown,Test,"bilirubin, Bilirubin | albumin, Albumin | afp, AFP",,,,,,,y,,,,,
lab_value,labs,,text,Value,,,number,,,,,y,,,,,
lab_unit,labs,,text,Unit,,,,,,,,y,,,,,
ae_term,adverse_events,,text,Term,,,,,,,,y,,,,,
ae_grade,adverse_events,,dropdown,Grade,"1, 1 | 2, 2 | 3, 3 | 4, 4 | 5, 5",,,,,,,y,,,,,
ae_onset_date,adverse_events,,text,Onset,,,date_ymd,,,,,y,,,,,
followup_type,followup,,dropdown,Event,"1, Progression | 2, Resection | 3, Transplant | 4, Death | 5, Last contact",,,,,,,y,,,,,
followup_date,followup,,text,Date,,,date_ymd,,,,,y,,,,,
)";
}

// Builds a raw export with every dictionary column; cells not given are empty.
class RedcapExport {
 public:
  RedcapExport() {
    columns_ = {"mrn", "redcap_repeat_instrument", "redcap_repeat_instance", "patient_name", "address", "birth_date", "site",
                "arm", "index_date", "sex", "comments", "diagnosis", "ecog", "child_pugh_class", "bclc_stage", "afp_ng_ml",
                "albumin_g_l", "bilirubin_umol_l", "portal_vein_invasion", "lesion_label", "lesion_organ", "lesion_kind",
                "scan_date", "longest_diameter_mm", "treatment_type", "treatment_start_date", "device",
                "delivered_activity_gbq", "lung_shunt_fraction_pct", "planned_tumour_dose_gy", "verified_tumour_dose_gy",
                "drug", "lab_date", "lab_test", "lab_value", "lab_unit", "ae_term", "ae_grade", "ae_onset_date",
                "followup_type", "followup_date"};
  }
  RedcapExport& row(const std::string& mrn, const std::string& instrument, std::map<std::string, std::string> cells) {
    cells["mrn"] = mrn;
    if (!instrument.empty()) {
      cells["redcap_repeat_instrument"] = instrument;
      cells["redcap_repeat_instance"] = std::to_string(++instances_[mrn + "/" + instrument]);
    }
    rows_.push_back(std::move(cells));
    return *this;
  }
  std::string csv() const {
    std::string s;
    for (std::size_t i = 0; i < columns_.size(); ++i) s += (i ? "," : "") + columns_[i];
    s += "\n";
    for (const auto& r : rows_) {
      for (std::size_t i = 0; i < columns_.size(); ++i) {
        const auto it = r.find(columns_[i]);
        std::string v = it == r.end() ? "" : it->second;
        if (v.find_first_of(",\"\n") != std::string::npos) {
          std::string q = "\"";
          for (char c : v) q += c == '"' ? std::string("\"\"") : std::string(1, c);
          v = q + "\"";
        }
        s += (i ? "," : "") + v;
      }
      s += "\n";
    }
    return s;
  }

 private:
  std::vector<std::string> columns_;
  std::vector<std::map<std::string, std::string>> rows_;
  std::map<std::string, int> instances_;
};

// Two patients with everything, and the planted identifiers.
inline RedcapExport two_patient_export() {
  RedcapExport e;
  e.row("MRN-99817263", "", {{"patient_name", "Zebulon Quixote"}, {"address", "12 Rue des Lilas, Paris"}, {"birth_date", "1947-03-18"},
                             {"site", "1"}, {"arm", "1"}, {"index_date", "2021-03-01"}, {"sex", "1"},
                             {"comments", "Zebulon Quixote phoned his daughter"}, {"diagnosis", "1"}, {"ecog", "0"},
                             {"child_pugh_class", "A"}, {"bclc_stage", "C"}, {"afp_ng_ml", "1250.5"}, {"albumin_g_l", "38"},
                             {"bilirubin_umol_l", "14"}, {"portal_vein_invasion", "1"}})
      .row("MRN-99817263", "lesion_measurements", {{"lesion_label", "T1"}, {"lesion_organ", "liver"}, {"lesion_kind", "1"}, {"scan_date", "2021-02-20"}, {"longest_diameter_mm", "62"}})
      .row("MRN-99817263", "lesion_measurements", {{"lesion_label", "T1"}, {"lesion_organ", "liver"}, {"lesion_kind", "1"}, {"scan_date", "2021-06-01"}, {"longest_diameter_mm", "41.5"}})
      .row("MRN-99817263", "treatments", {{"treatment_type", "1"}, {"treatment_start_date", "2021-03-01"}, {"device", "1"}, {"delivered_activity_gbq", "3.6"},
                                          {"lung_shunt_fraction_pct", "6.2"}, {"planned_tumour_dose_gy", "250"}, {"verified_tumour_dose_gy", "231.4"}})
      .row("MRN-99817263", "labs", {{"lab_date", "2021-02-25"}, {"lab_test", "bilirubin"}, {"lab_value", "0.9"}, {"lab_unit", "mg/dL"}})
      .row("MRN-99817263", "adverse_events", {{"ae_term", "Fatigue"}, {"ae_grade", "2"}, {"ae_onset_date", "2021-03-10"}})
      .row("MRN-99817263", "followup", {{"followup_type", "1"}, {"followup_date", "2021-09-15"}})
      .row("MRN-99817263", "followup", {{"followup_type", "4"}, {"followup_date", "2022-04-02"}});
  e.row("MRN-55501234", "", {{"patient_name", "Hortense Brabazon"}, {"address", "4 Impasse du Moulin, Lyon"}, {"birth_date", "1951-11-02"},
                             {"site", "2"}, {"arm", "2"}, {"index_date", "2021-05-10"}, {"sex", "2"}, {"diagnosis", "1"},
                             {"ecog", "1"}, {"child_pugh_class", "B"}, {"bclc_stage", "B"}, {"afp_ng_ml", "8"}})
      .row("MRN-55501234", "treatments", {{"treatment_type", "3"}, {"treatment_start_date", "2021-05-20"}, {"drug", "sorafenib"}})
      .row("MRN-55501234", "labs", {{"lab_date", "2021-05-01"}, {"lab_test", "albumin"}, {"lab_value", "3.1"}, {"lab_unit", "g/dL"}})
      .row("MRN-55501234", "followup", {{"followup_type", "5"}, {"followup_date", "2023-01-31"}});
  return e;
}

// n synthetic patients with 9 rows each (for the kill test).
inline RedcapExport synthetic_export(int n) {
  RedcapExport e;
  for (int i = 0; i < n; ++i) {
    const std::string id = "SYN-" + std::to_string(100000 + i);
    e.row(id, "", {{"site", std::to_string(1 + i % 2)}, {"arm", std::to_string(1 + i % 2)}, {"index_date", "2020-01-15"},
                   {"sex", std::to_string(1 + i % 2)}, {"ecog", std::to_string(i % 3)}, {"afp_ng_ml", std::to_string(i)}});
    e.row(id, "lesion_measurements", {{"lesion_label", "T1"}, {"lesion_kind", "1"}, {"scan_date", "2020-01-10"}, {"longest_diameter_mm", "50"}});
    e.row(id, "lesion_measurements", {{"lesion_label", "T1"}, {"lesion_kind", "1"}, {"scan_date", "2020-04-10"}, {"longest_diameter_mm", "30"}});
    e.row(id, "treatments", {{"treatment_type", "1"}, {"treatment_start_date", "2020-01-15"}, {"delivered_activity_gbq", "2.5"}});
    e.row(id, "labs", {{"lab_date", "2020-01-14"}, {"lab_test", "bilirubin"}, {"lab_value", "12"}, {"lab_unit", "umol/L"}});
    e.row(id, "labs", {{"lab_date", "2020-02-14"}, {"lab_test", "albumin"}, {"lab_value", "35"}, {"lab_unit", "g/L"}});
    e.row(id, "adverse_events", {{"ae_term", "Nausea"}, {"ae_grade", "1"}, {"ae_onset_date", "2020-01-16"}});
    e.row(id, "followup", {{"followup_type", "1"}, {"followup_date", "2020-07-01"}});
    e.row(id, "followup", {{"followup_type", "5"}, {"followup_date", "2021-01-01"}});
  }
  return e;
}

}  // namespace sirtkit::registry::testing
