#include "clinical/scores/okuda.h"

#include <string>

#include "clinical/units.h"

namespace sirtkit::clinical {

RuleResult okuda(const OkudaInput& in) {
  require_range("Okuda", "albumin", in.albumin_g_dl, 0, 7, "g/dL");
  require_range("Okuda", "bilirubin", in.bilirubin_mg_dl, 0, 100, "mg/dL");
  const int t = in.tumour_over_50_percent ? 1 : 0;  // tumour > 50 % of liver (Okuda 1985)
  const int a = in.ascites ? 1 : 0;                 // ascites present
  const int alb = less(in.albumin_g_dl, 3.0) ? 1 : 0;            // albumin < 3 g/dL
  const int bili = greater_equal(in.bilirubin_mg_dl, 3.0) ? 1 : 0;  // bilirubin ≥ 3 mg/dL (§2.6)
  const int n = t + a + alb + bili;
  RuleResult r;
  r.rule = "Okuda";
  r.value = n;
  // Stage I: 0 positive; II: 1-2; III: 3-4 (§2.6)
  r.category = n == 0 ? "Okuda I" : n <= 2 ? "Okuda II" : "Okuda III";
  r.details = {{"stage", n == 0 ? "I" : n <= 2 ? "II" : "III"}};
  r.inputs = {
      {"tumour_over_50_percent", 0, "", in.tumour_over_50_percent ? "yes" : "no", t},
      {"ascites", 0, "", in.ascites ? "yes" : "no", a},
      {"albumin", in.albumin_g_dl, "g/dL", "", alb},
      {"bilirubin", in.bilirubin_mg_dl, "mg/dL", "", bili},
  };
  r.source = "Okuda K et al., Cancer 1985;56:918-928";
  r.notes.push_back("bilirubin positive at >= 3 mg/dL (some sources print > 3); albumin positive below 3 g/dL");
  return r;
}

}  // namespace sirtkit::clinical
