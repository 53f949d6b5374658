#include "report/descriptive/table_one.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

namespace sirtkit::report {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// Two arms, one categorical variable whose second arm has no values at all,
// and a continuous one with a p-value below the double-precision floor.
TableOne two_arms() {
  TableOne t;
  t.source = "t.csv";
  t.by = "arm, planned";
  t.arms = {"A", "B"};
  t.arm_n = {3, 2};
  t.rows_read = 6;
  t.rows_without_arm = 1;
  TableOneVariable sex;
  sex.name = "sex";
  sex.categorical = true;
  sex.levels = {"F", "M"};
  sex.counts = {{1, 0}, {2, 0}};
  sex.non_missing = {3, 0};
  sex.missing = {0, 2};
  sex.test = {"none", std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::quiet_NaN(), "an arm has no values"};
  TableOneVariable age;
  age.name = "age";
  age.non_missing = {3, 2};
  age.missing = {0, 0};
  age.summary = {{3, 0, 60.25, 2.5}, {2, 0, 70, 1.0}};
  age.test = {"welch", 1e-20, 30.5, ""};
  t.variables = {sex, age};
  return t;
}

TEST(TableOneRender, EmptyArmShowsADashAndNullPercent) {
  const TableOne t = two_arms();
  const std::string text = table_one_text(t);
  EXPECT_TRUE(has(text, "Table 1: t.csv by arm, planned (5 rows; 1 rows without arm, planned left out)\n")) << text;
  EXPECT_TRUE(has(text, "  F             1 (33.3%)   —\n")) << text;
  EXPECT_TRUE(has(text, "  missing       0           2\n")) << text;
  EXPECT_TRUE(has(text, "sex: an arm has no values\n")) << text;
  const auto j = table_one_json(t);
  EXPECT_NEAR(j["variables"][0]["levels"][0]["percents"][0].get<double>(), 100.0 / 3, 1e-12);
  EXPECT_TRUE(j["variables"][0]["levels"][0]["percents"][1].is_null());
  EXPECT_TRUE(j["variables"][0]["test"]["p_value"].is_null());
  EXPECT_EQ(j["rows_without_arm"], 1);
}

// A p-value below the double-precision floor prints as R prints it, in the
// text and the CSV; the JSON keeps the number.
TEST(TableOneRender, TinyPValueAsRPrintsIt) {
  const TableOne t = two_arms();
  EXPECT_TRUE(has(table_one_text(t), "60.2 ± 2.5  70.0 ± 1.0  < 2e-16  Welch t\n")) << table_one_text(t);
  const std::string csv = table_one_csv(t);
  EXPECT_TRUE(has(csv, "\"age, mean ± SD\",,60.2 ± 2.5,70.0 ± 1.0,< 2e-16,Welch t\n")) << csv;
  EXPECT_TRUE(has(csv, "\"sex, n (%)\",F,1 (33.3%),—,,\n")) << csv;
  EXPECT_EQ(table_one_json(t)["variables"][1]["test"]["p_value"], 1e-20);
}

TEST(TableOneRender, NonnormalRangeAndOverall) {
  TableOne t = two_arms();
  t.options.overall = true;
  t.options.spread = Spread::range;
  t.options.digits = 2;
  auto& age = t.variables[1];
  age.nonnormal = true;
  age.summary = {{3, 0, 0, 0, 61, 55, 65, 50, 70}, {2, 0, 0, 0, 71, 70, 72, 69, 73}};
  age.overall = {5, 0, 0, 0, 65, 55, 70, 50, 73};
  const std::string text = table_one_text(t);
  EXPECT_TRUE(has(text, "age, median (min, max)")) << text;
  EXPECT_TRUE(has(text, "61.00 (50.00, 70.00)  71.00 (69.00, 73.00)  65.00 (50.00, 73.00)")) << text;
  EXPECT_TRUE(has(text, "Overall (n = 5)")) << text;
  EXPECT_EQ(table_one_json(t)["variables"][1]["type"], "continuous_nonnormal");
}

// The report's display: the CSV's rows with each level in a row of its own,
// indented under its characteristic (the characteristic's row keeps p and test).
TEST(TableOneRender, DisplayIndentsLevelsUnderTheirCharacteristic) {
  const TableOneDisplay d = table_one_display(two_arms());
  ASSERT_EQ(d.header.size(), 5u);
  EXPECT_EQ(d.header.front(), "characteristic");
  EXPECT_EQ(d.header[3], "p");
  EXPECT_EQ(d.header[4], "test");
  ASSERT_EQ(d.rows.size(), 5u);  // sex, F, M, missing, age
  EXPECT_EQ(d.rows[0], (std::vector<std::string>{"sex, n (%)", "", "", "NA", ""}));
  EXPECT_EQ(d.rows[1], (std::vector<std::string>{"    F", "1 (33.3%)", "—", "", ""}));
  EXPECT_EQ(d.rows[3], (std::vector<std::string>{"    missing", "0", "2", "", ""}));
  EXPECT_EQ(d.rows[4], (std::vector<std::string>{"age, mean ± SD", "60.2 ± 2.5", "70.0 ± 1.0", "< 2e-16", "Welch t"}));
}

}  // namespace
}  // namespace sirtkit::report
