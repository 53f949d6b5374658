// The what-if on gathered VOI voxels (dosimetry/metrics/voi_doses.h) against the full
// computation written out here: the dose map of the whole grid
// (combined_dose), each VOI's voxels picked from it by its mask, Dx from a
// full sort, and every number compared exactly (the same float doses, so the
// same metrics, DVH, radiobiology, goals and constraints to the last bit).
#include "dosimetry/metrics/voi_doses.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>
#include <functional>
#include <random>

#include "core/error.h"
#include "dosimetry/metrics/plan_radiobiology.h"
#include "dosimetry/planning/planner.h"

namespace sirtkit::dosimetry {
namespace {

// Two injections on a 40×30×20 grid of 4 mm voxels: a liver, two territories
// splitting it, a tumour in each and one straddling both, lungs, the normal
// liver, and a VOI with exactly the voxels of another (shared numbers).
// With `one_injection`, only the right lobar injection, and its doses per GBq
// hold ties (every 5th voxel on a 0.5 Gy/GBq step) and small negative values
// outside the liver (as an FFT convolution may leave): the single-injection
// path reads its numbers from the doses per GBq sorted once (scaled_doses.h).
// With `ties`, two injections with those ties and negative values, and a VOI
// with no voxel (left out of the results; a constraint on it reads 0).
struct TwoInjections {
  DoseModel m;
  PlanRules r;
  explicit TwoInjections(bool one_injection = false, bool ties = false) {
    image::Grid g;
    g.size = {40, 30, 20};
    g.spacing_mm = {4, 4, 4};
    std::mt19937 rng(20261205);
    std::uniform_real_distribution<float> mass(0.00004f, 0.00008f), u(0.f, 1.f);
    m.mass_kg = image::Volume<float>(g, 0.f);
    for (float& x : m.mass_kg.data) x = mass(rng);
    m.options.approach = Approach::voxel;
    m.lung_dose_gy_per_gbq = 3.7;
    m.hepatic_reserve_percent = 20;
    const auto box = [&](const std::string& name, VoiRole role, int x0, int x1, int y0, int y1, int z0, int z1) {
      Voi v{name, role, image::Mask(g, 0)};
      for (int z = z0; z < z1; ++z)
        for (int y = y0; y < y1; ++y)
          for (int x = x0; x < x1; ++x) v.mask.data[g.index(x, y, z)] = 1;
      m.vois.push_back(v);
    };
    box("liver", VoiRole::liver, 2, 38, 2, 20, 2, 18);
    box("right lobe", VoiRole::territory, 2, 22, 2, 20, 2, 18);
    box("left lobe", VoiRole::territory, 22, 38, 2, 20, 2, 18);
    box("tumour right", VoiRole::tumour, 6, 12, 5, 11, 5, 11);
    box("tumour left", VoiRole::tumour, 28, 33, 8, 14, 6, 12);
    box("tumour across", VoiRole::tumour, 19, 25, 12, 17, 10, 15);
    box("lungs", VoiRole::lungs, 0, 40, 22, 30, 0, 20);
    box("perfused liver: right lobar", VoiRole::other, 2, 22, 2, 20, 2, 18);  // the right lobe's voxels
    Voi normal{normal_liver_name(), VoiRole::other, m.vois[0].mask};
    for (const Voi& v : m.vois)
      if (v.role == VoiRole::tumour)
        for (std::size_t i = 0; i < normal.mask.data.size(); ++i)
          if (v.mask.data[i]) normal.mask.data[i] = 0;
    m.vois.push_back(normal);
    if (ties) m.vois.push_back({"empty", VoiRole::other, image::Mask(g, 0)});
    // Doses per GBq: each injection hot in its lobe, hotter in its tumours, a tail elsewhere.
    for (int k = 0; k < (one_injection ? 1 : 2); ++k) {
      m.injections.push_back({k == 0 ? "right lobar" : "left lobar", k == 0 ? "right lobe" : "left lobe"});
      image::Volume<float> unit(g, 0.f);
      const Voi& lobe = m.vois[k == 0 ? 1 : 2];
      for (std::size_t i = 0; i < unit.data.size(); ++i) {
        float d = 0.5f * u(rng);
        if (lobe.mask.data[i]) d += 40.f + 30.f * u(rng);
        for (int t = 3; t <= 5; ++t)
          if (m.vois[t].mask.data[i]) d += 150.f * u(rng);
        if ((one_injection || ties) && i % 5 == 0) d = 0.5f * std::round(2.f * d);
        if ((one_injection || ties) && i % 11 == 0 && !m.vois[0].mask.data[i]) d = -1e-6f * u(rng);  // outside the liver
        unit.data[i] = d;
      }
      m.unit_dose_gy_per_gbq.push_back(std::move(unit));
      r.injections.emplace_back();
    }
    r.metrics.d_percents = {98, 2, 50, 70, 95, 70};  // out of order and repeated, as a plan file may give them
    r.metrics.v_gy = {100, 120, 150, 205};
    r.dvh_bins = 200;
    r.goals.push_back({"tumour right", {DoseMetric::Kind::mean, 0}, 205, 250});
    r.goals.push_back({one_injection ? "tumour right" : "tumour left", {DoseMetric::Kind::dx, 70}, 150, {}});
    r.goals.push_back({"tumour across", {DoseMetric::Kind::min, 0}, 50, {}});
    r.constraints.push_back({"normal liver", {DoseMetric::Kind::mean, 0}, 120, 30.0});
    r.constraints.push_back({"normal liver", {DoseMetric::Kind::dx, 2}, 400, {}});
    r.constraints.push_back({"left lobe", {DoseMetric::Kind::max, 0}, 900, {}});
    r.constraints.push_back({"lungs", {DoseMetric::Kind::mean, 0}, 25, {}});
    if (ties) r.constraints.push_back({"empty", {DoseMetric::Kind::max, 0}, 900, {}});
  }
};

std::vector<float> pick(const image::Volume<float>& v, const image::Mask& m) {
  std::vector<float> out;
  for (std::size_t i = 0; i < v.data.size(); ++i)
    if (m.data[i]) out.push_back(v.data[i]);
  return out;
}

std::vector<std::uint8_t> pick(const image::Mask& v, const image::Mask& m) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i < v.data.size(); ++i)
    if (m.data[i]) out.push_back(v.data[i]);
  return out;
}

