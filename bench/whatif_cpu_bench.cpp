// CPU time of one what-if of the planning workspace (issue 14, docs/server.md
// "Measured"), outside the server: the demo patient's plans prepared once as
// `sirtkit serve --data` prepares them, then N what-ifs at activities from 0.5
// to 1.49 times the optimum, timed by the thread's CPU clock (so a loaded
// machine does not inflate it): the decision (doses, DVH, goals, constraints,
// vials), the plan document and its JSON text, each alone; and the page's
// answer as a whole (the decision without the VOIs' radiobiology, the changes
// of sirtkit.what-if/1 and their text).
//   sirtkit_whatif_cpu_bench [N=200]
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "pipelines/planning/plan_workspace.h"
#include "report/planning/plan_report.h"

namespace {

double cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  using namespace sirtkit::pipelines;
  const int n = argc > 1 ? std::atoi(argv[1]) : 200;
  const fs::path root = fs::temp_directory_path() / "sirtkit-whatif-cpu-bench";
  fs::remove_all(root);
  fs::create_directories(root);
  write_demo_study(root);
  PlanWorkspace workspace(root);
  for (const auto& info : workspace.list()) {
    if (info.plan_file == "plan_standard.toml") continue;
    const auto study = workspace.open(info);
    const std::vector<double> optimum = study->optimum.result.evaluation.administered_gbq;
    std::vector<double> decide, document, text, changes;
    std::size_t bytes = 0, changes_bytes = 0;
    for (int i = 0; i < n; ++i) {
      std::vector<double> a = optimum;
      for (double& x : a) x *= 0.5 + (i % 100) / 100.0;
      const double t0 = cpu_ms();
      const PlanDecision d = study->what_if(a);
      const double t1 = cpu_ms();
      const sirtkit::report::PlanContext context = study->plan_context(d, 0);
      const nlohmann::json j = sirtkit::report::plan_json_value(sirtkit::report::PlanView{context, study->prepared.model, d.result, d.vials, nullptr});
      const double t2 = cpu_ms();
      bytes = j.dump().size();
      const double t3 = cpu_ms();
      // The page's what-if: no VOI radiobiology, the changes only (sirtkit.what-if/1).
      const double t4 = cpu_ms();
      const PlanDecision w = study->what_if(a, false);
      changes_bytes = sirtkit::report::what_if_json_value(sirtkit::report::PlanView{study->prepared.context, study->prepared.model, w.result, w.vials, nullptr}).dump().size();
      changes.push_back(cpu_ms() - t4);
      decide.push_back(t1 - t0);
      document.push_back(t2 - t1);
      text.push_back(t3 - t2);
    }
    std::printf("%s (%zu injection(s)), %d what-ifs, CPU ms p50/p99: decision %.3f/%.3f, plan document %.3f/%.3f, JSON text %.3f/%.3f (%zu bytes); "
                "the page's answer (decision without radiobiology, changes, text) %.3f/%.3f (%zu bytes)\n",
                info.plan_file.c_str(), optimum.size(), n, percentile(decide, 0.5), percentile(decide, 0.99), percentile(document, 0.5),
                percentile(document, 0.99), percentile(text, 0.5), percentile(text, 0.99), bytes, percentile(changes, 0.5),
                percentile(changes, 0.99), changes_bytes);
  }
  fs::remove_all(root);
  return 0;
}
