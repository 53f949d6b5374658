#include "dosimetry/prescription/devices.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace sirtkit::dosimetry {
namespace {

Device glass() {
  Device d;
  d.kind = DeviceKind::glass;
  d.vial_sizes_gbq = {3, 5, 7, 10, 15, 20};
  d.calibration = make_date_time(2026, 11, 29, 12, 0, 0, -300);  // Sunday noon US Eastern
  d.residual_fraction = 0;
  d.max_hours_after_calibration = 288;
  return d;
}

}  // namespace

// dosimetry-physics.md §11: 3.903 GBq needed — 5 GBq after 22.91 h, 7 after 54.02 h, 10 after 87.01 h, 3 never.
TEST(Devices, GlassVialTiming) {
  const VialChoice c = choose_vial(3.903, glass(), {});
  ASSERT_EQ(c.options.size(), 6u);
  EXPECT_FALSE(c.options[0].usable);
  EXPECT_NEAR(c.options[1].hours_after_calibration, 22.91, 0.01);
  EXPECT_NEAR(c.options[2].hours_after_calibration, 54.02, 0.01);
  EXPECT_NEAR(c.options[3].hours_after_calibration, 87.01, 0.01);
  ASSERT_TRUE(c.chosen);
  EXPECT_EQ(c.chosen->vial_gbq, 5);  // the earliest usable moment
  EXPECT_EQ(format_iso(c.chosen->injection_time), "2026-11-30T10:54:21-05:00");  // 22.9058 h after noon
}

TEST(Devices, ResidualRaisesTheVialActivity) {
  Device d = glass();
  d.residual_fraction = 0.01;
  EXPECT_NEAR(choose_vial(3.903, d, {}).needed_vial_activity_gbq, 3.903 / 0.99, 1e-12);
}

TEST(Devices, TreatmentWindowAndShelfLife) {
  TreatmentWindow w;
  w.earliest = make_date_time(2026, 12, 1, 8, 0, 0, 60);
  w.latest = make_date_time(2026, 12, 3, 17, 0, 0, 60);
  const VialChoice c = choose_vial(3.903, glass(), w);
  ASSERT_TRUE(c.chosen);
  EXPECT_EQ(c.chosen->vial_gbq, 7);  // 5 GBq is ready before the window opens
  EXPECT_NE(c.options[1].reason.find("before the treatment window"), std::string::npos);
  Device short_life = glass();
  short_life.max_hours_after_calibration = 20;
  EXPECT_FALSE(choose_vial(3.903, short_life, {}).chosen);
}

TEST(Devices, WorkingHoursMoveAVialOnlyWithinTolerance) {
  TreatmentWindow w;
  w.display_offset_minutes = -300;
  w.working_hours = std::make_pair(12, 17);  // 5 GBq is ready at 10:55 local: moving to 12:00 decays it
  const VialChoice strict = choose_vial(3.903, glass(), w);
  EXPECT_FALSE(strict.options[1].usable);
  w.activity_tolerance_percent = 2.0;
  const VialChoice loose = choose_vial(3.903, glass(), w);
  ASSERT_TRUE(loose.options[1].usable);
  // Moved from 10:54:21 to 12:00:00, 1.0942 h later: exp(−ln2·1.0942/64.1) − 1 = −1.1763 %.
  EXPECT_NEAR(loose.options[1].activity_deviation_percent, -1.1763, 0.0005);
  EXPECT_EQ(format_iso(loose.options[1].injection_time), "2026-11-30T12:00:00-05:00");
}

TEST(Devices, ResinDrawFraction) {
  Device d;
  d.kind = DeviceKind::resin;
  d.vial_sizes_gbq = {3};
  d.calibration = make_date_time(2026, 11, 30, 18, 0, 0, 0);
  d.residual_fraction = 0.03;
  d.max_hours_after_calibration = 72;
  TreatmentWindow w;
  w.fixed = make_date_time(2026, 12, 1, 18, 0, 0, 0);  // 24 h later: 3 × 0.7714 GBq
  const VialChoice c = choose_vial(1.5, d, w);
  ASSERT_TRUE(c.chosen);
  EXPECT_NEAR(c.chosen->vial_activity_at_injection_gbq, 3 * 0.77139, 1e-4);
  EXPECT_NEAR(c.chosen->draw_fraction, (1.5 / 0.97) / (3 * 0.77139), 1e-4);
  EXPECT_FALSE(choose_vial(2.5, d, w).chosen);  // more than the vial holds
}

}  // namespace sirtkit::dosimetry