// Dx by the definition: doses sorted high to low, the dose of voxel ceil(x/100 · n).
double dx_by_sort(std::vector<float> d, double percent) {
  std::sort(d.begin(), d.end(), std::greater<float>());
  const auto rank = static_cast<std::size_t>(std::max(1.0, std::ceil(percent / 100.0 * static_cast<double>(d.size()) - 1e-9)));
  return d[std::min(rank, d.size()) - 1];
}

double mean_of(const std::vector<float>& d, const std::vector<float>& m) {
  double e = 0, mass = 0;
  for (std::size_t i = 0; i < d.size(); ++i) {
    e += static_cast<double>(d[i]) * m[i];
    mass += m[i];
  }
  return e / mass;
}

double metric_by_definition(const std::vector<float>& d, const std::vector<float>& m, const DoseMetric& metric) {
  if (d.empty()) return 0;  // the planner's value of a VOI without voxels
  switch (metric.kind) {
    case DoseMetric::Kind::mean: return mean_of(d, m);
    case DoseMetric::Kind::max: return *std::max_element(d.begin(), d.end());
    case DoseMetric::Kind::min: return *std::min_element(d.begin(), d.end());
    case DoseMetric::Kind::dx: return dx_by_sort(d, metric.percent);
  }
  return NAN;
}

std::size_t with_voxels(const DoseModel& m) {
  return static_cast<std::size_t>(std::count_if(m.vois.begin(), m.vois.end(), [](const Voi& v) {
    return std::any_of(v.mask.data.begin(), v.mask.data.end(), [](std::uint8_t x) { return x != 0; });
  }));
}

