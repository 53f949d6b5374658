// Every number a plan prints as a bound or an optimum, re-run as a what-if.
//
// Stress plans on the demo patient (one, two and three injections; glass and
// resin; mean, Dx, min and max goals and constraints on tumours, perfused
// normal liver, whole normal liver and lungs; lung-, normal-liver- and
// goal-limited, no vial, infeasible) are planned with --json. For each printed
// number — the administered (optimum) activities, each injection's "every
// constraint kept up to" and "every goal met from", and what the chosen vial
// delivers — `plan --activity` is re-run at exactly the printed value (the
// text's three decimals, the others as printed), and the status, the verdict
// of every goal and constraint and the exit code must be the ones the plan
// claimed. One printed step (1 MBq) beyond a bound must break it.
#include <gtest/gtest.h>

#include <fmt/format.h>
#include <unistd.h>

#include <cmath>
#include <set>
#include <fstream>
#include <nlohmann/json.hpp>

#include "image/volume.h"
#include "io/image/nifti.h"
#include "run_sirtkit.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using sirtkit::cli_test::run;

class PlanBoundsProbe : public ::testing::Test {
 protected:
  static fs::path dir() { return fs::temp_directory_path() / ("sirtkit_cli_bounds_probe_" + std::to_string(::getpid())); }
  // The demo patient, with the right lobe split into two segmental territories
  // (each voxel to the nearer tumour centre) and the left lobe as a third.
  static void SetUpTestSuite() {
    fs::remove_all(dir());
    ASSERT_EQ(run("phantom --out " + dir().string()).code, 0);
    const auto labels = sirtkit::io::read_nifti_labels(dir() / "labels.nii.gz");
    const auto right = sirtkit::io::read_nifti_labels(dir() / "territory_right.nii.gz");
    sirtkit::image::LabelMap a(labels.grid, 0), b(labels.grid, 0), left(labels.grid, 0);
    const auto& g = labels.grid;
    for (int k = 0; k < g.size[2]; ++k)
      for (int j = 0; j < g.size[1]; ++j)
        for (int i = 0; i < g.size[0]; ++i) {
          const std::size_t n = g.index(i, j, k);
          const int l = labels.data[n];
          if (l < 1 || l > 3) continue;
          if (!right.data[n]) {
            left.data[n] = 1;
            continue;
          }
          const auto p = g.point_mm(i, j, k);
          // Tumour centres (src/pipelines/planning/phantom.cpp): index (−65, 5, −30), tumour 2 (−25, −35, 0).
          const double da = std::hypot(p[0] + 65, p[1] - 5, p[2] + 30), db = std::hypot(p[0] + 25, p[1] + 35, p[2]);
          (da <= db ? a : b).data[n] = 1;
        }
    sirtkit::io::write_nifti(dir() / "seg_a.nii.gz", a);
    sirtkit::io::write_nifti(dir() / "seg_b.nii.gz", b);
    sirtkit::io::write_nifti(dir() / "left.nii.gz", left);
  }
  static void TearDownTestSuite() { fs::remove_all(dir()); }
};

struct StressPlan {
  std::string name;
  std::string device = "glass";            // or "resin"
  std::string approach = "voxel";          // voxel (local deposition), partition, standard
  std::string lung = "mass = \"ct\"";      // [lung] mass line
  std::string lung_shunt = "method = \"spect\"";
  double previous_lung_gy = 0;
  std::string vials = "[3, 5, 7, 10, 15, 20]";
  std::vector<std::string> injections;     // [[injection]] bodies
  std::vector<std::string> goals;          // [[goal]] bodies
  std::vector<std::string> constraints;    // [[constraint]] bodies
};

std::string territory(const std::string& name) {
  return fmt::format("[[voi]]\nname = \"{0}\"\nrole = \"territory\"\nmask = \"{1}\"\n\n", name,
                     name == "seg a" ? "seg_a.nii.gz" : name == "seg b" ? "seg_b.nii.gz" : name == "left" ? "left.nii.gz" : "territory_right.nii.gz");
}

