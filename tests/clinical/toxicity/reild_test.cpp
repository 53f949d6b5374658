#include "clinical/toxicity/reild.h"

#include <gtest/gtest.h>

#include "../expect_bad_input.h"

namespace sirtkit::clinical {
namespace {
const Date kSirt = parse_date("2020-01-01", "d");
ReildLab lab(int day, double v, std::optional<double> lln = std::nullopt, std::optional<double> uln = std::nullopt) {
  return {Date{kSirt.days + day}, v, lln, uln};
}
ReildCase base() {
  ReildCase c;
  c.patient_id = "P1";
  c.treatment = kSirt;
  c.ascites = true;
  c.tumour_progression = false;
  c.biliary_obstruction = false;
  return c;
}
}  // namespace

TEST(Reild, GilAlzugarayThresholdAndWindow) {
  auto verdict = [](int day, double bili) {
    ReildCase c = base();
    c.bilirubin = {lab(day, bili)};
    return assess_reild(c, ReildDefinition::gil_alzugaray).verdict;
  };
  EXPECT_EQ(verdict(40, 2.99), "no REILD");
  EXPECT_EQ(verdict(40, 3.0), "REILD");  // >= 3 mg/dL
  EXPECT_EQ(verdict(27, 5.0), "undetermined");  // no result inside days 28-56
  EXPECT_EQ(verdict(28, 5.0), "REILD");
  EXPECT_EQ(verdict(56, 5.0), "REILD");
  EXPECT_EQ(verdict(57, 5.0), "undetermined");
}

TEST(Reild, ClinicalFlagsAreNeverInferred) {
  ReildCase c = base();
  c.bilirubin = {lab(35, 4.0)};
  c.ascites.reset();
  EXPECT_EQ(assess_reild(c, ReildDefinition::gil_alzugaray).verdict, "undetermined");
  c.ascites = false;
  EXPECT_EQ(assess_reild(c, ReildDefinition::gil_alzugaray).verdict, "no REILD");
  c = base();
  c.bilirubin = {lab(35, 4.0)};
  c.tumour_progression = true;
  EXPECT_EQ(assess_reild(c, ReildDefinition::gil_alzugaray).verdict, "no REILD");
  c.tumour_progression = false;
  c.biliary_obstruction = true;
  EXPECT_EQ(assess_reild(c, ReildDefinition::gil_alzugaray).verdict, "no REILD");
  c.biliary_obstruction = false;
  const ReildResult r = assess_reild(c, ReildDefinition::gil_alzugaray);
  EXPECT_EQ(r.verdict, "REILD");
  EXPECT_EQ(to_iso(*r.lab_date), "2020-02-05");
}

TEST(Reild, Braat) {
  ReildCase c = base();
  c.bilirubin = {lab(20, 1.3, 0.2, 1.2)};  // > ULN
  c.albumin = {lab(30, 3.4, 3.5, 5.0)};    // < LLN
  ReildResult r = assess_reild(c, ReildDefinition::braat);
  EXPECT_EQ(r.verdict, "REILD");
  EXPECT_EQ(to_iso(*r.lab_date), "2020-01-31");  // when both were met
  c.bilirubin = {lab(20, 1.2, 0.2, 1.2)};  // = ULN: not hyperbilirubinemia
  EXPECT_EQ(assess_reild(c, ReildDefinition::braat).verdict, "no REILD");
  c.bilirubin = {lab(13, 2.0, 0.2, 1.2)};  // before day 14
  EXPECT_EQ(assess_reild(c, ReildDefinition::braat).verdict, "undetermined");
  c.bilirubin = {lab(120, 2.0, 0.2, 1.2)};
  EXPECT_EQ(assess_reild(c, ReildDefinition::braat).verdict, "REILD");
  c.albumin = {lab(30, 3.5, 3.5, 5.0)};  // = LLN: not hypoalbuminemia
  EXPECT_EQ(assess_reild(c, ReildDefinition::braat).verdict, "no REILD");
  c.albumin = {lab(30, 3.0, std::nullopt, 5.0)};  // LLN missing
  EXPECT_EQ(assess_reild(c, ReildDefinition::braat).verdict, "undetermined");
}

TEST(Reild, BadInput) {
  ReildCase c = base();
  c.bilirubin = {lab(30, -1)};
  EXPECT_BAD_INPUT(assess_reild(c, ReildDefinition::gil_alzugaray), "value", "-1");  // no patient id: patient data
  EXPECT_BAD_INPUT(parse_reild_definition("who"), "--definition", "who");
}

}  // namespace sirtkit::clinical