// Every number of evaluate(cache, rules, a) against the full computation, at each of `activities`.
void expect_the_full_computation(const TwoInjections& t, const std::vector<std::vector<double>>& activities) {
  const VoiDoses cache(t.m);
  const image::Mask tumours = tumour_mask(t.m);
  const double voxel_ml = t.m.mass_kg.grid.voxel_volume_ml();
  const VoxelTissueParameters tissue{t.r.tumour_radiobiology, t.r.normal_radiobiology, t.r.half_life_h};
  int compared = 0;
  for (const std::vector<double>& a : activities) {
    const Evaluation e = evaluate(cache, t.r, a);
    const image::Volume<float> dose = combined_dose(t.m, a);
    ASSERT_EQ(e.vois.size(), with_voxels(t.m));  // a VOI without voxels has no results
    for (std::size_t v = 0, next = 0; v < t.m.vois.size(); ++v) {
      const Voi& voi = t.m.vois[v];
      const std::vector<float> d = pick(dose, voi.mask), mass = pick(t.m.mass_kg, voi.mask);
      if (d.empty()) continue;
      const VoiResult& got = e.vois[next++];
      ASSERT_EQ(got.name, voi.name);
      EXPECT_EQ(got.metrics.voxels, d.size());
      double total_gbq = 0;
      for (double x : a) total_gbq += x;
      const double mean = voi.role == VoiRole::lungs ? t.m.lung_dose_gy_per_gbq * total_gbq : mean_of(d, mass);
      EXPECT_EQ(got.metrics.mean_gy, mean) << voi.name;
      double mass_kg = 0;
      for (float x : mass) mass_kg += x;
      EXPECT_EQ(got.metrics.mass_kg, mass_kg) << voi.name;
      EXPECT_EQ(got.metrics.min_gy, *std::min_element(d.begin(), d.end())) << voi.name;
      EXPECT_EQ(got.metrics.max_gy, *std::max_element(d.begin(), d.end())) << voi.name;
      ASSERT_EQ(got.metrics.d_at_percent.size(), t.r.metrics.d_percents.size());
      for (std::size_t i = 0; i < t.r.metrics.d_percents.size(); ++i) {
        EXPECT_EQ(got.metrics.d_at_percent[i].first, t.r.metrics.d_percents[i]);
        EXPECT_EQ(got.metrics.d_at_percent[i].second, dx_by_sort(d, t.r.metrics.d_percents[i])) << voi.name << " D" << t.r.metrics.d_percents[i];
      }
      for (std::size_t i = 0; i < t.r.metrics.v_gy.size(); ++i) {
        const double x = t.r.metrics.v_gy[i];
        const auto n = std::count_if(d.begin(), d.end(), [&](float y) { return y >= x; });
        EXPECT_EQ(got.metrics.v_at_gy[i].second, 100.0 * static_cast<double>(n) / static_cast<double>(d.size())) << voi.name << " V" << x;
      }
      // The DVH: percent of voxels at or above each of 201 doses from 0 to the maximum.
      ASSERT_EQ(got.dvh.size(), 201u);
      const double step = static_cast<double>(*std::max_element(d.begin(), d.end())) / 200;
      for (int b = 0; b <= 200; ++b) {
        EXPECT_EQ(got.dvh[b].dose_gy, b * step);
        const auto n = std::count_if(d.begin(), d.end(), [&](float y) { return std::min<std::size_t>(200, static_cast<std::size_t>(std::max(0.0, y / step))) >= static_cast<std::size_t>(b); });
        EXPECT_EQ(got.dvh[b].volume_percent, 100.0 * static_cast<double>(n) / static_cast<double>(d.size())) << voi.name << " bin " << b;
      }
      // Every threshold at a dose some voxel has (ties at the threshold), and Dx at every percent.
      for (std::size_t i = 0; i < d.size(); i += 97) {
        const auto n = std::count_if(d.begin(), d.end(), [&](float y) { return y >= d[i]; });
        EXPECT_EQ(vx_percent(d, d[i]), 100.0 * static_cast<double>(n) / static_cast<double>(d.size()));
      }
      if (voi.role != VoiRole::lungs) {
        const std::vector<std::uint8_t> is_tumour = pick(tumours, voi.mask);
        double bed_mass = 0, m_sum = 0, tumour_voxels = 0;
        for (std::size_t i = 0; i < d.size(); ++i) {
          bed_mass += bed_gy(d[i], is_tumour[i] ? tissue.tumour : tissue.normal, tissue.half_life_h) * mass[i];
          m_sum += mass[i];
          tumour_voxels += is_tumour[i];
        }
        EXPECT_EQ(got.radiobiology.bed_mean_gy, bed_mass / m_sum) << voi.name;
        const bool mostly_tumour = tumour_voxels / static_cast<double>(d.size()) >= 0.5;
        EXPECT_EQ(got.radiobiology.eud_gy, eud_gy(d, (mostly_tumour ? tissue.tumour : tissue.normal).alpha_per_gy)) << voi.name;
        OutcomeRequest outcome;
        outcome.voxel_volume_ml = voxel_ml;
        if (voi.role == VoiRole::tumour) outcome.tcp = &t.r.tumour_tcp;
        if (voi.name == normal_liver_name()) outcome.ntcp = &t.r.liver_ntcp;
        const VoiRadiobiology want = voi_radiobiology(d, mass, is_tumour, mean, tissue, outcome);
        EXPECT_EQ(got.radiobiology.eubed_gy, want.eubed_gy) << voi.name;
        EXPECT_EQ(got.radiobiology.bed_of_mean_dose_gy, want.bed_of_mean_dose_gy) << voi.name;
        EXPECT_EQ(got.radiobiology.tcp.has_value(), voi.role == VoiRole::tumour) << voi.name;
        EXPECT_EQ(got.radiobiology.tcp, want.tcp) << voi.name;
        EXPECT_EQ(got.radiobiology.ntcp.has_value(), voi.name == normal_liver_name()) << voi.name;
        EXPECT_EQ(got.radiobiology.ntcp, want.ntcp) << voi.name;
      }
      ++compared;
    }
    // Goals and constraints on the same doses; the lungs' mean is the package-insert formula.
    for (std::size_t i = 0; i < t.r.goals.size(); ++i) {
      const Voi& voi = t.m.voi(t.r.goals[i].voi);
      EXPECT_EQ(e.goals[i].value_gy, metric_by_definition(pick(dose, voi.mask), pick(t.m.mass_kg, voi.mask), t.r.goals[i].metric))
          << e.goals[i].label;
    }
    ASSERT_EQ(e.constraints.size(), t.r.constraints.size() + 2);
    for (std::size_t i = 0; i < t.r.constraints.size(); ++i) {
      const Voi& voi = t.m.voi(t.r.constraints[i].voi);
      const double want = voi.role == VoiRole::lungs ? e.lung_dose_gy
                                                     : metric_by_definition(pick(dose, voi.mask), pick(t.m.mass_kg, voi.mask), t.r.constraints[i].metric);
      EXPECT_EQ(e.constraints[i + 2].value_gy, want) << e.constraints[i + 2].label;
    }
    // evaluate_checks gives the same goals and constraints without the VOI results.
    const Evaluation c = evaluate_checks(cache, t.r, a);
    EXPECT_TRUE(c.vois.empty());
    for (std::size_t i = 0; i < e.goals.size(); ++i) EXPECT_EQ(c.goals[i].value_gy, e.goals[i].value_gy);
    for (std::size_t i = 0; i < e.constraints.size(); ++i) EXPECT_EQ(c.constraints[i].value_gy, e.constraints[i].value_gy);
  }
  EXPECT_EQ(compared, static_cast<int>(activities.size() * with_voxels(t.m)));
}

