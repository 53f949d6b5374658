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

TEST(Eligibility, NonAnswersAreUndeterminedNeverPassAnExclusion) {
  // "unknown" for a yes/no exclusion used to read as "not yes" → eligible.
  RuleSet r = rules();
  r.criteria.push_back(crit("shunt", "digestive_shunt", CompareOp::in, std::nullopt, "", {"yes"}, true));
  for (const char* v : {"unknown", "Unknown", "N/A", "n/a", "not assessed", "Not done", "?", "ND", "UNK", "pending",
                        "awaiting CT", "-", "NA", "", "unclear", "maybe"}) {
    auto rec = good();
    rec["digestive_shunt"] = v;
    const EligibilityResult e = evaluate_eligibility(r, "P", rec, "w");
    EXPECT_EQ(e.verdict, "undetermined") << "'" << v << "'";
    EXPECT_EQ(e.criteria.back().verdict, Verdict::unknown) << v;
    // a numeric exclusion likewise
    rec = good();
    rec["lung_dose"] = v;
    EXPECT_EQ(evaluate_eligibility(rules(), "P", rec, "w").verdict, "undetermined") << "'" << v << "'";
  }
  auto rec = good();
  rec["digestive_shunt"] = "no";
  EXPECT_EQ(evaluate_eligibility(r, "P", rec, "w").verdict, "eligible");
  rec["digestive_shunt"] = "YES";
  EXPECT_EQ(evaluate_eligibility(r, "P", rec, "w").verdict, "not eligible");
  EXPECT_TRUE(is_non_answer("Not Assessed."));
  EXPECT_FALSE(is_non_answer("no"));
  EXPECT_FALSE(is_non_answer("0"));
  EXPECT_FALSE(is_non_answer("none"));
}

TEST(Eligibility, ImpossibleValuesAreRefused) {
  auto refused = [](const std::string& field, const std::string& value, const std::string& frag) {
    auto rec = good();
    rec[field] = value;
    EXPECT_BAD_INPUT(evaluate_eligibility(rules(), "P", rec, "patients.csv line 4"), "patients.csv line 4",
                     "column " + field, value, frag);
  };
  refused("lung_dose", "-35 Gy", "impossible");
  refused("ecog", "-1", "0");
  refused("ecog", "6", "5");
  refused("ecog", "1.5", "integer");
  refused("child_pugh_class", "D", "A, B, C");
  refused("tumour_replacement", "150 %", "100");
  refused("largest_lesion", "60 cm", "impossible");
  refused("albumin", "28 g/dL", "impossible");
  // the edges are answers
  auto rec = good();
  rec["ecog"] = "0";
  EXPECT_EQ(evaluate_eligibility(rules(), "P", rec, "w").verdict, "eligible");
  rec["lung_dose"] = "0 Gy";
  EXPECT_EQ(evaluate_eligibility(rules(), "P", rec, "w").verdict, "eligible");
  // age: built-in domain 0-130 years
  RuleSet r = rules();
  r.criteria.push_back(crit("adult", "age", CompareOp::ge, 18, "years"));
  rec = good();
  rec["age"] = "200 years";
  EXPECT_BAD_INPUT(evaluate_eligibility(r, "P", rec, "w"), "column age", "200 years", "130");
  rec["age"] = "130 years";
  EXPECT_EQ(evaluate_eligibility(r, "P", rec, "w").verdict, "eligible");
}

TEST(Eligibility, AnyGroupsAllowedAnswersAndDates) {
  RuleSet r;
  r.name = "t";
  r.fields["ascites"] = FieldDomain{{"none", "mild", "moderate", "severe"}, {}, {}, "", false, false};
  // Inclusion: Child-Pugh A, or Child-Pugh B with no more than mild ascites
  Criterion c;
  c.id = "liver";
  c.where = "rules.toml liver";
  Condition any;
  any.group = Condition::Group::any;
  Condition cp_a{"child_pugh_class", CompareOp::in, std::nullopt, "", "", {"A"}};
  Condition b_mild;
  b_mild.group = Condition::Group::all;
  b_mild.children = {Condition{"child_pugh_class", CompareOp::in, std::nullopt, "", "", {"B"}},
                     Condition{"ascites", CompareOp::in, std::nullopt, "", "", {"none", "mild"}}};
  any.children = {cp_a, b_mild};
  c.conditions = {any};
  r.criteria.push_back(c);
  // Imaging within 28 days before registration: 0 <= registration - imaging <= 28 days
  Criterion d;
  d.id = "imaging_28_days";
  d.where = "rules.toml imaging";
  Condition lo{"registration_date", CompareOp::ge, 0, "days", "", {}};
  lo.date_from = "imaging_date";
  Condition hi{"registration_date", CompareOp::le, 4, "weeks", "", {}};
  hi.date_from = "imaging_date";
  d.conditions = {lo, hi};
  r.criteria.push_back(d);
  EXPECT_NO_THROW(validate_rules(r));
  auto v = [&](const std::string& cp, const std::string& asc, const std::string& img, const std::string& reg) {
    return evaluate_eligibility(r, "P", {{"child_pugh_class", cp}, {"ascites", asc}, {"imaging_date", img},
                                         {"registration_date", reg}},
                                "w")
        .verdict;
  };
  EXPECT_EQ(v("A", "severe", "2024-01-01", "2024-01-29"), "eligible");      // 28 days: within
  EXPECT_EQ(v("A", "severe", "2024-01-01", "2024-01-30"), "not eligible");  // 29 days
  EXPECT_EQ(v("A", "severe", "2024-01-02", "2024-01-01"), "not eligible");  // imaging after registration
  EXPECT_EQ(v("B", "mild", "2024-01-01", "2024-01-01"), "eligible");
  EXPECT_EQ(v("B", "moderate", "2024-01-01", "2024-01-01"), "not eligible");
  EXPECT_EQ(v("C", "none", "2024-01-01", "2024-01-01"), "not eligible");
  EXPECT_EQ(v("B", "unknown", "2024-01-01", "2024-01-01"), "undetermined");  // B and ? → ?; A false → ?
  EXPECT_EQ(v("A", "unknown", "2024-01-01", "2024-01-01"), "eligible");      // A true decides the OR
  EXPECT_EQ(v("A", "none", "not done", "2024-01-01"), "undetermined");
  EXPECT_BAD_INPUT(v("A", "heavy", "2024-01-01", "2024-01-01"), "column ascites", "heavy", "mild");
  // An impossible date is refused without echoing it (dates are patient data)
  try {
    v("A", "none", "2024-02-30", "2024-03-01");
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("column imaging_date"), std::string::npos) << e.what();
    EXPECT_EQ(std::string(e.what()).find("2024-02-30"), std::string::npos) << e.what();
  }
  // A categorical field without known answers is a rule error; values outside the domain too
  RuleSet bad = r;
  bad.criteria[0].conditions[0].children[0].field = "histology";
  EXPECT_BAD_INPUT(validate_rules(bad), "histology", "allowed");
  bad = r;
  bad.criteria[0].conditions[0].children[0].values = {"E"};
  EXPECT_BAD_INPUT(validate_rules(bad), "values", "E");
  bad = r;
  bad.criteria[1].conditions[0].unit = "Gy";
  EXPECT_BAD_INPUT(validate_rules(bad), "Gy");
}

}  // namespace sirtkit::clinical
