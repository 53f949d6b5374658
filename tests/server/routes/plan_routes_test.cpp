// The planning workspace routes (issue 14) on a real server over HTTP, with
// the demo planning patient as `sirtkit serve --data DIR --demo` writes it:
// the what-if answers the numbers of `sirtkit plan --json --activity` (the
// program itself is run), the volumes are the planner's, a plan naming a
// file outside the data root is refused, roles, and bad activities.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <set>

#include "../../cli/run_sirtkit.h"
#include "core/atomic_file.h"
#include "io/image/nifti.h"
#include "pipelines/planning/plan_workspace.h"
#include "../server_fixture.h"

namespace sirtkit::server {
namespace {

namespace fs = std::filesystem;
using testing::body_of;
using testing::json;
using testing::TestServer;

const std::string password = "correct horse battery";

// One data root per process (ctest runs tests in parallel processes), the
// demo study written once, plus a folder outside it that hostile plans point at.
fs::path base() { return fs::temp_directory_path() / ("sirtkit_plan_routes_" + std::to_string(::getpid())); }
fs::path data_root() { return base() / "data"; }
fs::path outside() { return base() / "outside"; }

class PlanRoutes : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fs::remove_all(base());
    ASSERT_TRUE(pipelines::write_demo_study(data_root()));
    EXPECT_FALSE(pipelines::write_demo_study(data_root()));  // a second start keeps it
    const fs::path demo = data_root() / "demo-patient";
    // A study folder outside the root, holding a complete copy of the demo.
    fs::create_directories(outside());
    for (const auto& f : fs::directory_iterator(demo)) fs::copy(f.path(), outside() / f.path().filename());
    const std::string plan = read_text_file(demo / "plan.toml");
    const auto hostile = [&](const std::string& folder, const std::string& from, const std::string& to) {
      fs::create_directories(data_root() / folder);
      for (const char* f : {"ct.nii.gz", "maa_spect.nii.gz", "labels.nii.gz", "territory_right.nii.gz"})
        fs::copy(demo / f, data_root() / folder / f);
      std::string text = plan;
      text.replace(text.find(from), from.size(), to);
      write_file_atomic(data_root() / folder / "plan.toml", text);
    };
    hostile("dotdot", "ct = \"ct.nii.gz\"", "ct = \"../../outside/ct.nii.gz\"");
    hostile("absolute", "spect = \"maa_spect.nii.gz\"", "spect = \"" + (outside() / "maa_spect.nii.gz").string() + "\"");
    hostile("symlink", "mask = \"territory_right.nii.gz\"", "mask = \"link.nii.gz\"");
    fs::create_symlink(outside() / "territory_right.nii.gz", data_root() / "symlink" / "link.nii.gz");
    // A whole study folder that is a link out of the root is not a study.
    fs::create_directory_symlink(outside(), data_root() / "linked-folder");
  }
  static void TearDownTestSuite() { fs::remove_all(base()); }

  void SetUp() override {
    server_ = std::make_unique<TestServer>(registry::Dialect::sqlite, "", "", "", data_root().string());
    for (Role r : all_roles()) server_->add_user(std::string("u_") + role_name(r), r, {"Rennes"}, password);
    physicist_ = server_->login("u_physicist", password);
    ASSERT_EQ(physicist_.status, 200);
  }

  std::string id_of(const std::string& folder, const std::string& plan_file) {
    const json list = body_of(server_->request("GET", "/api/plans", physicist_));
    for (const auto& s : list["studies"])
      if (s["folder"] == folder && s["plan_file"] == plan_file) return s["id"];
    ADD_FAILURE() << "no study " << folder << "/" << plan_file << " in " << list.dump();
    return "";
  }

