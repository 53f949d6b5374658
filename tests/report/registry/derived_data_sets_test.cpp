#include "report/registry/derived_data_sets.h"

#include <gtest/gtest.h>

#include <string>

namespace sirtkit::report {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(DerivedDataSetsRender, TimeToEventCountsCensoredAndNamesTheFileWritten) {
  TteDerivation d;
  d.location = "db";
  d.paramcd = "OS";
  d.origin = "first-treatment";
  d.censor_at_surgery = true;
  d.subjects = 10;
  d.events = 7;
  d.excluded = {{"P1", "no treatment"}};
  d.out = "os.csv";
  d.months = true;
  const CommandOutput o = tte_derivation_output(d);
  EXPECT_EQ(o.json["censored"], 3);
  EXPECT_EQ(o.json["excluded"][0]["usubjid"], "P1");
  EXPECT_EQ(o.json["out"], "os.csv");
  EXPECT_TRUE(has(o.text, "OS from the first treatment, censored at resection/transplant: 10 subjects, 7 events, 3 censored\n"
                          "  excluded P1: no treatment\nwrote os.csv (ADaM ADTTE: AVAL in months,"))
      << o.text;
  // sirtkit analyze shows the summary without its temporary file.
  EXPECT_FALSE(has(tte_derivation_summary(d), "wrote"));
  d.out.clear();
  EXPECT_TRUE(tte_derivation_output(d).json["out"].is_null());
}

TEST(DerivedDataSetsRender, ResponseRatesAndLandmarksInTheCriteriaOrder) {
  ResponseDerivation d;
  d.criteria = "mRECIST";
  d.subjects = 8;
  d.objective_response = 3;
  d.disease_control = 6;
  d.best_overall_response = {{"PD", 2}, {"CR", 1}, {"SD", 3}, {"PR", 2}};
  d.landmarks = {{"DAY 90", {{"SD", 4}, {"PR", 1}}}};
  d.at_days = {90, 180};
  const CommandOutput o = response_derivation_output(d);
  EXPECT_TRUE(has(o.text, "  best overall response   CR 1, PR 2, SD 3, PD 2\n")) << o.text;
  EXPECT_TRUE(has(o.text, "  objective response      3/8 (37.5%) (CR or PR)\n")) << o.text;
  EXPECT_TRUE(has(o.text, "  at DAY 90              PR 1, SD 4\n  at DAY 180             none\n")) << o.text;
  EXPECT_FALSE(has(o.text, "wrote")) << o.text;
  EXPECT_EQ(o.json["landmarks"]["DAY 90"]["SD"], 4);
  EXPECT_FALSE(o.json["landmarks"].contains("DAY 180"));
  EXPECT_EQ(o.json["best_overall_response"]["PD"], 2);
}

}  // namespace
}  // namespace sirtkit::report
