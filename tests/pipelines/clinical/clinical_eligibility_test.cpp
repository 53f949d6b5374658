#include "pipelines/clinical/clinical_eligibility.h"
#include "report/clinical/eligibility_verdicts.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace sirtkit::pipelines {
namespace {
std::string error_of(const std::string& rules, const std::string& patients) {
  try {
    eligibility_from_text(rules, patients);
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}
const char* kRules = R"(
name = "test"
[[criterion]]
id = "big"
field = "largest_lesion"
operator = ">"
threshold = 7
unit = "cm"
[[criterion]]
id = "low_albumin_and_big"
type = "exclusion"
[[criterion.all]]
field = "tumour_replacement"
operator = ">"
threshold = 50
unit = "%"
[[criterion.all]]
field = "albumin"
operator = "<"
threshold = 3
unit = "g/dL"
[[criterion]]
id = "child_pugh"
field = "child_pugh_class"
operator = "=="
value = "A"
required = false
)";
}  // namespace

TEST(ClinicalEligibility, ParsesRulesAndEvaluatesPatients) {
  const auto r = eligibility_from_text(kRules,
                                       "patient_id,largest_lesion,tumour_replacement,albumin,child_pugh_class\n"
                                       "A,80 mm,60 %,28 g/L,A\n"
                                       "B,8 cm,60 %,31 g/L,\n"
                                       "C,7 cm,10 %,40 g/L,A\n");
  ASSERT_EQ(r.rules.criteria.size(), 3u);
  EXPECT_TRUE(r.rules.criteria[1].exclusion);
  EXPECT_EQ(r.rules.criteria[1].conditions.size(), 2u);
  EXPECT_FALSE(r.rules.criteria[2].required);
  ASSERT_EQ(r.patients.size(), 3u);
  EXPECT_EQ(r.patients[0].verdict, "not eligible");  // 28 g/L < 3 g/dL and 60 % > 50 %
  EXPECT_EQ(r.patients[1].verdict, "eligible");      // optional child_pugh missing
  EXPECT_EQ(r.patients[2].verdict, "not eligible");  // 7 cm is not > 7 cm
  EXPECT_NE(report::eligibility_json(r).find("\"verdict\": \"not eligible\""), std::string::npos);
}

TEST(ClinicalEligibility, StrictRuleFiles) {
  const std::string patients = "patient_id,largest_lesion\nA,8 cm\n";
  std::string m = error_of("name = \"x\"\n[[criterion]]\nid = \"a\"\nfield = \"largest_lesion\"\noperator = \">\"\n"
                           "threshold = 7\nunits = \"cm\"\n",
                           patients);
  EXPECT_NE(m.find("units"), std::string::npos) << m;  // misspelt key refused
  m = error_of("name = \"x\"\n[[criterion]]\nid = \"a\"\nfield = \"largest_lesion\"\noperator = \"~\"\nthreshold = 7\n",
               patients);
  EXPECT_NE(m.find("operator"), std::string::npos) << m;
  m = error_of("name = \"x\"\n[[criterion]]\nid = \"a\"\ntype = \"maybe\"\nfield = \"largest_lesion\"\n"
               "operator = \">\"\nthreshold = 7\nunit = \"cm\"\n",
               patients);
  EXPECT_NE(m.find("maybe"), std::string::npos) << m;
  // A field the rules use but the CSV lacks is an error, not a missing value
  m = error_of("name = \"x\"\n[[criterion]]\nid = \"a\"\nfield = \"largest_lesion_cm\"\noperator = \">\"\n"
               "threshold = 7\nunit = \"cm\"\n",
               patients);
  EXPECT_NE(m.find("largest_lesion_cm"), std::string::npos) << m;
}

TEST(ClinicalEligibility, BundledExamplesParse) {
  for (const char* f : {"dosisphere01", "seed002"}) {
    const auto r = run_eligibility(std::string(SIRTKIT_SOURCE_DIR) + "/examples/clinical/eligibility/" + f + ".toml",
                                   std::string(SIRTKIT_SOURCE_DIR) + "/examples/clinical/eligibility/" + f +
                                       "_patients.csv");
    EXPECT_FALSE(r.patients.empty()) << f;
  }
  const auto d = run_eligibility(std::string(SIRTKIT_SOURCE_DIR) + "/examples/clinical/eligibility/dosisphere01.toml",
                                 std::string(SIRTKIT_SOURCE_DIR) +
                                     "/examples/clinical/eligibility/dosisphere01_patients.csv");
  // P01 eligible; P02 68 mm; P03 lung 31.5 Gy; P04 spared liver missing; P05 on every boundary (eligible);
  // P06 digestive shunt "unknown" and P07 lung dose "not assessed": undetermined, never eligible
  ASSERT_EQ(d.patients.size(), 7u);
  EXPECT_EQ(d.patients[5].verdict, "undetermined");
  EXPECT_EQ(d.patients[6].verdict, "undetermined");
  EXPECT_EQ(d.patients[0].verdict, "eligible");
  EXPECT_EQ(d.patients[1].verdict, "not eligible");
  EXPECT_EQ(d.patients[2].verdict, "not eligible");
  EXPECT_EQ(d.patients[3].verdict, "undetermined");
  EXPECT_EQ(d.patients[4].verdict, "eligible");
}

}  // namespace sirtkit::pipelines
