#include "pipelines/study/analysis_plan.h"

#include <algorithm>
#include <cmath>

#include "core/error.h"
#include "core/format.h"
#include "io/text_formats/toml_reader.h"

namespace sirtkit::pipelines {

namespace {

std::string one_of(io::TomlTable& t, const std::string& key, const std::vector<std::string>& allowed,
                   const std::optional<std::string>& fallback = std::nullopt) {
  const std::optional<std::string> v = t.optional_string(key);
  if (!v && fallback) return *fallback;
  const std::string value = v ? *v : t.string(key);  // string() names the missing key
  if (std::find(allowed.begin(), allowed.end(), value) == allowed.end()) {
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : " | ") + a;
    fail_input(t.file(), t.key_path(key), value, list);
  }
  return value;
}

std::vector<std::string> strings_or_empty(io::TomlTable& t, const std::string& key) {
  return t.has(key) ? t.strings(key) : std::vector<std::string>{};
}

// A whole number of days >= `least`, when the key is given.
std::optional<int> optional_days(io::TomlTable& t, const std::string& key, int least) {
  const auto d = t.optional_number(key);
  if (!d) return std::nullopt;
  if (!(*d >= least) || *d != std::floor(*d) || *d > 100000)
    fail_input(t.file(), t.key_path(key), num(*d), "a whole number of days from " + std::to_string(least) + " to 100000");
  return static_cast<int>(*d);
}

const std::vector<std::string> survival_endpoints{"os", "pfs", "ttp"};

SapTableOne read_table_one(io::TomlTable t) {
  SapTableOne s;
  s.variables = t.strings("variables");
  if (s.variables.empty()) fail_input(t.file(), t.key_path("variables"), "[]", "at least one column");
  s.factors = strings_or_empty(t, "factors");
  s.nonnormal = strings_or_empty(t, "nonnormal");
  t.finish();
  return s;
}

SapPrimary read_primary(io::TomlTable t) {
  SapPrimary p;
  p.endpoint = one_of(t, "endpoint", {"response", "os", "pfs", "ttp"});
  if (p.endpoint == "response") {
    p.criteria = one_of(t, "criteria", {"recist", "mrecist"}, std::string("recist"));
    p.landmark_day = optional_days(t, "landmark_day", 1);
    p.window_days = optional_days(t, "window_days", 0).value_or(p.window_days);
  } else {
    p.landmark_months = t.number("landmark_months");
    if (!(*p.landmark_months > 0)) fail_input(t.file(), t.key_path("landmark_months"), std::to_string(*p.landmark_months), "a time > 0 months");
  }
  t.finish();
  return p;
}

SapSurvival read_survival(io::TomlTable t) {
  SapSurvival s;
  s.endpoint = one_of(t, "endpoint", survival_endpoints);
  if (t.has("landmarks_months")) s.landmarks_months = t.numbers("landmarks_months");
  for (double m : s.landmarks_months)
    if (!(m > 0)) fail_input(t.file(), t.key_path("landmarks_months"), std::to_string(m), "times > 0 months");
  s.covariates = strings_or_empty(t, "covariates");
  s.factors = strings_or_empty(t, "factors");
  t.finish();
  return s;
}

SapSubgroups read_subgroups(io::TomlTable t) {
  SapSubgroups s;
  s.endpoint = one_of(t, "endpoint", survival_endpoints, std::string("os"));
  s.by = t.strings("by");
  if (s.by.empty()) fail_input(t.file(), t.key_path("by"), "[]", "at least one subgroup column");
  t.finish();
  return s;
}

SapResponse read_response(io::TomlTable t) {
  SapResponse r;
  r.criteria = t.strings("criteria");
  if (r.criteria.empty()) fail_input(t.file(), t.key_path("criteria"), "[]", "recist and/or mrecist");
  for (const auto& c : r.criteria)
    if (c != "recist" && c != "mrecist") fail_input(t.file(), t.key_path("criteria"), c, "recist | mrecist");
  t.finish();
  return r;
}

SapDoseResponse read_dose_response(io::TomlTable t) {
  SapDoseResponse d;
  d.endpoint = one_of(t, "endpoint", survival_endpoints, std::string("os"));
  d.dose = one_of(t, "dose", {"tumour", "normal_liver"});
  d.source = one_of(t, "source", {"planned", "verified"}, std::string("planned"));
  d.threshold_gy = t.number("threshold_gy");
  if (!(d.threshold_gy > 0)) fail_input(t.file(), t.key_path("threshold_gy"), std::to_string(d.threshold_gy), "a dose > 0 Gy");
  t.finish();
  return d;
}

}  // namespace

AnalysisPlan read_analysis_plan(const std::filesystem::path& file) {
  io::TomlTable t = io::TomlTable::parse_file(file);
  AnalysisPlan p;
  p.file = file;
  p.title = t.string("title");
  p.study = t.optional_string("study").value_or("");
  p.control_arm = t.optional_string("control_arm").value_or("");
  if (auto pop = t.optional_table("population")) {
    p.origin = one_of(*pop, "origin", {"index", "first-treatment"}, std::string("index"));
    p.censor_at_surgery = pop->optional_boolean("censor_at_surgery").value_or(false);
    pop->finish();
  }
  if (auto s = t.optional_table("table1")) p.table_one = read_table_one(std::move(*s));
  if (auto s = t.optional_table("primary")) p.primary = read_primary(std::move(*s));
  for (auto& s : t.tables("survival")) p.survival.push_back(read_survival(std::move(s)));
  if (auto s = t.optional_table("subgroups")) p.subgroups = read_subgroups(std::move(*s));
  if (auto s = t.optional_table("response")) p.response = read_response(std::move(*s));
  if (auto s = t.optional_table("adverse_events")) {
    p.adverse_events = s->optional_boolean("table").value_or(true);
    s->finish();
  }
  for (auto& s : t.tables("dose_response")) p.dose_response.push_back(read_dose_response(std::move(s)));
  p.follow_up = t.optional_boolean("median_follow_up").value_or(true);
  t.finish();
  return p;
}

}  // namespace sirtkit::pipelines