std::string plan_text(const StressPlan& s) {
  std::string t = "[patient]\nid = \"PROBE\"\nheight_m = 1.75\nweight_kg = 78\n\n";
  t += "[images]\nct = \"ct.nii.gz\"\nspect = \"maa_spect.nii.gz\"\nlabels = \"labels.nii.gz\"\n\n";
  t += "[dose_grid]\nspacing_mm = 8.84\n\n";  // a coarse grid: the probe runs a hundred what-ifs
  t += "[[voi]]\nname = \"liver\"\nrole = \"liver\"\nlabels = [1, 2, 3]\n\n";
  t += "[[voi]]\nname = \"index tumour\"\nrole = \"tumour\"\nlabels = [2]\n\n";
  t += "[[voi]]\nname = \"tumour 2\"\nrole = \"tumour\"\nlabels = [3]\n\n";
  t += "[[voi]]\nname = \"lungs\"\nrole = \"lungs\"\nlabels = [4]\n\n";
  for (const char* terr : {"right lobe", "seg a", "seg b", "left"}) t += territory(terr);
  t += "[density]\nmethod = \"ct\"\n\n";
  t += "[lung_shunt]\n" + s.lung_shunt + "\n\n";
  t += fmt::format("[lung]\n{}\nmax_dose_gy = 30\nmax_cumulative_dose_gy = 50\nprevious_dose_gy = {}\n\n", s.lung, s.previous_lung_gy);
  t += "[dosimetry]\napproach = \"" + s.approach + "\"\n" + (s.approach == "voxel" ? "voxel_method = \"local_deposition\"\n" : "") + "\n";
  if (s.device == "glass") {
    t += "[device]\ntype = \"glass\"\nvial_sizes_gbq = " + s.vials +
         "\ncalibration_time = 2026-11-29T12:00:00-05:00\nresidual_fraction = 0.01\nmax_hours_after_calibration = 288\n\n";
    t += "[treatment]\nearliest = 2026-11-30T08:00:00+01:00\nlatest = 2026-12-04T17:00:00+01:00\nworking_hours = [8, 17]\n"
         "activity_tolerance_percent = 2\n\n";
  } else {
    t += "[device]\ntype = \"resin\"\nvial_sizes_gbq = " + s.vials +
         "\ncalibration_time = 2026-11-30T18:00:00-05:00\nresidual_fraction = 0.03\nmax_hours_after_calibration = 72\n\n";
    t += "[treatment]\ntime = 2026-12-01T10:00:00+01:00\n\n";
  }
  for (const auto& i : s.injections) t += "[[injection]]\n" + i + "\n\n";
  for (const auto& g : s.goals) t += "[[goal]]\n" + g + "\n\n";
  for (const auto& c : s.constraints) t += "[[constraint]]\n" + c + "\n\n";
  return t;
}

std::string inj(const std::string& name, const std::string& terr, const std::string& extra = "") {
  return fmt::format("name = \"{}\"\nterritory = \"{}\"{}", name, terr, extra.empty() ? "" : "\n" + extra);
}
std::string rule(const std::string& voi, const std::string& metric, const std::string& limits) {
  return fmt::format("voi = \"{}\"\nmetric = \"{}\"\n{}", voi, metric, limits);
}

