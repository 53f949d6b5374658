#include "pipelines/clinical/clinical_scores.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "clinical/scores/albi.h"
#include "clinical/scores/bclc.h"
#include "clinical/scores/child_pugh.h"
#include "clinical/scores/clip.h"
#include "clinical/scores/ecog.h"
#include "clinical/scores/meld.h"
#include "clinical/scores/okuda.h"
#include "clinical/scores/tnm_hcc.h"
#include "clinical/units.h"
#include "core/atomic_file.h"
#include "core/error.h"
#include "core/format.h"
#include "pipelines/clinical/clinical_tables.h"

namespace sirtkit::pipelines {
using namespace sirtkit::clinical;

const std::vector<ScoreSpec>& score_specs() {
  static const std::vector<ScoreSpec> specs = {
      {"child-pugh", "Child-Pugh points and class (Pugh 1973)",
       {"bilirubin", "albumin", "ascites", "encephalopathy"}, {"inr", "pt-prolongation"}, {}},
      {"albi", "ALBI score, grade and mALBI 2a/2b (Johnson 2015, Hiraoka 2017)", {"bilirubin", "albumin"}, {}, {}},
      {"meld", "MELD (OPTN 9.1; labs < 1 set to 1, creatinine max 4, [6, 40])",
       {"creatinine", "bilirubin", "inr", "dialysis"}, {}, {}},
      {"meld-na", "MELD-Na (OPTN 2016)", {"creatinine", "bilirubin", "inr", "sodium", "dialysis"}, {}, {}},
      {"meld3", "MELD 3.0 (Kim 2021; capped at 40 as OPTN unless --no-cap)",
       {"creatinine", "bilirubin", "inr", "sodium", "albumin", "sex", "dialysis"}, {}, {"no-cap"}},
      {"bclc", "BCLC 2022 stage from explicit inputs (Reig 2022)",
       {"ecog", "nodules", "largest", "macrovascular-invasion", "extrahepatic-spread", "liver-function"}, {}, {}},
      {"clip", "CLIP score (CLIP investigators 1998)",
       {"child-pugh", "morphology", "extension-over-50", "afp", "pvt"}, {}, {}},
      {"okuda", "Okuda stage (Okuda 1985)", {"tumour-over-50", "ascites", "albumin", "bilirubin"}, {}, {}},
      {"ecog", "ECOG performance status (Oken 1982)", {"grade"}, {}, {}},
      {"tnm", "AJCC 8th edition TNM stage for HCC",
       {"tumours", "largest", "vascular-invasion", "major-vessel-invasion", "adjacent-organ-invasion", "nodes",
        "metastasis"},
       {}, {}},
  };
  return specs;
}

namespace {

class Args {
 public:
  Args(const std::string& rule, const std::map<std::string, std::string>& o) : rule_(rule), o_(o) {}
  const std::string& text(const std::string& name) const {
    auto it = o_.find(name);
    if (it == o_.end() || it->second.empty()) {
      fail_input("score " + rule_, "--" + name, "(missing)", "a value is required; sirtkit never assumes one");
    }
    return it->second;
  }
  bool has(const std::string& name) const { return o_.count(name) > 0; }
  Quantity quantity(const std::string& name) const { return parse_quantity(text(name), "--" + name); }
  bool yes_no(const std::string& name) const { return parse_yes_no(text(name), "--" + name); }
  int integer(const std::string& name) const {
    const std::string& t = text(name);
    int v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || p != t.data() + t.size()) fail_input("score " + rule_, "--" + name, t, "an integer");
    return v;
  }
  std::string field(const std::string& name) const { return "--" + name; }

 private:
  std::string rule_;
  const std::map<std::string, std::string>& o_;
};

MeldInput meld_input(const Args& a, bool sodium, bool albumin_sex) {
  MeldInput in;
  in.creatinine_mg_dl = creatinine_mg_dl(a.quantity("creatinine"), "--creatinine");
  in.bilirubin_mg_dl = bilirubin_mg_dl(a.quantity("bilirubin"), "--bilirubin");
  in.inr = inr_value(a.quantity("inr"), "--inr");
  in.dialysis = a.yes_no("dialysis");
  if (sodium) in.sodium_mmol_l = sodium_mmol_l(a.quantity("sodium"), "--sodium");
  if (albumin_sex) {
    in.albumin_g_dl = albumin_g_dl(a.quantity("albumin"), "--albumin");
    const std::string& s = a.text("sex");
    if (s == "female" || s == "F" || s == "f") in.female = true;
    else if (s == "male" || s == "M" || s == "m") in.female = false;
    else fail_input("score meld3", "--sex", s, "female or male");
  }
  return in;
}

}  // namespace

