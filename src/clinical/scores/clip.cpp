#include "clinical/scores/clip.h"

#include <cctype>
#include <string>

#include "clinical/units.h"
#include "core/text.h"
#include "core/error.h"

namespace sirtkit::clinical {

TumourMorphology parse_morphology(std::string_view text) {
  const std::string t = ascii_lower(text);
  if (t == "uninodular" || t == "single") return TumourMorphology::uninodular;
  if (t == "multinodular" || t == "multiple") return TumourMorphology::multinodular;
  if (t == "massive" || t == "diffuse" || t == "infiltrative") return TumourMorphology::massive;
  fail_input("value", "morphology", shown_value(text), "uninodular, multinodular or massive");
}

RuleResult clip(const ClipInput& in) {
  const char cp = static_cast<char>(std::toupper(static_cast<unsigned char>(in.child_pugh_class)));
  if (cp != 'A' && cp != 'B' && cp != 'C') {
    fail_input("CLIP", "child_pugh_class", std::string(1, in.child_pugh_class), "A, B or C");
  }
  if (!(in.afp_ng_ml >= 0) || in.afp_ng_ml > 1e8) {
    fail_input("CLIP", "afp", std::to_string(in.afp_ng_ml), "0 to 1e8 ng/mL");
  }
  // Child-Pugh A 0, B 1, C 2 (CLIP 1998, §2.5)
  const int cp_pts = cp - 'A';
  // Uninodular & ≤ 50 % 0; multinodular & ≤ 50 % 1; massive or > 50 % 2 (§2.5)
  int morph_pts;
  if (in.morphology == TumourMorphology::massive || in.extension_over_50_percent) morph_pts = 2;
  else if (in.morphology == TumourMorphology::multinodular) morph_pts = 1;
  else morph_pts = 0;
  // AFP < 400 ng/mL 0; ≥ 400 1 (§2.5)
  const int afp_pts = greater_equal(in.afp_ng_ml, 400.0) ? 1 : 0;
  const int pvt_pts = in.portal_vein_thrombosis ? 1 : 0;  // PVT yes 1 (§2.5)
  RuleResult r;
  r.rule = "CLIP";
  r.value = cp_pts + morph_pts + afp_pts + pvt_pts;
  r.category = "CLIP " + std::to_string(static_cast<int>(r.value));
  const char* morph = in.morphology == TumourMorphology::uninodular   ? "uninodular"
                      : in.morphology == TumourMorphology::multinodular ? "multinodular"
                                                                        : "massive";
  r.inputs = {
      {"child_pugh_class", 0, "", std::string(1, cp), cp_pts},
      {"morphology", 0, "", std::string(morph) + (in.extension_over_50_percent ? ", > 50 % of liver" : ", <= 50 % of liver"),
       morph_pts},
      {"afp", in.afp_ng_ml, "ng/mL", "", afp_pts},
      {"portal_vein_thrombosis", 0, "", in.portal_vein_thrombosis ? "yes" : "no", pvt_pts},
  };
  r.source = "CLIP investigators, Hepatology 1998;28:751-755";
  return r;
}

}  // namespace sirtkit::clinical
