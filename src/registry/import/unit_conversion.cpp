#include "registry/import/unit_conversion.h"

#include "clinical/units.h"

namespace sirtkit::registry {
namespace {

struct Conversion {
  const char* field_suffix;  // fields ending so take the registry unit below
  const char* registry_unit;
  const char* source_unit;   // canonical spelling
  double factor;             // registry value = factor × source value
};

// Each factor is exact by definition or cited:
//  - bilirubin 1 mg/dL = 17.1 µmol/L (molar mass 584.7 g/mol; the factor of the
//    Child-Pugh SI table, clinical-rules.md §2.1, as clinical/units.h uses)
//  - albumin 1 g/dL = 10 g/L (exact: 1 dL = 0.1 L)
//  - AFP 1 µg/L = 1 ng/mL (exact); 1 IU/mL = 1.21 ng/mL (WHO First International
//    Standard for AFP 72/225: 1 IU = 1.21 ng)
//  - 1 cm = 10 mm (exact)
//  - 1 MBq = 0.001 GBq (exact); 1 mCi = 37 MBq = 0.037 GBq (exact: the curie is
//    defined as 3.7e10 Bq, BIPM SI Brochure 8th ed. Table 10; NIST SP 811 B.8)
//  - 1 cGy = 0.01 Gy (exact); 1 mGy = 0.001 Gy (exact)
//  - a fraction 0..1 × 100 = percent (exact)
//  - 1 g = 1000 mg (exact)
const std::vector<Conversion>& conversions() {
  static const std::vector<Conversion> c = {
      {"bilirubin_umol_l", "umol/l", "umol/l", 1},   {"bilirubin_umol_l", "umol/l", "mg/dl", 17.1},
      {"_g_l", "g/l", "g/l", 1},                     {"_g_l", "g/l", "g/dl", 10},
      {"_ng_ml", "ng/ml", "ng/ml", 1},               {"_ng_ml", "ng/ml", "ug/l", 1},
      {"afp_ng_ml", "ng/ml", "iu/ml", 1.21},
      {"_mm", "mm", "mm", 1},                        {"_mm", "mm", "cm", 10},
      {"_gbq", "gbq", "gbq", 1},                     {"_gbq", "gbq", "mbq", 1e-3},
      {"_gbq", "gbq", "mci", 0.037},
      {"_gy", "gy", "gy", 1},                        {"_gy", "gy", "cgy", 1e-2},
      {"_gy", "gy", "mgy", 1e-3},
      {"_pct", "%", "%", 1},                         {"_pct", "%", "percent", 1},
      {"_pct", "%", "fraction", 100},
      {"_mg", "mg", "mg", 1},                        {"_mg", "mg", "g", 1000},
  };
  return c;
}

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::string registry_unit(const std::string& field) {
  for (const auto& c : conversions())
    if (ends_with(field, c.field_suffix)) return c.registry_unit;
  return "";
}

std::optional<double> factor_to_registry_unit(const std::string& field, const std::string& source_unit) {
  const std::string u = clinical::canonical_unit(source_unit);
  for (const auto& c : conversions())
    if (ends_with(field, c.field_suffix) && u == c.source_unit) return c.factor;
  return std::nullopt;
}

std::vector<std::string> accepted_units(const std::string& field) {
  std::vector<std::string> out;
  for (const auto& c : conversions())
    if (ends_with(field, c.field_suffix)) out.push_back(c.source_unit);
  return out;
}

}  // namespace sirtkit::registry