RuleResult run_score(const std::string& rule, const std::map<std::string, std::string>& options) {
  const Args a(rule, options);
  if (rule == "child-pugh") {
    ChildPughInput in;
    in.bilirubin_mg_dl = bilirubin_mg_dl(a.quantity("bilirubin"), "--bilirubin");
    in.albumin_g_dl = albumin_g_dl(a.quantity("albumin"), "--albumin");
    // INR or prothrombin-time prolongation: exactly one
    if (a.has("inr") == a.has("pt-prolongation"))
      fail_input("score child-pugh", "--inr", a.has("inr") ? a.text("inr") : "(missing)",
                 "either --inr or --pt-prolongation (seconds above control), exactly one");
    if (a.has("inr")) in.inr = inr_value(a.quantity("inr"), "--inr");
    else in.pt_prolongation_s = seconds_value(a.quantity("pt-prolongation"), "--pt-prolongation");
    in.ascites = parse_ascites(a.text("ascites"));
    in.encephalopathy = parse_encephalopathy(a.text("encephalopathy"));
    return child_pugh(in);
  }
  if (rule == "albi") {
    return albi({bilirubin_umol_l(a.quantity("bilirubin"), "--bilirubin"),
                 albumin_g_l(a.quantity("albumin"), "--albumin")});
  }
  if (rule == "meld") return meld(meld_input(a, false, false));
  if (rule == "meld-na") return meld_na(meld_input(a, true, false));
  if (rule == "meld3") return meld3(meld_input(a, true, true), !a.has("no-cap"));
  if (rule == "bclc") {
    BclcInput in;
    in.ecog = a.integer("ecog");
    in.nodules = a.integer("nodules");
    in.largest_nodule_cm = length_cm(a.quantity("largest"), "--largest");
    in.macrovascular_invasion = a.yes_no("macrovascular-invasion");
    in.extrahepatic_spread = a.yes_no("extrahepatic-spread");
    in.liver_function = parse_liver_function(a.text("liver-function"));
    return bclc(in);
  }
  if (rule == "clip") {
    ClipInput in;
    const std::string& cp = a.text("child-pugh");
    if (cp.size() != 1) fail_input("score clip", "--child-pugh", cp, "A, B or C");
    in.child_pugh_class = cp[0];
    in.morphology = parse_morphology(a.text("morphology"));
    in.extension_over_50_percent = a.yes_no("extension-over-50");
    in.afp_ng_ml = afp_ng_ml(a.quantity("afp"), "--afp");
    in.portal_vein_thrombosis = a.yes_no("pvt");
    return clip(in);
  }
  if (rule == "okuda") {
    OkudaInput in;
    in.tumour_over_50_percent = a.yes_no("tumour-over-50");
    in.ascites = a.yes_no("ascites");
    in.albumin_g_dl = albumin_g_dl(a.quantity("albumin"), "--albumin");
    in.bilirubin_mg_dl = bilirubin_mg_dl(a.quantity("bilirubin"), "--bilirubin");
    return okuda(in);
  }
  if (rule == "ecog") return ecog(a.integer("grade"));
  if (rule == "tnm") {
    TnmHccInput in;
    in.tumours = a.integer("tumours");
    in.largest_cm = length_cm(a.quantity("largest"), "--largest");
    in.vascular_invasion = a.yes_no("vascular-invasion");
    in.major_vessel_invasion = a.yes_no("major-vessel-invasion");
    in.adjacent_organ_invasion = a.yes_no("adjacent-organ-invasion");
    in.regional_nodes = a.yes_no("nodes");
    in.distant_metastasis = a.yes_no("metastasis");
    return tnm_hcc(in);
  }
  fail_input("score", "rule", rule, "child-pugh, albi, meld, meld-na, meld3, bclc, clip, okuda, ecog or tnm");
}


std::vector<ScoreRow> run_score_csv(const std::string& rule, const std::string& csv_text, const std::string& source) {
  const CsvRows csv = parse_csv(csv_text, source);
  const std::size_t c_pid = csv.column("patient") ? *csv.column("patient") : csv.require_column("patient_id");
  const ScoreSpec* spec = nullptr;
  for (const ScoreSpec& s : score_specs())
    if (s.rule == rule) spec = &s;
  if (!spec) fail_input("score", "rule", rule, "a known score");
  for (const std::string& name : spec->required) csv.require_column(name);
  std::vector<ScoreRow> out;
  for (std::size_t i = 0; i < csv.rows.size(); ++i) {
    std::map<std::string, std::string> opts;
    for (std::size_t j = 0; j < csv.header.size(); ++j) {
      if (j == c_pid) continue;
      const std::string& v = csv.rows[i][j];
      if (v.empty() || v == "NA") continue;
      bool known = false;
      for (const auto* names : {&spec->required, &spec->optional, &spec->flags})
        for (const std::string& n : *names) known = known || n == csv.header[j];
      if (!known) continue;  // other columns (age, notes) are allowed and ignored
      if (std::find(spec->flags.begin(), spec->flags.end(), csv.header[j]) != spec->flags.end()) {
        if (parse_yes_no(v, csv.where(i) + " " + csv.header[j])) opts[csv.header[j]] = "true";
      } else {
        opts[csv.header[j]] = v;
      }
    }
    ScoreRow row;
    row.patient_id = csv.rows[i][c_pid];
    try {
      row.result = run_score(rule, opts);
    } catch (const Error& e) {
      throw Error(e.category(), csv.where(i) + ": " + e.what());  // no identifier: patient data
    }
    out.push_back(std::move(row));
  }
  return out;
}

std::vector<ScoreRow> run_score_csv_file(const std::string& rule, const std::string& path) {
  return run_score_csv(rule, read_text_file(path), path);
}


}  // namespace sirtkit::pipelines
