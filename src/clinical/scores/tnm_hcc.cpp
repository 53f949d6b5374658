#include "clinical/scores/tnm_hcc.h"

#include <string>

#include "clinical/units.h"

namespace sirtkit::clinical {

const char* tnm_hcc_t(const TnmHccInput& in) {
  require_int_range("AJCC 8 TNM", "tumours", in.tumours, 1, 1000);
  require_range("AJCC 8 TNM", "largest", in.largest_cm, 0, 50, "cm");
  // T4: major branch of portal/hepatic vein, or adjacent organs other than the gallbladder,
  // or perforation of visceral peritoneum (AJCC 8, §2.7)
  if (in.major_vessel_invasion || in.adjacent_organ_invasion) return "T4";
  if (in.tumours == 1) {
    if (less_equal(in.largest_cm, 2.0)) return "T1a";  // solitary ≤ 2 cm, with or without vascular invasion
    return in.vascular_invasion ? "T2" : "T1b";        // solitary > 2 cm with / without vascular invasion
  }
  return greater(in.largest_cm, 5.0) ? "T3" : "T2";    // multiple: at least one > 5 cm → T3; none > 5 cm → T2
}

RuleResult tnm_hcc(const TnmHccInput& in) {
  const std::string t = tnm_hcc_t(in);
  RuleResult r;
  r.rule = "AJCC 8 TNM (HCC)";
  std::string stage;
  // Stage groups (AJCC 8): IVB any M1; IVA any N1 M0; then by T
  if (in.distant_metastasis) stage = "IVB";
  else if (in.regional_nodes) stage = "IVA";
  else if (t == "T1a") stage = "IA";
  else if (t == "T1b") stage = "IB";
  else if (t == "T2") stage = "II";
  else if (t == "T3") stage = "IIIA";
  else stage = "IIIB";
  static const char* kOrder[] = {"IA", "IB", "II", "IIIA", "IIIB", "IVA", "IVB"};
  for (int i = 0; i < 7; ++i)
    if (stage == kOrder[i]) r.value = i + 1;
  r.category = "stage " + stage;
  const std::string tnm = t + (in.regional_nodes ? " N1" : " N0") + (in.distant_metastasis ? " M1" : " M0");
  r.notes.push_back(tnm);
  r.details = {{"T", t},
               {"N", in.regional_nodes ? "N1" : "N0"},
               {"M", in.distant_metastasis ? "M1" : "M0"},
               {"stage", stage}};
  r.inputs = {
      {"tumours", double(in.tumours), "", "", {}},
      {"largest", in.largest_cm, "cm", "", {}},
      {"vascular_invasion", 0, "", in.vascular_invasion ? "yes" : "no", {}},
      {"major_vessel_invasion", 0, "", in.major_vessel_invasion ? "yes" : "no", {}},
      {"adjacent_organ_invasion", 0, "", in.adjacent_organ_invasion ? "yes" : "no", {}},
      {"regional_nodes", 0, "", in.regional_nodes ? "yes" : "no", {}},
      {"distant_metastasis", 0, "", in.distant_metastasis ? "yes" : "no", {}},
  };
  r.source = "AJCC Cancer Staging Manual, 8th ed. (2017), Liver";
  return r;
}

}  // namespace sirtkit::clinical
