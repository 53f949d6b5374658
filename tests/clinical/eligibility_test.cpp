#include "clinical/eligibility.h"

#include <gtest/gtest.h>

#include "clinical/units.h"
#include "expect_bad_input.h"

namespace sirtkit::clinical {
namespace {

Criterion crit(const std::string& id, const std::string& field, CompareOp op, std::optional<double> t,
               const std::string& unit = "", std::vector<std::string> values = {}, bool exclusion = false,
               const std::string& analyte = "") {
  Criterion c;
  c.id = id;
  c.exclusion = exclusion;
  c.where = "rules.toml criterion " + id;
  c.conditions.push_back({field, op, t, unit, analyte, std::move(values)});
  return c;
}

RuleSet rules() {
  RuleSet r;
  r.name = "test";
  r.criteria = {
      crit("lesion_gt_7cm", "largest_lesion", CompareOp::gt, 7, "cm"),
      crit("ecog", "ecog", CompareOp::le, 1),
      crit("child_pugh_a", "child_pugh_class", CompareOp::in, std::nullopt, "", {"A"}),
      crit("lung_dose", "lung_dose", CompareOp::gt, 30, "Gy", {}, true),
      crit("bilirubin", "bilirubin", CompareOp::lt, 2, "mg/dL", {}, false, "bilirubin"),
  };
  // Seed 002: exclusion if tumour replacement > 50 % AND albumin < 3 g/dL
  Criterion both;
  both.id = "replacement_with_low_albumin";
  both.exclusion = true;
  both.where = "rules.toml criterion both";
  both.conditions = {{"tumour_replacement", CompareOp::gt, 50, "%", "", {}},
                     {"albumin", CompareOp::lt, 3, "g/dL", "", {}}};
  r.criteria.push_back(both);
  return r;
}

std::map<std::string, std::string> good() {
  return {{"largest_lesion", "8.2 cm"}, {"ecog", "1"},         {"child_pugh_class", "a"}, {"lung_dose", "12 Gy"},
          {"bilirubin", "20 umol/L"},   {"tumour_replacement", "60 %"}, {"albumin", "35 g/L"}};
}

}  // namespace

TEST(Units, ConvertQuantity) {
  EXPECT_DOUBLE_EQ(convert_quantity(parse_quantity("72 mm", "x"), "cm", "", "x"), 7.2);
  EXPECT_DOUBLE_EQ(convert_quantity(parse_quantity("35 g/L", "x"), "g/dL", "", "x"), 3.5);
  EXPECT_NEAR(convert_quantity(parse_quantity("34.2 umol/L", "x"), "mg/dL", "bilirubin", "x"), 2.0, 1e-12);
  EXPECT_NEAR(convert_quantity(parse_quantity("1 mg/dL", "x"), "µmol/L", "creatinine", "x"), 88.4, 1e-9);
  EXPECT_DOUBLE_EQ(convert_quantity(parse_quantity("135 mEq/L", "x"), "mmol/L", "sodium", "x"), 135);
  EXPECT_DOUBLE_EQ(convert_quantity(parse_quantity("3000 cGy", "x"), "Gy", "", "x"), 30);
  EXPECT_DOUBLE_EQ(convert_quantity(parse_quantity("2 weeks", "x"), "days", "", "x"), 14);
  EXPECT_BAD_INPUT(convert_quantity(parse_quantity("34 umol/L", "bili"), "mg/dL", "", "bili"), "bili", "umol/L");
  EXPECT_BAD_INPUT(convert_quantity(parse_quantity("7", "size"), "cm", "", "size"), "size", "unit is required");
  EXPECT_BAD_INPUT(convert_quantity(parse_quantity("7 Gy", "size"), "cm", "", "size"), "Gy");
}

TEST(Eligibility, EligiblePatient) {
  const EligibilityResult r = evaluate_eligibility(rules(), "P1", good(), "patients.csv line 2");
  EXPECT_EQ(r.verdict, "eligible");
  ASSERT_EQ(r.criteria.size(), 6u);
  for (const auto& c : r.criteria) EXPECT_EQ(c.verdict, Verdict::pass) << c.id << ": " << c.reason;
  EXPECT_NE(r.criteria[0].reason.find("8.2 cm > 7 cm"), std::string::npos) << r.criteria[0].reason;
}

TEST(Eligibility, ThresholdBoundaries) {
  auto verdict = [](const std::string& field, const std::string& value) {
    auto rec = good();
    rec[field] = value;
    return evaluate_eligibility(rules(), "P", rec, "w").verdict;
  };
  EXPECT_EQ(verdict("largest_lesion", "7 cm"), "not eligible");  // > 7 cm
  EXPECT_EQ(verdict("largest_lesion", "70 mm"), "not eligible");
  EXPECT_EQ(verdict("largest_lesion", "71 mm"), "eligible");
  EXPECT_EQ(verdict("ecog", "1"), "eligible");
  EXPECT_EQ(verdict("ecog", "2"), "not eligible");
  EXPECT_EQ(verdict("lung_dose", "30 Gy"), "eligible");  // exclusion > 30 Gy
  EXPECT_EQ(verdict("lung_dose", "30.1 Gy"), "not eligible");
  EXPECT_EQ(verdict("bilirubin", "34.1 umol/L"), "eligible");      // 1.994 mg/dL
  EXPECT_EQ(verdict("bilirubin", "34.2 umol/L"), "not eligible");  // exactly 2.0
  EXPECT_EQ(verdict("child_pugh_class", "B"), "not eligible");
}

TEST(Eligibility, CompoundExclusion) {
  auto rec = good();
  rec["albumin"] = "2.9 g/dL";  // > 50 % and < 3 g/dL → excluded
  EXPECT_EQ(evaluate_eligibility(rules(), "P", rec, "w").verdict, "not eligible");
  rec["tumour_replacement"] = "50 %";  // not > 50 %
  EXPECT_EQ(evaluate_eligibility(rules(), "P", rec, "w").verdict, "eligible");
  rec["tumour_replacement"] = "";  // unknown replacement, low albumin → cannot tell
  const auto r = evaluate_eligibility(rules(), "P", rec, "w");
  EXPECT_EQ(r.verdict, "undetermined");
  EXPECT_EQ(r.criteria.back().verdict, Verdict::unknown);
  rec["albumin"] = "3.5 g/dL";  // one condition false → the exclusion cannot hold
  EXPECT_EQ(evaluate_eligibility(rules(), "P", rec, "w").verdict, "eligible");
}

TEST(Eligibility, MissingValuesAreNeverGuessed) {
  auto rec = good();
  rec.erase("ecog");
  EXPECT_EQ(evaluate_eligibility(rules(), "P", rec, "w").verdict, "undetermined");
  rec["child_pugh_class"] = "C";  // a failed criterion decides
  EXPECT_EQ(evaluate_eligibility(rules(), "P", rec, "w").verdict, "not eligible");
  RuleSet r = rules();
  r.criteria[1].required = false;  // optional criterion: unknown does not block
  rec = good();
  rec["ecog"] = "NA";
  EXPECT_EQ(evaluate_eligibility(r, "P", rec, "w").verdict, "eligible");
}

TEST(Eligibility, BadValuesAndRules) {
  auto rec = good();
  rec["largest_lesion"] = "8.2";  // no unit
  EXPECT_BAD_INPUT(evaluate_eligibility(rules(), "P", rec, "patients.csv line 3"), "patients.csv line 3",
                   "largest_lesion", "8.2");
  rec = good();
  rec["lung_dose"] = "12 mL";
  EXPECT_BAD_INPUT(evaluate_eligibility(rules(), "P", rec, "w"), "lung_dose", "mL");
  RuleSet r = rules();
  r.criteria.push_back(r.criteria[0]);
  EXPECT_BAD_INPUT(validate_rules(r), "lesion_gt_7cm", "unique");
  r = rules();
  r.criteria[0].conditions[0].threshold.reset();
  EXPECT_BAD_INPUT(validate_rules(r), "threshold");
  EXPECT_BAD_INPUT(parse_compare_op("=>", "rules.toml"), "operator", "=>");
  EXPECT_NO_THROW(validate_rules(rules()));
}

}  // namespace sirtkit::clinical