std::vector<StressPlan> stress_plans() {
  std::vector<StressPlan> v;
  const std::string lobar = inj("lobar", "right lobe");
  // 1. Single injection, glass: aims met within every constraint (goal-limited).
  v.push_back({"glass1_goal", "glass", "voxel", "mass = \"ct\"", "method = \"spect\"", 0, "[3, 5, 7, 10, 15, 20]", {lobar},
               {rule("index tumour", "mean", "min_gy = 205\naim_gy = 250")},
               {rule("perfused normal liver: lobar", "mean", "max_gy = 120")}});
  // 2. Lung-limited: a stated 25 % shunt and 1 kg lungs (12.5 Gy per GBq at K = 50).
  v.push_back({"glass1_lung", "glass", "voxel", "mass_kg = 1.0", "method = \"stated\"\nfraction = 0.25", 0, "[3, 5, 7, 10, 15, 20]",
               {lobar}, {rule("index tumour", "mean", "min_gy = 100\naim_gy = 400")}, {}});
  // 3. Normal-liver-limited, with a Dx goal and a max constraint on the perfused normal liver.
  v.push_back({"glass1_normal_dx", "glass", "voxel", "mass = \"ct\"", "method = \"spect\"", 0, "[3, 5, 7, 10, 15, 20]", {lobar},
               {rule("index tumour", "D70", "min_gy = 100\naim_gy = 300"), rule("tumour 2", "min", "min_gy = 20")},
               {rule("perfused normal liver: lobar", "mean", "max_gy = 70"), rule("normal liver", "max", "max_gy = 400")}});
  // 4. Infeasible: the goal needs more than the normal liver allows.
  v.push_back({"glass1_infeasible", "glass", "voxel", "mass = \"ct\"", "method = \"spect\"", 0, "[3, 5, 7, 10, 15, 20]", {lobar},
               {rule("index tumour", "mean", "min_gy = 300")}, {rule("perfused normal liver: lobar", "mean", "max_gy = 40")}});
  // 5. No vial: only a 3 GBq vial, the plan needs more.
  v.push_back({"glass1_novial", "glass", "voxel", "mass = \"ct\"", "method = \"spect\"", 0, "[3]", {lobar},
               {rule("index tumour", "mean", "min_gy = 205\naim_gy = 250")}, {}});
  // 6. Cumulative lung limit after an earlier treatment; the lungs' mean as a constraint too.
  v.push_back({"glass1_cumulative", "glass", "partition", "mass_kg = 1.0", "method = \"stated\"\nfraction = 0.12", 42, "[3, 5, 7, 10, 15, 20]",
               {lobar}, {rule("index tumour", "mean", "min_gy = 50\naim_gy = 250")}, {rule("lungs", "mean", "max_gy = 7.5")}});
  // 7. Two segmental injections, mean goals and constraints (one exact LP), whole normal liver binding.
  v.push_back({"glass2_mean", "glass", "voxel", "mass = \"ct\"", "method = \"spect\"", 0, "[3, 5, 7, 10, 15, 20]",
               {inj("seg a", "seg a"), inj("seg b", "seg b")},
               {rule("index tumour", "mean", "min_gy = 150\naim_gy = 300"), rule("tumour 2", "mean", "min_gy = 100\naim_gy = 250")},
               {rule("perfused normal liver: seg a", "mean", "max_gy = 150"), rule("normal liver", "mean", "max_gy = 35")}});
  // 8. Two injections with Dx and max metrics (the iterated LP).
  v.push_back({"glass2_dx", "glass", "voxel", "mass = \"ct\"", "method = \"spect\"", 0, "[3, 5, 7, 10, 15, 20]",
               {inj("seg a", "seg a"), inj("seg b", "seg b")},
               {rule("index tumour", "D70", "min_gy = 100\naim_gy = 250"), rule("tumour 2", "D50", "min_gy = 80\naim_gy = 200")},
               {rule("perfused normal liver: seg b", "max", "max_gy = 300"), rule("normal liver", "mean", "max_gy = 45")}});
  // 9. Three injections, the left lobe at a stated perfused-liver dose, lung-limited shunt.
  v.push_back({"glass3_lung", "glass", "partition", "mass_kg = 1.0", "method = \"stated\"\nfraction = 0.15", 0, "[3, 5, 7, 10, 15, 20]",
               {inj("seg a", "seg a"), inj("seg b", "seg b"), inj("left", "left", "perfused_liver_dose_gy = 60")},
               {rule("index tumour", "mean", "min_gy = 120\naim_gy = 400"), rule("tumour 2", "mean", "min_gy = 80\naim_gy = 300")},
               {rule("normal liver", "mean", "max_gy = 60")}});
  // 10. Resin, one injection: what the vial holds caps it.
  v.push_back({"resin1_vial", "resin", "partition", "mass = \"ct\"", "method = \"spect\"", 0, "[3]", {lobar},
               {rule("index tumour", "mean", "min_gy = 60\naim_gy = 400")}, {rule("perfused normal liver: lobar", "mean", "max_gy = 70")}});
  // 11. Resin, two injections, normal-liver-limited with a min goal.
  v.push_back({"resin2_normal", "resin", "voxel", "mass = \"ct\"", "method = \"spect\"", 0, "[3]",
               {inj("seg a", "seg a"), inj("seg b", "seg b")},
               {rule("index tumour", "mean", "min_gy = 50\naim_gy = 150"), rule("tumour 2", "min", "min_gy = 10\naim_gy = 60")},
               {rule("perfused normal liver: seg a", "mean", "max_gy = 40"), rule("perfused normal liver: seg b", "mean", "max_gy = 40")}});
  // 12. Three injections infeasible: a tumour 2 minimum the whole normal liver forbids.
  v.push_back({"glass3_infeasible", "glass", "voxel", "mass = \"ct\"", "method = \"spect\"", 0, "[3, 5, 7, 10, 15, 20]",
               {inj("seg a", "seg a"), inj("seg b", "seg b"), inj("left", "left", "perfused_liver_dose_gy = 50")},
               {rule("index tumour", "mean", "min_gy = 205"), rule("tumour 2", "mean", "min_gy = 400")},
               {rule("normal liver", "mean", "max_gy = 30")}});
  return v;
}

