// Table 1 over tests/data/descriptive/table1_patients.csv, a simulated two-arm
// trial written by table1_patients.R, which also prints the R 4.2.2 results
// used here (p-values 1e-10 relative; summaries 1e-12).

#include "pipelines/descriptive/table_one.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "io/text_formats/csv_table.h"

namespace sirtkit::pipelines {
namespace {

const std::string data_csv = std::string(SIRTKIT_SOURCE_DIR) + "/tests/data/descriptive/table1_patients.csv";

bool rel(double a, double e, double tol) { return std::fabs(a - e) <= tol * std::fabs(e); }

template <class F>
std::string bad_input_message(F f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error";
  return "";
}

TableOneOptions standard_options() {
  TableOneOptions o;
  o.by = "arm";
  o.variables = {"age", "sex", "child", "ecog", "etiology", "tumour_size_cm", "afp_ng_ml"};
  o.factors = {"ecog"};
  o.nonnormal = {"afp_ng_ml"};
  return o;
}

const TableOneVariable& variable(const TableOne& t, const std::string& name) {
  for (const auto& v : t.variables)
    if (v.name == name) return v;
  throw std::runtime_error("no variable " + name);
}

TEST(TableOne, MatchesRByArm) {
  const TableOne t = build_table_one(io::CsvTable::read(data_csv), standard_options());
  ASSERT_EQ(t.arms, (std::vector<std::string>{"PDA", "SDA"}));
  EXPECT_EQ(t.arm_n, (std::vector<int>{28, 28}));
  EXPECT_EQ(t.rows_without_arm, 0u);

  // R: tapply(d$age, d$arm, mean, na.rm = TRUE); tapply(d$age, d$arm, sd, na.rm = TRUE); t.test(age ~ arm, d)$p.value
  const auto& age = variable(t, "age");
  EXPECT_FALSE(age.categorical);
  EXPECT_EQ(age.missing, (std::vector<int>{1, 1}));
  EXPECT_TRUE(rel(age.summary[0].mean, 61.496296296296293, 1e-12));
  EXPECT_TRUE(rel(age.summary[1].mean, 61.61851851851852, 1e-12));
  EXPECT_TRUE(rel(age.summary[0].sd, 11.196169725589932, 1e-12));
  EXPECT_TRUE(rel(age.summary[1].sd, 9.653020134693481, 1e-12));
  EXPECT_EQ(age.test.name, "welch");
  EXPECT_TRUE(rel(age.test.p_value, 0.96590094571017904, 1e-10));
  // R: t.test(tumour_size_cm ~ arm, d)$p.value
  EXPECT_TRUE(rel(variable(t, "tumour_size_cm").test.p_value, 0.27312948484091382, 1e-10));

  // R: wilcox.test(afp_ng_ml ~ arm, d): W = 447.5, p = 0.087610935708286319 (ties: normal approximation)
  // quantile(d$afp_ng_ml[d$arm == "PDA"], c(0, .25, .5, .75, 1), na.rm = TRUE) = 6, 34, 74, 199, 2400; SDA 0, 11.25, 39, 164, 425
  const auto& afp = variable(t, "afp_ng_ml");
  EXPECT_EQ(afp.test.name, "wilcoxon");
  EXPECT_EQ(afp.test.statistic, 447.5);
  EXPECT_TRUE(rel(afp.test.p_value, 0.087610935708286319, 1e-10));
  EXPECT_EQ(afp.missing, (std::vector<int>{1, 2}));
  EXPECT_EQ(afp.summary[0].median, 74);
  EXPECT_EQ(afp.summary[0].q1, 34);
  EXPECT_EQ(afp.summary[0].max, 2400);
  EXPECT_EQ(afp.summary[1].q1, 11.25);
  EXPECT_EQ(afp.summary[1].q3, 164);
  EXPECT_EQ(afp.summary[1].min, 0);

  // R: tb <- table(d$child, d$arm); fisher.test(tb)$p.value   (counts 22, 5 / 19, 9; one missing in PDA)
  const auto& child = variable(t, "child");
  EXPECT_TRUE(child.categorical);
  EXPECT_EQ(child.levels, (std::vector<std::string>{"A5", "A6/B7"}));
  EXPECT_EQ(child.counts, (std::vector<std::vector<int>>{{22, 19}, {5, 9}}));
  EXPECT_EQ(child.missing, (std::vector<int>{1, 0}));
  EXPECT_EQ(child.non_missing, (std::vector<int>{27, 28}));
  EXPECT_TRUE(rel(child.test.p_value, 0.35503556402815623, 1e-10));
  // R: fisher.test(table(d$sex, d$arm))$p.value; fisher.test(table(d$ecog, d$arm))$p.value
  EXPECT_TRUE(rel(variable(t, "sex").test.p_value, 0.52794092345890564, 1e-10));
  const auto& ecog = variable(t, "ecog");
  EXPECT_TRUE(ecog.categorical);
  EXPECT_EQ(ecog.levels, (std::vector<std::string>{"0", "1"}));
  EXPECT_TRUE(rel(ecog.test.p_value, 0.41211294541479448, 1e-10));
  // R: fisher.test(table(d$etiology, d$arm))$p.value   (6 x 2, enumerated)
  const auto& et = variable(t, "etiology");
  EXPECT_EQ(et.levels.size(), 6u);
  EXPECT_EQ(et.levels[0], "Alcohol");
  EXPECT_EQ(et.counts[0], (std::vector<int>{6, 9}));
  EXPECT_TRUE(rel(et.test.p_value, 0.47372428912938697, 1e-10));
}

TEST(TableOne, ChisqStudentAndRangeOptions) {
  TableOneOptions o = standard_options();
  o.categorical_test = CategoricalTest::chisq;
  o.equal_variance = true;
  o.spread = Spread::range;
  const TableOne t = build_table_one(io::CsvTable::read(data_csv), o);
  // R: chisq.test(table(d$child, d$arm))$p.value (Yates); chisq.test(table(d$etiology, d$arm))$p.value
  EXPECT_TRUE(rel(variable(t, "child").test.p_value, 0.39533321822818912, 1e-10));
  EXPECT_TRUE(rel(variable(t, "etiology").test.p_value, 0.44258775935490569, 1e-10));
  EXPECT_NE(variable(t, "etiology").test.note.find("may be incorrect"), std::string::npos);
  // R: t.test(age ~ arm, d, var.equal = TRUE)$p.value
  EXPECT_EQ(variable(t, "age").test.name, "student");
  EXPECT_TRUE(rel(variable(t, "age").test.p_value, 0.96589738853131313, 1e-10));
  const std::string text = table_one_text(t);
  EXPECT_NE(text.find("afp_ng_ml, median (min, max)"), std::string::npos) << text;
  EXPECT_NE(text.find("74.0 (6.0, 2400.0)"), std::string::npos) << text;
}

TEST(TableOne, MoreThanTwoArmsUseAnovaAndKruskalWallis) {
  TableOneOptions o;
  o.by = "etiology";
  o.variables = {"age", "sex", "afp_ng_ml"};
  o.nonnormal = {"afp_ng_ml"};
  const TableOne t = build_table_one(io::CsvTable::read(data_csv), o);
  ASSERT_EQ(t.arms.size(), 6u);
  // R: oneway.test(age ~ etiology, d, var.equal = TRUE)$p.value
  EXPECT_EQ(variable(t, "age").test.name, "anova");
  EXPECT_TRUE(rel(variable(t, "age").test.p_value, 0.33202855167221701, 1e-10));
  // R: kruskal.test(afp_ng_ml ~ etiology, d)$p.value
  EXPECT_EQ(variable(t, "afp_ng_ml").test.name, "kruskal");
  EXPECT_TRUE(rel(variable(t, "afp_ng_ml").test.p_value, 0.36004459319166737, 1e-10));
  // R: fisher.test(table(d$sex, d$etiology))$p.value
  EXPECT_TRUE(rel(variable(t, "sex").test.p_value, 0.63944102823483828, 1e-10));
}

TEST(TableOne, TextCsvAndJsonShowEveryRow) {
  const TableOne t = build_table_one(io::CsvTable::read(data_csv), standard_options());
  const std::string text = table_one_text(t);
  EXPECT_NE(text.find("PDA (n = 28)"), std::string::npos) << text;
  EXPECT_NE(text.find("age, mean ± SD"), std::string::npos) << text;
  EXPECT_NE(text.find("61.5 ± 11.2"), std::string::npos) << text;
  EXPECT_NE(text.find("22 (81.5%)"), std::string::npos) << text;  // 22 of 27 non-missing
  EXPECT_NE(text.find("  missing"), std::string::npos) << text;
  EXPECT_NE(text.find("74.0 [34.0, 199.0]"), std::string::npos) << text;
  const std::string csv = table_one_csv(t);
  EXPECT_NE(csv.find("characteristic,level,PDA (n = 28),SDA (n = 28),p,test\n"), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"child, n (%)\",A5,22 (81.5%),19 (67.9%),"), std::string::npos) << csv;
  const auto j = table_one_json(t);
  EXPECT_EQ(j["schema"], "sirtkit.table1/1");
  EXPECT_EQ(j["variables"].size(), 7u);
  EXPECT_EQ(j["variables"][2]["name"], "child");
  EXPECT_EQ(j["variables"][2]["levels"][0]["counts"], (std::vector<int>{22, 19}));
  EXPECT_DOUBLE_EQ(j["variables"][2]["levels"][0]["percents"][0].get<double>(), 100.0 * 22 / 27);
  EXPECT_EQ(j["variables"][2]["missing"], (std::vector<int>{1, 0}));
}

TEST(TableOne, OverallColumn) {
  TableOneOptions o = standard_options();
  o.overall = true;
  const TableOne t = build_table_one(io::CsvTable::read(data_csv), o);
  // R: mean(d$age, na.rm = TRUE); sd(d$age, na.rm = TRUE)
  const auto& age = variable(t, "age");
  EXPECT_EQ(age.overall.n, 54);
  EXPECT_EQ(age.overall.missing, 2);
  EXPECT_TRUE(rel(age.overall.mean, (61.496296296296293 + 61.61851851851852) / 2, 1e-12));
  const std::string text = table_one_text(t);
  EXPECT_NE(text.find("Overall (n = 56)"), std::string::npos) << text;
  EXPECT_NE(text.find("41 (74.5%)"), std::string::npos) << text;  // child A5: 22 + 19 of 55
  const auto j = table_one_json(t);
  EXPECT_EQ(j["variables"][2]["levels"][0]["overall_count"], 41);
  EXPECT_EQ(j["variables"][0]["overall"]["n"], 54);
}

TEST(TableOne, UntestableVariablesGetANoteNotANumber) {
  const auto csv = io::CsvTable::parse("arm,x,site,y\nA,1,s1,5\nA,2,s1,\nB,3,s1,\nB,4,s1,\n", "small.csv");
  TableOneOptions o;
  o.by = "arm";
  const TableOne t = build_table_one(csv, o);
  EXPECT_EQ(variable(t, "site").test.name, "none");
  EXPECT_TRUE(std::isnan(variable(t, "site").test.p_value));
  EXPECT_EQ(variable(t, "site").test.note, "one level only");
  EXPECT_TRUE(std::isnan(variable(t, "y").test.p_value));  // arm B has no y
  EXPECT_EQ(variable(t, "y").test.note, "an arm has no values");
  EXPECT_TRUE(table_one_json(t)["variables"][2]["test"]["p_value"].is_null());
}

TEST(TableOne, RefusesBadInput) {
  const auto csv = io::CsvTable::read(data_csv);
  TableOneOptions o = standard_options();
  o.by = "group";
  EXPECT_NE(bad_input_message([&] { build_table_one(csv, o); }).find("group"), std::string::npos);
  o = standard_options();
  o.variables.push_back("weight");
  EXPECT_NE(bad_input_message([&] { build_table_one(csv, o); }).find("weight"), std::string::npos);
  o = standard_options();
  o.nonnormal = {"sex"};
  EXPECT_NE(bad_input_message([&] { build_table_one(csv, o); }).find("sex"), std::string::npos);
  o = standard_options();
  o.factors = {"bmi"};
  EXPECT_NE(bad_input_message([&] { build_table_one(csv, o); }).find("bmi"), std::string::npos);
  // A non-numeric value in a numeric column names file, line, column and value.
  const auto typo = io::CsvTable::parse("arm,age\nA,61\nA,6l\nB,70\nB,72\n", "typo.csv");
  TableOneOptions a;
  a.by = "arm";
  const std::string m = bad_input_message([&] { build_table_one(typo, a); });
  EXPECT_NE(m.find("typo.csv line 3: age = 6l"), std::string::npos) << m;
  // One arm only.
  const auto one = io::CsvTable::parse("arm,age\nA,61\nA,62\n", "one.csv");
  EXPECT_NE(bad_input_message([&] { build_table_one(one, a); }).find("at least 2 arms"), std::string::npos);
}

TEST(TableOne, RunReadsTheFile) {
  TableOneRequest rq;
  rq.csv = data_csv;
  rq.options = standard_options();
  const TableOne t = run_table_one(rq);
  EXPECT_EQ(t.arms.size(), 2u);
  EXPECT_EQ(t.variables.size(), standard_options().variables.size());
  rq.options.variables.push_back("nope");
  EXPECT_THROW(run_table_one(rq), Error);
}

}  // namespace
}  // namespace sirtkit::pipelines