TEST(VoiDoses, WhatIfOnGatheredVoxelsEqualsTheFullComputationExactly) {
  expect_the_full_computation(TwoInjections(), {{1.0, 1.0}, {0.37, 2.9}, {2.25, 0.011}, {3.141, 1.414}, {0.5, 0.5}});
}

// Several injections are summarised in passes without a sort (dosimetry/metrics/dose_summary.h):
// ties of doses, negative doses, a VOI without voxels, activities in equal
// ratios (the same order of doses), and each injection 3000 times the other.
TEST(VoiDoses, TwoInjectionsWithTiesAndAnEmptyVoiEqualTheFullComputationExactly) {
  expect_the_full_computation(TwoInjections(false, true), {{1.0, 1.0}, {2.0, 2.0}, {0.5, 0.5}, {3.0, 1.5}, {1.5, 0.75},
                                                          {0.01, 29.99}, {29.99, 0.01}, {0.37, 2.9}});
}

TEST(VoiDoses, OneInjectionReadFromTheSortedDosesPerGbqEqualsTheFullComputationExactly) {
  const TwoInjections t(true);
  const VoiDoses cache(t.m);
  for (const VoiVoxels& v : cache.vois()) {
    ASSERT_EQ(v.sorted_unit_gy_per_gbq.size(), v.index.size()) << v.voi->name;
    EXPECT_TRUE(std::is_sorted(v.sorted_unit_gy_per_gbq.begin(), v.sorted_unit_gy_per_gbq.end())) << v.voi->name;
  }
  expect_the_full_computation(t, {{1.0}, {0.37}, {2.25}, {3.141}, {0.011}, {29.99}, {7.77777}});
}

