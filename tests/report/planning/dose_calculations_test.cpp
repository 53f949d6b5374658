#include "report/planning/dose_calculations.h"

#include <gtest/gtest.h>

#include <string>

namespace sirtkit::report {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(DoseCalculationsRender, MirdRowsRoundAsPrintedAndJsonKeepsEveryDigit) {
  // Package insert example: 120 Gy to 1.545 kg with K = 50 -> 3.708 GBq (no residual).
  const MirdCalculation c{120, 1.545, 0.05, 0, 1, {50, "stated"}, 3.7080000001, 3.7080000001, 9.2700000002};
  const CommandOutput o = mird_output(c);
  EXPECT_TRUE(has(o.text, "dose constant                      50.0000 Gy·kg/GBq (stated)\n")) << o.text;
  EXPECT_TRUE(has(o.text, "vial activity at injection         3.7080 GBq\n")) << o.text;
  EXPECT_TRUE(has(o.text, "lung dose                          9.270 Gy\n")) << o.text;
  EXPECT_DOUBLE_EQ(o.json["vial_activity_at_injection_gbq"].get<double>(), 3.7080000001);
  EXPECT_EQ(o.json["dose_constant_source"], "stated");
}

TEST(DoseCalculationsRender, DecayAnswersEitherTheActivityOrTheHours) {
  DecayCalculation c;
  c.activity_gbq = 5;
  c.half_life_h = 64.1;
  c.hours = 64.1;
  c.decay_factor = 0.5;
  CommandOutput o = decay_output(c);
  EXPECT_EQ(o.text, "decay factor                       0.500000\nactivity                           2.5000 GBq\n");
  EXPECT_DOUBLE_EQ(o.json["activity_after_gbq"].get<double>(), 2.5);
  EXPECT_FALSE(o.json.contains("to_gbq"));
  c.to_gbq = 10;
  c.hours = -64.1;
  o = decay_output(c);
  EXPECT_TRUE(has(o.text, "-64.100 h (before the reference: it is never reached by decay)")) << o.text;
  EXPECT_FALSE(o.json.contains("decay_factor"));
  EXPECT_DOUBLE_EQ(o.json["hours"].get<double>(), -64.1);
}

TEST(DoseCalculationsRender, BsaWithoutTreatmentSaysSo) {
  BsaCalculation c;
  c.prescription.bsa_m2 = 1.8;
  c.prescription.reduction = {0, false, "LSF > 20%: no treatment"};
  c.mosteller_bsa_m2 = 1.85;
  const CommandOutput o = bsa_output(c);
  EXPECT_TRUE(has(o.text, "BSA (Du Bois)                      1.8000 m² (Mosteller 1.8500)\n")) << o.text;
  EXPECT_TRUE(has(o.text, "activity                           no treatment\n")) << o.text;
  EXPECT_EQ(o.json["treatment_allowed"], false);
}

TEST(DoseCalculationsRender, DvhColumnsFollowTheMetricsAskedFor) {
  DvhCalculation c;
  c.dose_file = "dose.nii.gz";
  c.d_percents = {50};
  c.v_gy = {100, 205};
  dosimetry::DoseMetrics m;
  m.voxels = 8;
  m.volume_ml = 1;
  m.mean_gy = 150.25;
  m.min_gy = 90;
  m.max_gy = 300;
  m.d_at_percent = {{50, 140}};
  m.v_at_gy = {{100, 87.5}, {205, 12.5}};
  c.vois = {{"a tumour name longer than twenty-four", m}};
  const CommandOutput o = dvh_output(c);
  EXPECT_EQ(o.text,
            "VOI                      volume mL  mean Gy      min      max     D50    V100    V205\n"
            "a tumour name longer tha      1.00   150.25    90.00   300.00  140.00  87.50%  12.50%\n");
  EXPECT_EQ(o.json["vois"][0]["name"], "a tumour name longer than twenty-four");
  EXPECT_DOUBLE_EQ(o.json["vois"][0]["v_percent"]["V205"].get<double>(), 12.5);
  EXPECT_EQ(o.json["weighting"], "volume (uniform density)");
}

TEST(DoseCalculationsRender, DoseMapSummaryNamesMethodConstantAndTheEnergyBelowTheFloor) {
  DoseMapCalculation c;
  c.activity_file = "spect.nii.gz";
  c.calibration = "self-calibrated: 2.5 GBq over all counts";
  c.total_gbq = 2.5;
  c.density_source = "stated 1.04 g/mL";
  c.k = {49.9627, "computed from the Y-90 data"};
  c.absorbed_energy_j = 124.70219;
  c.max_dose_gy = 226.954;
  c.min_density_g_per_ml = 0.05;
  CommandOutput o = dose_map_output(c);
  EXPECT_EQ(o.text,
            "activity                       2.5 GBq (self-calibrated: 2.5 GBq over all counts)\n"
            "density                        stated 1.04 g/mL\n"
            "method                         local deposition\n"
            "dose constant                  49.9627 Gy·kg/GBq (computed from the Y-90 data)\n"
            "absorbed energy                124.702 J\n"
            "maximum dose                   226.95 Gy\n");
  EXPECT_EQ(o.json["method"], "local deposition");
  EXPECT_EQ(o.json["kernel"], "");
  EXPECT_DOUBLE_EQ(o.json["absorbed_energy_j"].get<double>(), 124.70219);
  EXPECT_EQ(o.json["energy_below_density_floor_fraction"].get<double>(), 0.0);
  // A kernel, and energy lost in voxels below the density floor: said in a line of its own.
  c.kernel = true;
  c.kernel_source = "Y-90 soft-tissue DVK";
  c.energy_below_density_floor_fraction = 0.001639;
  o = dose_map_output(c);
  EXPECT_TRUE(has(o.text, "method                         dose-voxel kernel: Y-90 soft-tissue DVK\n")) << o.text;
  EXPECT_TRUE(has(o.text, "below density floor            0.1639 % of the energy (voxels below 0.05 g/mL get no dose)\n")) << o.text;
  EXPECT_EQ(o.json["method"], "dose-voxel kernel");
  EXPECT_EQ(o.json["dose_constant_source"], "computed from the Y-90 data");
}

}  // namespace
}  // namespace sirtkit::report