struct Verdict {
  int code = -1;
  json j;
};

Verdict plan_json(const fs::path& plan, const std::vector<std::string>& activities) {
  std::string args = "plan " + plan.string() + " --json";
  for (const auto& a : activities) args += " --activity " + a;
  const auto r = run(args, false);
  Verdict v{r.code, json()};
  try {
    v.j = json::parse(r.out);
  } catch (const std::exception&) {
    v.j = json();
  }
  return v;
}

std::string shown(double gbq) { return fmt::format("{:.3f}", gbq); }

std::vector<bool> verdicts(const json& checks) {
  std::vector<bool> out;
  for (const auto& c : checks) out.push_back(c.at("met").get<bool>());
  return out;
}

TEST_F(PlanBoundsProbe, EveryPrintedBoundHoldsAsAWhatIf) {
  int probed = 0;
  std::vector<std::string> contradictions;
  std::set<std::string> statuses;
  for (const StressPlan& s : stress_plans()) {
    const fs::path file = dir() / (s.name + ".toml");
    std::ofstream(file) << plan_text(s);
    const Verdict plan = plan_json(file, {});
    ASSERT_TRUE(plan.j.is_object()) << s.name << " exit " << plan.code;
    const std::string status = plan.j.at("status");
    statuses.insert(status);
    ASSERT_EQ(plan.code, plan.j.at("exit_code").get<int>()) << s.name;
    const auto& injections = plan.j.at("injections");
    const std::size_t n = injections.size();
    const bool feasible = status != "infeasible";
    std::vector<std::string> printed;
    for (const auto& i : injections) printed.push_back(shown(i.at("administered_gbq").get<double>()));
    const auto note = [&](const std::string& what) { contradictions.push_back(s.name + " [" + status + "]: " + what); };
    const auto at = [&](const std::vector<std::string>& a) {
      std::string t;
      for (const auto& x : a) t += (t.empty() ? "" : ", ") + x;
      return "--activity " + t;
    };

    // The text summary prints the same numbers as the JSON (3 decimals): they are what is probed below.
    {
      const std::string text = run("plan " + file.string(), false).out;
      for (std::size_t k = 0; k < n; ++k) {
        const auto& i = injections[k];
        const std::string verb = plan.j.at("deliverable").get<bool>() ? "administered " : "evaluated at ";
        if (text.find(verb + printed[k] + " GBq") == std::string::npos) note("text does not print '" + verb + printed[k] + " GBq'");
        if (i.at("keeps_constraints_up_to_gbq").is_number() &&
            text.find("every constraint kept up to " + shown(i.at("keeps_constraints_up_to_gbq").get<double>()) + " GBq") == std::string::npos)
          note("text and JSON disagree on the bound of '" + i.at("name").get<std::string>() + "'");
      }
    }
    // The optimum (or, infeasible, the evaluated point) as printed.
    {
      ++probed;
      const Verdict w = plan_json(file, printed);
      if (!w.j.is_object()) {
        note("what-if at the printed activities " + at(printed) + " exits " + std::to_string(w.code) + " with no plan");
      } else {
        // The same story: a what-if keeps every constraint where the plan did, finds no vial where
        // the plan found none, and breaks the constraints an infeasible plan says break there.
        const std::string want = !feasible ? "what if: breaks a constraint" : status == "no vial delivers the activity" ? status : "what if";
        if (w.j.at("status") != want) note(at(printed) + ": status '" + w.j.at("status").get<std::string>() + "', expected '" + want + "'");
        if (w.code != plan.code) note(at(printed) + ": exit " + std::to_string(w.code) + " vs the plan's " + std::to_string(plan.code));
        if (verdicts(w.j.at("goals")) != verdicts(plan.j.at("goals"))) note(at(printed) + ": goal verdicts differ from the plan's");
        if (verdicts(w.j.at("constraints")) != verdicts(plan.j.at("constraints"))) note(at(printed) + ": constraint verdicts differ from the plan's");
        if (feasible && (!w.j.at("goals_met").get<bool>() || !w.j.at("constraints_met").get<bool>()))
          note(at(printed) + ": the plan claims every goal and constraint, the what-if does not");
      }
    }
    // Each injection's bounds, the others as printed.
    for (std::size_t k = 0; k < n; ++k) {
      const auto& i = injections[k];
      const std::string set_by = i.at("keeps_constraints_set_by").is_string() ? i.at("keeps_constraints_set_by").get<std::string>() : "";
      if (i.at("keeps_constraints_up_to_gbq").is_number()) {
        const double up = i.at("keeps_constraints_up_to_gbq");
        auto a = printed;
        a[k] = shown(up);
        ++probed;
        const Verdict w = plan_json(file, a);
        if (!w.j.is_object() || !w.j.at("constraints_met").get<bool>())
          note(fmt::format("'{}' keeps every constraint up to {} but {} breaks one (exit {})", i.at("name").get<std::string>(), a[k], at(a), w.code));
        // One printed step beyond: broken, unless the bound is a cap (stated dose, vial) rather than a constraint.
        const bool constraint_bound = set_by.find(" <= ") != std::string::npos;
        if (constraint_bound) {
          a[k] = shown(up + 0.001);
          ++probed;
          const Verdict over = plan_json(file, a);
          if (over.j.is_object() && over.j.at("constraints_met").get<bool>())
            note(fmt::format("'{}': one MBq beyond its bound ({}) still keeps every constraint ('{}' said to set it)",
                             i.at("name").get<std::string>(), at(a), set_by));
          if (over.j.is_object()) {
            bool named_broken = false;
            for (const auto& c : over.j.at("constraints"))
              if (c.at("label") == set_by && !c.at("met").get<bool>()) named_broken = true;
            if (!named_broken) note(fmt::format("'{}': one MBq beyond its bound ({}) does not break '{}'", i.at("name").get<std::string>(), at(a), set_by));
          }
        }
      }
      if (i.at("meets_goals_from_gbq").is_number()) {
        const double from = i.at("meets_goals_from_gbq");
        auto a = printed;
        a[k] = shown(from);
        ++probed;
        const Verdict w = plan_json(file, a);
        if (!w.j.is_object() || !w.j.at("goals_met").get<bool>())
          note(fmt::format("'{}' meets every goal from {} but {} misses one", i.at("name").get<std::string>(), a[k], at(a)));
        if (from >= 0.011) {  // a what-if takes 0.01 GBq at least
          a[k] = shown(from - 0.001);
          ++probed;
          const Verdict under = plan_json(file, a);
          if (under.j.is_object() && under.j.at("goals_met").get<bool>())
            note(fmt::format("'{}': one MBq below its goal bound ({}) still meets every goal", i.at("name").get<std::string>(), at(a)));
        }
      }
      // What the chosen vial delivers (its activity at injection less the residual).
      // What the chosen glass vial delivers: its activity at injection less the 1 % residual
      // (a resin vial gives the drawn fraction, the prescription itself).
      const auto& vial = i.at("vial");
      if (s.device == "glass" && vial.at("chosen").is_object()) {
        const double delivered = vial.at("chosen").at("vial_activity_at_injection_gbq").get<double>() * (1 - 0.01);
        auto a = printed;
        a[k] = shown(delivered);
        ++probed;
        const Verdict w = plan_json(file, a);
        if (!w.j.is_object() || !w.j.at("constraints_met").get<bool>() || (feasible && !w.j.at("goals_met").get<bool>()))
          note(fmt::format("vial for '{}' delivers {} GBq: {} breaks the plan's claims", i.at("name").get<std::string>(), a[k], at(a)));
      }
    }
  }
  std::printf("[ probe ] %d printed numbers re-run as what-ifs over %zu stress plans; %zu contradictions\n", probed,
              stress_plans().size(), contradictions.size());
  for (const auto& c : contradictions) ADD_FAILURE() << c;
  // The stress set must reach every kind of verdict it is meant to probe.
  for (const char* s : {"aims met", "reduced by a constraint", "infeasible", "no vial delivers the activity"})
    EXPECT_TRUE(statuses.count(s)) << "no stress plan ended '" << s << "'";
}

}  // namespace