TEST(VoiDoses, DosesAreTheCombinedDoseAtTheVoisVoxels) {
  const TwoInjections t;
  const VoiDoses cache(t.m);
  const std::vector<double> a{1.7, 0.3};
  const image::Volume<float> dose = combined_dose(t.m, a);
  std::vector<float> d;
  for (const VoiVoxels& v : cache.vois()) {
    cache.doses(v, a, d);
    EXPECT_EQ(d, pick(dose, v.voi->mask)) << v.voi->name;
  }
}

// Bit for bit, as combined_dose sums them, for one, two and three injections:
// doses per GBq of -0 and negative values, activities of 0 (0 · -x is -0, and
// 0 + -0 is +0: combined_dose starts every sum from +0).
TEST(VoiDoses, DosesAreTheCombinedDoseBitForBitForOneTwoAndThreeInjections) {
  for (std::size_t injections = 1; injections <= 3; ++injections) {
    TwoInjections t(false, true);
    t.m.unit_dose_gy_per_gbq.resize(std::min<std::size_t>(injections, 2));
    t.m.injections.resize(t.m.unit_dose_gy_per_gbq.size());
    if (injections == 3) {
      image::Volume<float> third = t.m.unit_dose_gy_per_gbq[0];
      for (std::size_t i = 0; i < third.data.size(); ++i) third.data[i] = i % 3 == 0 ? -0.f : -0.25f * third.data[i];
      t.m.unit_dose_gy_per_gbq.push_back(std::move(third));
      t.m.injections.push_back({"third", "liver"});
    }
    for (auto& unit : t.m.unit_dose_gy_per_gbq)
      for (std::size_t i = 0; i < unit.data.size(); i += 7) unit.data[i] = -0.f;
    const VoiDoses cache(t.m);
    for (const std::vector<double>& a : {std::vector<double>{1.7, 0.3, 0.9}, {0.0, 0.0, 0.0}, {2.5, 0.0, 1.25}}) {
      const std::vector<double> given(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(injections));
      const image::Volume<float> dose = combined_dose(t.m, given);
      std::vector<float> d;
      for (const VoiVoxels& v : cache.vois()) {
        cache.doses(v, given, d);
        const std::vector<float> want = pick(dose, v.voi->mask);
        ASSERT_EQ(d.size(), want.size());
        for (std::size_t i = 0; i < d.size(); ++i)
          ASSERT_EQ(std::bit_cast<std::uint32_t>(d[i]), std::bit_cast<std::uint32_t>(want[i]))
              << injections << " injection(s), " << v.voi->name << " voxel " << i << ": " << d[i] << " vs " << want[i];
      }
    }
  }
}

TEST(VoiDoses, AnUnknownVoiIsRefusedNamingIt) {
  const TwoInjections t;
  const VoiDoses cache(t.m);
  try {
    cache.at("spleen");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::bad_input);
    EXPECT_NE(std::string(e.what()).find("spleen"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace sirtkit::dosimetry
