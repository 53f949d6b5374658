// Coded groups show the labels a data dictionary gives them (issue 16: "groups
// show raw codes, sex=1"): the same numbers as with the codes, the levels in
// the codes' order, a reference by label, and two codes under one label refused.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "run_sirtkit.h"

namespace sirtkit::cli_test {
namespace {

using nlohmann::json;

const std::string kLung = std::string(SIRTKIT_SOURCE_DIR) + "/examples/stats/lung.csv";
const std::string kLabels = " --labels " + std::string(SIRTKIT_SOURCE_DIR) + "/examples/stats/lung_dictionary.csv";

TEST(ValueLabels, KaplanMeierGroupsShowTheLabelsWithTheSameNumbers) {
  const json coded = json::parse(run("km " + kLung + " --group sex --json", false).out);
  const json labelled = json::parse(run("km " + kLung + " --group sex --json" + kLabels, false).out);
  ASSERT_EQ(labelled["curves"].size(), 3u);
  EXPECT_EQ(coded["curves"][1]["strata"], "sex=1");
  EXPECT_EQ(labelled["curves"][1]["strata"], "sex=Male");  // code 1 first, as factor(levels = codes)
  EXPECT_EQ(labelled["curves"][2]["strata"], "sex=Female");
  for (std::size_t k = 0; k < 3; ++k) {
    EXPECT_EQ(labelled["curves"][k]["median"], coded["curves"][k]["median"]) << k;
    EXPECT_EQ(labelled["curves"][k]["n"], coded["curves"][k]["n"]) << k;
  }
}

TEST(ValueLabels, CoxTermsAreNamedByLabelAndTheReferenceMayBeALabel) {
  const std::string args = "cox " + kLung + " --covariates age,sex,ph.ecog --factor sex,ph.ecog --json";
  const json coded = json::parse(run(args, false).out);
  const json labelled = json::parse(run(args + kLabels + " --reference sex=Female", false).out);
  EXPECT_EQ(coded["terms"][1], "sex2");
  EXPECT_EQ(labelled["terms"][1], "sexMale");
  EXPECT_EQ(labelled["terms"][3], "ph.ecogIn bed < 50% of the day");
  // Female as reference: the sex coefficient changes sign, nothing else moves.
  EXPECT_NEAR(labelled["coef"][1].get<double>(), -coded["coef"][1].get<double>(), 1e-9);
  EXPECT_NEAR(labelled["coef"][0].get<double>(), coded["coef"][0].get<double>(), 1e-9);
  EXPECT_NEAR(labelled["loglik"][1].get<double>(), coded["loglik"][1].get<double>(), 1e-9);
}

TEST(ValueLabels, TwoCodesUnderOneLabelAreRefused) {
  const auto dir = fresh_dir("sirtkit_value_labels");
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "dict.csv") << "Variable / Field Name,Form Name,Field Type,\"Choices, Calculations, OR Slider Labels\"\n"
                                     "sex,lung,radio,\"1, Patient | 2, Patient\"\n";
  const CliRun r = run("km " + kLung + " --group sex --labels " + (dir / "dict.csv").string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("Patient"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace sirtkit::cli_test
