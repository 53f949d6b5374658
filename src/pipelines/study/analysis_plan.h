#pragma once
// A statistical analysis plan (SAP) as a TOML file: which analyses of a
// registry study `sirtkit report` runs and shows (docs/analysis-report.md has
// every key). Read strictly: a misspelt key, an unknown endpoint or column
// kind is refused naming the file, key and value.

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sirtkit::pipelines {

struct SapTableOne {
  std::vector<std::string> variables;  // ADTTE columns (AGE, SEX, ECOG, ...)
  std::vector<std::string> factors;    // numeric columns shown as categories
  std::vector<std::string> nonnormal;  // median (IQR) and Wilcoxon instead of mean ± SD and t
};

// The primary endpoint: a response rate (landmark or best response) or a
// survival endpoint (Kaplan-Meier rate at a landmark, HR).
struct SapPrimary {
  std::string endpoint;              // response | os | pfs | ttp
  std::string criteria = "recist";   // response: recist | mrecist
  std::optional<int> landmark_day;   // response: at this day after the first treatment; none: best overall response
  int window_days = 30;              // response: ± around the landmark
  std::optional<double> landmark_months;  // survival: rate at this time
};

struct SapSurvival {
  std::string endpoint;                 // os | pfs | ttp
  std::vector<double> landmarks_months;  // survival rates at these times
  std::vector<std::string> covariates;   // an adjusted Cox model besides the arm (ADTTE columns)
  std::vector<std::string> factors;      // of those, categorical
};

struct SapSubgroups {
  std::string endpoint = "os";
  std::vector<std::string> by;  // ADTTE columns (categorical)
};

struct SapResponse {
  std::vector<std::string> criteria;  // recist, mrecist
};

struct SapDoseResponse {
  std::string endpoint = "os";
  std::string dose;                 // tumour | normal_liver
  std::string source = "planned";   // planned | verified
  double threshold_gy = 0;
};

struct AnalysisPlan {
  std::filesystem::path file;
  std::string title;
  std::string study;        // registry study code; "" for every study
  std::string control_arm;  // reference arm (HRs, differences); "" = R's first level
  std::string origin = "index";  // index | first-treatment
  bool censor_at_surgery = false;
  std::optional<SapTableOne> table_one;
  std::optional<SapPrimary> primary;
  std::vector<SapSurvival> survival;
  std::optional<SapSubgroups> subgroups;
  std::optional<SapResponse> response;
  bool adverse_events = false;
  std::vector<SapDoseResponse> dose_response;
  bool follow_up = true;  // median follow-up by reverse Kaplan-Meier (OS)
};

AnalysisPlan read_analysis_plan(const std::filesystem::path& file);

}  // namespace sirtkit::pipelines