  // The whole plan document at these activities ("answer": "plan").
  json what_if(const std::string& id, const json& activities) {
    auto r = server_->request("POST", "/api/plans/" + id + "/what-if", physicist_, {{"activity_gbq", activities}, {"answer", "plan"}});
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 200) << r->body;
    return body_of(r)["plan"];
  }

  // What the activities change (the page's answer, the default).
  json what_if_changes(const std::string& id, const json& activities) {
    auto r = server_->request("POST", "/api/plans/" + id + "/what-if", physicist_, {{"activity_gbq", activities}});
    EXPECT_TRUE(r);
    if (!r) return {};
    EXPECT_EQ(r->status, 200) << r->body;
    return body_of(r)["what_if"];
  }

  std::unique_ptr<TestServer> server_;
  testing::Login physicist_;
};

// `sirtkit plan PLAN --json [--activity a ...]`, as a user runs it, without the run time.
json cli_plan(const fs::path& plan, const std::vector<double>& activities) {
  std::string args = "plan '" + plan.string() + "' --json";
  for (double a : activities) args += fmt::format(" --activity {}", a);
  const auto run = cli_test::run(args, false);
  json j = json::parse(run.out, nullptr, false);
  EXPECT_FALSE(j.is_discarded()) << args << ": " << run.out;
  if (j.is_object()) {
    j.erase("elapsed_s");
    j.erase("generated_utc");  // when the model was computed: the server's cached one is older
  }
  return j;
}

json without_time(json j) {
  j.erase("elapsed_s");
  j.erase("generated_utc");
  return j;
}

// The what-if's changes (sirtkit.what-if/1) hold the numbers of the CLI's plan
// document exactly, the DVH rebuilt from its voxel counts as the page rebuilds it.
void expect_changes_of(const json& changes, const json& cli) {
  EXPECT_EQ(changes["schema"], "sirtkit.what-if/1");
  for (const char* key : {"status", "deliverable", "exit_code", "findings", "lung", "goals", "constraints", "goals_met", "constraints_met"})
    EXPECT_EQ(changes[key], cli[key]) << key;
  ASSERT_EQ(changes["injections"].size(), cli["injections"].size());
  for (std::size_t k = 0; k < cli["injections"].size(); ++k)
    for (const char* key : {"name", "aim_gbq", "administered_gbq", "vial"})
      EXPECT_EQ(changes["injections"][k][key], cli["injections"][k][key]) << "injection " << k << " " << key;
  ASSERT_EQ(changes["vois"].size(), cli["vois"].size());
  for (std::size_t i = 0; i < cli["vois"].size(); ++i) {
    const json& got = changes["vois"][i];
    const json& want = cli["vois"][i];
    for (const char* key : {"name", "role", "voxels", "volume_ml", "mass_kg", "mean_gy", "min_gy", "max_gy", "d_gy", "v_percent"})
      EXPECT_EQ(got[key], want[key]) << want["name"] << " " << key;
    EXPECT_FALSE(got.contains("eud_gy")) << "the radiobiology is not part of a what-if's changes";
    ASSERT_TRUE(got["dvh"].contains("voxels_at_or_above")) << got["dvh"].dump();
    const double step = got["dvh"]["step_gy"], n = got["voxels"];
    const json& counts = got["dvh"]["voxels_at_or_above"];
    ASSERT_EQ(counts.size(), want["dvh"]["dose_gy"].size());
    for (std::size_t b = 0; b < counts.size(); ++b) {
      EXPECT_EQ(static_cast<double>(b) * step, want["dvh"]["dose_gy"][b].get<double>()) << want["name"] << " bin " << b;
      EXPECT_EQ(100.0 * counts[b].get<double>() / n, want["dvh"]["volume_percent"][b].get<double>()) << want["name"] << " bin " << b;
    }
  }
  EXPECT_LT(changes.dump().size(), cli.dump().size() / 2);
}

TEST_F(PlanRoutes, ListsEveryPlanFileInsideTheRootOnly) {
  const json list = body_of(server_->request("GET", "/api/plans", physicist_));
  std::set<std::string> seen;
  for (const auto& s : list["studies"]) {
    seen.insert(s["folder"].get<std::string>() + "/" + s["plan_file"].get<std::string>());
    EXPECT_EQ(s["id"].get<std::string>().size(), 16u);
  }
  EXPECT_EQ(seen, (std::set<std::string>{"absolute/plan.toml", "demo-patient/plan.toml", "demo-patient/plan_standard.toml",
                                         "demo-patient/plan_two_injections.toml", "dotdot/plan.toml", "symlink/plan.toml"}));
}

