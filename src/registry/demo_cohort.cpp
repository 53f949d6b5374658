#include "registry/demo_cohort.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <map>
#include <vector>

#include "clinical/date.h"
#include "registry/import/field_catalog.h"
#include "registry/redcap/redcap_export.h"

namespace sirtkit::registry {
namespace {

// SplitMix64 (Steele, Lea & Flood, OOPSLA 2014): a tiny generator whose output
// is the same on every platform, unlike std:: distributions.
struct SplitMix {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  double normal() {  // Box-Muller
    const double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }
  template <class T>
  void shuffle(std::vector<T>& v) {  // Fisher-Yates
    for (std::size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[static_cast<std::size_t>(next() % i)]);
  }
};

// Days per month: the Julian year / 12 (as in time_to_event.h).
constexpr double days_per_month = 365.25 / 12.0;

std::string fmt1(double x) {
  char b[32];
  std::snprintf(b, sizeof b, "%.1f", x);
  return b;
}

// Exactly `k` of `n` flags set, in a shuffled order.
std::vector<int> exact(int n, int k, SplitMix& rng) {
  std::vector<int> v(static_cast<std::size_t>(n), 0);
  std::fill(v.begin(), v.begin() + k, 1);
  rng.shuffle(v);
  return v;
}

}  // namespace

DemoCohort make_demo_cohort() {
  SplitMix rng{20240401};
  const int n = 28;
  const clinical::Date accrual_start = clinical::parse_date("2016-01-04", "demo"), cutoff = clinical::parse_date("2022-01-31", "demo");
  const int accrual_days = 540;
  // The columns: every catalogue field except those the demo does not fill.
  std::vector<std::string> columns{"record_id", "redcap_repeat_instrument", "redcap_repeat_instance"};
  for (const auto& f : field_catalog())
    if (!f.table.empty()) columns.push_back(f.name);
  std::string csv;
  for (std::size_t i = 0; i < columns.size(); ++i) csv += (i ? "," : "") + columns[i];
  csv += "\n";
  std::map<std::string, int> instance;
  auto row = [&](const std::string& id, const std::string& inst, const std::map<std::string, std::string>& cells) {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      std::string v;
      if (columns[i] == "record_id") v = id;
      else if (columns[i] == "redcap_repeat_instrument") v = inst;
      else if (columns[i] == "redcap_repeat_instance") v = inst.empty() ? "" : std::to_string(++instance[id + inst]);
      else if (auto it = cells.find(columns[i]); it != cells.end()) v = it->second;
      csv += (i ? "," : "") + v;
    }
    csv += "\n";
  };
  struct ArmSpec {
    const char* name;
    double median_os_months, age_mean, age_sd, size_mean_mm, size_sd_mm;
    int ecog0, bclc_b, pvi, no_cirrhosis, resected;
    double response_rate;  // 3-month index-lesion response (seed 001: 71 % vs 36 %)
  };
  const std::array<ArmSpec, 2> arms = {{{"personalised", 24.8, 64.8, 10.1, 105.4, 24.3, 16, 3, 18, 4, 10, 0.71},
                                        {"standard", 10.7, 62.5, 10.0, 109.2, 25.7, 13, 2, 21, 4, 1, 0.36}}};
  int number = 0;
  for (const ArmSpec& arm : arms) {
    // OS on the quantile grid, assigned in shuffled order.
    std::vector<double> os(n);
    for (int i = 0; i < n; ++i) os[i] = -arm.median_os_months / std::log(2.0) * std::log(1.0 - (i + 0.5) / n);
    rng.shuffle(os);
    const auto ecog0 = exact(n, arm.ecog0, rng), bclc_b = exact(n, arm.bclc_b, rng), pvi = exact(n, arm.pvi, rng),
               no_cirr = exact(n, arm.no_cirrhosis, rng), responder = exact(n, static_cast<int>(std::lround(arm.response_rate * n)), rng);
    // Child-Pugh: 22 A5, 3 A6, 3 B7.
    std::vector<int> cp(n, 5);
    std::fill(cp.begin() + 22, cp.begin() + 25, 6);
    std::fill(cp.begin() + 25, cp.end(), 7);
    rng.shuffle(cp);
    // Secondary resections among the longest survivors.
    std::vector<int> order(n);
    for (int i = 0; i < n; ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](int a, int b) { return os[a] > os[b]; });
    std::vector<int> resected(n, 0);
    for (int k = 0; k < arm.resected; ++k) resected[order[k]] = 1;
    for (int i = 0; i < n; ++i) {
      char idbuf[16];
      std::snprintf(idbuf, sizeof idbuf, "DEMO-%03d", ++number);
      const std::string id = idbuf;
      const clinical::Date index{accrual_start.days + static_cast<int>(rng.uniform() * accrual_days)};
      auto date = [&](double day) { return clinical::to_iso(clinical::Date{index.days + static_cast<int>(std::lround(day))}); };
      const int age = static_cast<int>(std::lround(arm.age_mean + arm.age_sd * rng.normal()));
      const double size = std::max(70.0, arm.size_mean_mm + arm.size_sd_mm * rng.normal());  // inclusion: a lesion > 7 cm
      const char* sex = rng.uniform() < 0.88 ? "male" : "female";
      row(id, "", {{"site", "Rennes"}, {"arm", arm.name}, {"index_date", date(0)}, {"age_years", std::to_string(age)}, {"sex", sex},
                   {"diagnosis", "hcc"}, {"ecog", ecog0[i] ? "0" : "1"}, {"child_pugh_class", cp[i] == 7 ? "B" : "A"},
                   {"child_pugh_score", std::to_string(cp[i])}, {"bclc_stage", bclc_b[i] ? "B" : "C"},
                   {"afp_ng_ml", fmt1(std::exp(3.0 + 2.5 * rng.uniform() + 2.0 * rng.uniform()))},
                   {"albumin_g_l", fmt1(33.0 + 8.0 * rng.uniform())}, {"bilirubin_umol_l", fmt1(8.0 + 14.0 * rng.uniform())},
                   {"cirrhosis", no_cirr[i] ? "0" : "1"}, {"portal_vein_invasion", pvi[i] ? "1" : "0"}, {"extrahepatic_disease", "0"}});
      const double os_days = os[i] * days_per_month;
      const int follow_days = cutoff.days - index.days;
      const bool dies = os_days < follow_days;
      const double end_days = dies ? os_days : follow_days;
      // SIRT 14 days after the index date.
      const double tumour_dose = arm.name[0] == 'p' ? 205.0 + 150.0 * rng.uniform() : 100.0 + 140.0 * rng.uniform();
      row(id, "treatments",
          {{"treatment_type", "sirt"}, {"treatment_start_date", date(std::min(14.0, end_days))}, {"device", "glass"},
           {"planned_activity_gbq", fmt1(2.0 + 4.0 * rng.uniform())}, {"lung_shunt_fraction_pct", fmt1(2.0 + 10.0 * rng.uniform())},
           {"planned_tumour_dose_gy", fmt1(tumour_dose)}, {"planned_normal_liver_dose_gy", fmt1(40.0 + 50.0 * rng.uniform())},
           {"verified_tumour_dose_gy", fmt1(tumour_dose * (0.85 + 0.3 * rng.uniform()))}});
      // Index lesion at baseline and, when alive, at 3 months. The enhancing
      // (viable, mRECIST) diameter is 80 % of the lesion at baseline and falls
      // by 70 % in responders, 10 % otherwise (no random draw: the survival
      // times above stay as they were).
      row(id, "lesion_measurements", {{"lesion_label", "T1"}, {"lesion_organ", "liver"}, {"lesion_kind", "target"},
                                      {"scan_date", date(-7)}, {"longest_diameter_mm", fmt1(size)}, {"enhancing_diameter_mm", fmt1(0.8 * size)}});
      if (end_days > 95)
        row(id, "lesion_measurements", {{"lesion_label", "T1"}, {"lesion_organ", "liver"}, {"lesion_kind", "target"},
                                        {"scan_date", date(91)}, {"longest_diameter_mm", fmt1(size * (responder[i] ? 0.55 : 0.92))},
                                        {"enhancing_diameter_mm", fmt1(0.8 * size * (responder[i] ? 0.3 : 0.9))}});
      row(id, "labs", {{"lab_date", date(-3)}, {"lab_test", "bilirubin"}, {"lab_value", fmt1(8.0 + 14.0 * rng.uniform())}, {"lab_unit", "umol/L"}});
      if (rng.uniform() < 0.5)
        row(id, "adverse_events", {{"ae_term", "Fatigue"}, {"ae_grade", rng.uniform() < 0.8 ? "1" : "2"}, {"ae_onset_date", date(std::min(20.0, end_days))}});
      if (resected[i] && end_days > 200) row(id, "followup", {{"followup_type", "resection"}, {"followup_date", date(180)}});
      // Progression at about half the survival time for those who die.
      if (dies && os_days > 60) row(id, "followup", {{"followup_type", "progression"}, {"followup_date", date(os_days * (0.4 + 0.3 * rng.uniform()))}});
      row(id, "followup", {{"followup_type", dies ? "death" : "last_contact"}, {"followup_date", date(end_days)}});
    }
  }
  std::string dict = catalogue_dictionary_csv();
  return {csv, dict, "sirtkit-demo-key-SYNTHETIC-DATA-ONLY-0001", number};
}

}  // namespace sirtkit::registry