TEST_F(PlanRoutes, OptimumAndWhatIfEqualTheCommandLine) {
  const fs::path plan = data_root() / "demo-patient" / "plan.toml";
  const std::string id = id_of("demo-patient", "plan.toml");
  auto r = server_->request("GET", "/api/plans/" + id, physicist_);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json study = body_of(r);
  EXPECT_EQ(without_time(study["plan"]), cli_plan(plan, {}));
  const double optimum = study["optimum_gbq"][0];
  EXPECT_GT(optimum, 0.5);
  EXPECT_EQ(study["plan"]["injections"][0]["administered_gbq"], optimum);
  EXPECT_EQ(study["isodose_levels_gy"], json::array({120, 205, 250}));
  EXPECT_EQ(study["may_plan"], true);
  // The planner's optimum, a lower and a higher activity (this one breaks a constraint: exit 3 in the CLI).
  for (double a : {optimum, 1.234, optimum * 1.5, 0.01}) {
    const json served = what_if(id, {a});
    const json cli = cli_plan(plan, {a});
    EXPECT_EQ(without_time(served), cli) << "activity " << a;
    EXPECT_EQ(served["injections"][0]["administered_gbq"], a);
    expect_changes_of(what_if_changes(id, {a}), cli);
  }
  // Lung dose and the index tumour's mean dose scale with the activity.
  const json one = what_if(id, {1.0}), two = what_if(id, {2.0});
  EXPECT_NEAR(two["lung"]["dose_gy"].get<double>(), 2 * one["lung"]["dose_gy"].get<double>(), 1e-9);
}

TEST_F(PlanRoutes, TwoInjectionsWhatIfEqualsTheCommandLine) {
  const fs::path plan = data_root() / "demo-patient" / "plan_two_injections.toml";
  const std::string id = id_of("demo-patient", "plan_two_injections.toml");
  const json study = body_of(server_->request("GET", "/api/plans/" + id, physicist_));
  ASSERT_EQ(study["optimum_gbq"].size(), 2u) << study.dump();
  EXPECT_EQ(without_time(study["plan"]), cli_plan(plan, {}));
  const std::vector<double> optimum = study["optimum_gbq"];
  // The optimum, half of it (the same ratio, the same order of doses), other ratios and an extreme one.
  for (const std::vector<double>& a : {optimum, std::vector<double>{optimum[0] / 2, optimum[1] / 2}, std::vector<double>{2.5, 0.75},
                                       std::vector<double>{optimum[0], 3.0}, std::vector<double>{0.02, 9.0}}) {
    const json cli = cli_plan(plan, a);
    EXPECT_EQ(without_time(what_if(id, a)), cli) << a[0] << ", " << a[1];
    expect_changes_of(what_if_changes(id, a), cli);
  }
  EXPECT_EQ(study["volumes"].size(), 6u);  // ct, spect, dose, labels, two doses per GBq
}

TEST_F(PlanRoutes, VolumesAreThePlannersOwn) {
  const std::string id = id_of("demo-patient", "plan.toml");
  const json study = body_of(server_->request("GET", "/api/plans/" + id, physicist_));
  // Sent gzip-compressed with Content-Encoding: gzip (httplib's client inflates
  // it, as a browser does), so the body read here is the NIfTI-1 file itself.
  const auto fetch = [&](const std::string& name) {
    auto r = server_->request("GET", "/api/plans/" + id + "/volumes/" + name, physicist_);
    EXPECT_TRUE(r);
    EXPECT_EQ(r->status, 200) << name;
    EXPECT_EQ(r->get_header_value("Content-Encoding"), "gzip") << name;
    EXPECT_GE(r->body.size(), 352u) << name;
    std::int32_t sizeof_hdr = 0;
    std::memcpy(&sizeof_hdr, r->body.data(), sizeof sizeof_hdr);
    EXPECT_EQ(sizeof_hdr, 348) << name << ": not an inflated NIfTI-1 file";
    const fs::path f = base() / (name + std::to_string(::getpid()) + ".nii");
    std::ofstream(f, std::ios::binary) << r->body;
    return f;
  };
  const auto dose = io::read_nifti_float(fetch("dose"));
  const auto unit = io::read_nifti_float(fetch("dose_per_gbq_1"));
  const double a = study["optimum_gbq"][0];
  ASSERT_EQ(dose.data.size(), unit.data.size());
  double max_gy = 0;
  for (std::size_t i = 0; i < dose.data.size(); ++i) {
    ASSERT_NEAR(dose.data[i], a * unit.data[i], 1e-5 * (1 + dose.data[i])) << i;
    max_gy = std::max<double>(max_gy, dose.data[i]);
  }
  const auto labels = io::read_nifti_labels(fetch("labels"));
  ASSERT_EQ(labels.data.size(), dose.data.size());
  for (const auto& entry : study["label_map"]) {
    if (entry["role"] != "tumour") continue;
    std::size_t voxels = 0;
    for (int v : labels.data) voxels += v == entry["value"].get<int>();
    for (const auto& voi : study["plan"]["vois"])
      if (voi["name"] == entry["name"]) EXPECT_EQ(voxels, voi["voxels"].get<std::size_t>()) << entry.dump();
  }
  double max_voi_gy = 0;
  for (const auto& voi : study["plan"]["vois"]) max_voi_gy = std::max(max_voi_gy, voi["max_gy"].get<double>());
  EXPECT_NEAR(max_gy, max_voi_gy, 1e-3 * max_voi_gy);
  const auto ct = io::read_nifti_float(fetch("ct"));
  EXPECT_EQ(ct.data.size(), dose.data.size());
  // A client that does not decode content codings gets the .nii.gz bytes.
  auto raw_client = server_->client();
  raw_client.set_decompress(false);
  auto raw = raw_client.Get("/api/plans/" + id + "/volumes/ct", {{"Cookie", physicist_.cookie}});
  ASSERT_TRUE(raw);
  ASSERT_GE(raw->body.size(), 2u);
  EXPECT_EQ(static_cast<unsigned char>(raw->body[0]), 0x1f);
  EXPECT_EQ(static_cast<unsigned char>(raw->body[1]), 0x8b);
  // A client that refuses gzip (Accept-Encoding: identity) gets the same
  // .nii.gz file without a content coding it did not accept.
  auto identity = raw_client.Get("/api/plans/" + id + "/volumes/ct", {{"Cookie", physicist_.cookie}, {"Accept-Encoding", "identity"}});
  ASSERT_TRUE(identity);
  EXPECT_EQ(identity->status, 200);
  EXPECT_FALSE(identity->has_header("Content-Encoding")) << identity->get_header_value("Content-Encoding");
  EXPECT_EQ(identity->body, raw->body);
  auto bad = server_->request("GET", "/api/plans/" + id + "/volumes/..%2Fplan.toml", physicist_);
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 404);
}

TEST_F(PlanRoutes, PathsOutsideTheDataRootAreRefusedNamingTheKey) {
  for (const auto& [folder, key] : std::vector<std::pair<std::string, std::string>>{
           {"dotdot", "images.ct"}, {"absolute", "images.spect"}, {"symlink", "voi[5].mask"}}) {
    auto r = server_->request("GET", "/api/plans/" + id_of(folder, "plan.toml"), physicist_);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << folder << ": " << r->body;
    const json b = body_of(r);
    EXPECT_EQ(b["error"], "plan_refused") << folder;
    EXPECT_NE(b["message"].get<std::string>().find(key), std::string::npos) << folder << ": " << b.dump();
    EXPECT_NE(b["message"].get<std::string>().find("outside the data root"), std::string::npos) << b.dump();
    EXPECT_EQ(b["message"].get<std::string>().find(outside().string()), std::string::npos) << b.dump();
    auto v = server_->request("GET", "/api/plans/" + id_of(folder, "plan.toml") + "/volumes/ct", physicist_);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->status, 422) << folder;
  }
  // Ids are not paths.
  for (const std::string id : {"..%2F..%2Foutside", "%2Fetc%2Fpasswd", "0123456789abcdef"}) {
    auto r = server_->request("GET", "/api/plans/" + id, physicist_);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 404) << id;
  }
}

TEST_F(PlanRoutes, PhysicistAndAdminPlanInvestigatorViewsOthersRefused) {
  const std::string id = id_of("demo-patient", "plan.toml");
  for (Role role : all_roles()) {
    const auto s = server_->login(std::string("u_") + role_name(role), password);
    auto view = server_->request("GET", "/api/plans/" + id, s);
    auto plan = server_->request("POST", "/api/plans/" + id + "/what-if", s, {{"activity_gbq", {2.0}}});
    ASSERT_TRUE(view && plan);
    const bool viewer = role == Role::admin || role == Role::physicist || role == Role::investigator;
    const bool planner = role == Role::admin || role == Role::physicist;
    EXPECT_EQ(view->status, viewer ? 200 : 403) << role_name(role);
    EXPECT_EQ(plan->status, planner ? 200 : 403) << role_name(role);
    if (viewer) EXPECT_EQ(body_of(view)["may_plan"], planner) << role_name(role);
  }
}

TEST_F(PlanRoutes, BadActivitiesAnswer400NamingTheField) {
  const std::string id = id_of("demo-patient", "plan_two_injections.toml");
  const auto post = [&](const json& body) {
    auto r = server_->request("POST", "/api/plans/" + id + "/what-if", physicist_, body);
    EXPECT_TRUE(r);
    return r ? std::make_pair(r->status, body_of(r)) : std::make_pair(0, json());
  };
  const std::vector<std::pair<json, std::string>> cases = {
      {{{"activity_gbq", {-1.0, 2.0}}}, "activity_gbq[0]"},
      {{{"activity_gbq", {2.0, nullptr}}}, "activity_gbq[1]"},  // JSON.stringify(NaN)
      {{{"activity_gbq", {2.0, "2"}}}, "activity_gbq[1]"},
      {{{"activity_gbq", {2.0, 0.0}}}, "activity_gbq[1]"},
      {{{"activity_gbq", {31.0, 2.0}}}, "activity_gbq[0]"},
      {{{"activity_gbq", {1.0, 2.0, 3.0}}}, "activity_gbq"},
      {{{"activity_gbq", {1.0}}}, "activity_gbq"},
      {{{"activity_gbq", 2.0}}, "activity_gbq"},
      {json::object(), "activity_gbq"},
      {{{"activity_gbq", {1.0, 2.0}}, {"answer", "everything"}}, "answer"},
      {{{"activity_gbq", {1.0, 2.0}}, {"answer", 1}}, "answer"},
  };
  for (const auto& [body, field] : cases) {
    const auto [status, answer] = post(body);
    EXPECT_EQ(status, 400) << body.dump();
    EXPECT_EQ(answer["field"], field) << body.dump() << " -> " << answer.dump();
  }
  const auto [status, answer] = post({{"activity_gbq", {1.0, 2.0}}, {"activty", 1}});
  EXPECT_EQ(status, 400);
  // A NaN written by hand is not JSON at all.
  httplib::Headers h{{"Cookie", physicist_.cookie}, {"X-CSRF-Token", physicist_.csrf}};
  auto r = server_->client().Post("/api/plans/" + id + "/what-if", h, R"({"activity_gbq": [NaN, 1]})", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
}

TEST(PlanRoutesNoData, AServerWithoutDataRootSaysSo) {
  TestServer server;
  server.add_user("phys", Role::physicist, {"Rennes"}, password);
  const auto s = server.login("phys", password);
  auto r = server.request("GET", "/api/plans", s);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(body_of(r)["error"], "no_data_root");
}

}  // namespace
}  // namespace sirtkit::server
