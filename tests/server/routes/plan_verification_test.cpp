// The verification view's routes (issue 14 item 4) over HTTP with the demo
// planning patient: the study lists its post-treatment images (the files no
// plan of the folder names), a verification answers the numbers of
// `sirtkit verify --json` (the program is run), its volumes are the planned
// and delivered dose maps, their difference and a registration checkerboard
// in [0, 1]; a delivered image outside the study, a PET without its scan time
// and a bad modality are refused naming the field.

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "../../cli/run_sirtkit.h"
#include "io/image/nifti.h"
#include "pipelines/planning/plan_verification.h"
#include "pipelines/planning/plan_workspace.h"
#include "../server_fixture.h"

namespace sirtkit::server {
namespace {

namespace fs = std::filesystem;
using testing::body_of;
using testing::json;
using testing::TestServer;

const std::string password = "correct horse battery";

fs::path base() { return fs::temp_directory_path() / ("sirtkit_plan_verification_" + std::to_string(::getpid())); }
fs::path data_root() { return base() / "data"; }

// Same structure, strings and integers equal, other numbers within 1e-4
// relative: ITK's registration is not bit-reproducible (about 1e-13 in the
// transform), and an order statistic such as D70 then moves by the gap
// between two neighbouring voxel doses (4e-6 Gy of 2.9 Gy seen under load).
void expect_close(const json& a, const json& b, const std::string& where) {
  if (a.is_number_float() || b.is_number_float()) {
    ASSERT_TRUE(a.is_number() && b.is_number()) << where;
    EXPECT_NEAR(a.get<double>(), b.get<double>(), 1e-4 * std::max(1.0, std::abs(b.get<double>()))) << where;
  } else if (a.is_object() || a.is_array()) {
    ASSERT_EQ(a.size(), b.size()) << where;
    ASSERT_EQ(a.type(), b.type()) << where;
    if (a.is_array())
      for (std::size_t i = 0; i < a.size(); ++i) expect_close(a[i], b[i], where + "[" + std::to_string(i) + "]");
    else
      for (const auto& [k, v] : a.items()) {
        ASSERT_TRUE(b.contains(k)) << where << "." << k;
        expect_close(v, b[k], where + "." + k);
      }
  } else {
    EXPECT_EQ(a, b) << where;
  }
}

class PlanVerification : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    fs::remove_all(base());
    ASSERT_TRUE(pipelines::write_demo_study(data_root()));
  }
  static void TearDownTestSuite() { fs::remove_all(base()); }

  void SetUp() override {
    server_ = std::make_unique<TestServer>(registry::Dialect::sqlite, "", "", "", data_root().string());
    server_->add_user("phys", Role::physicist, {"Rennes"}, password);
    phys_ = server_->login("phys", password);
    ASSERT_EQ(phys_.status, 200);
    const json list = body_of(server_->request("GET", "/api/plans", phys_));
    for (const auto& s : list["studies"])
      if (s["folder"] == "demo-patient" && s["plan_file"] == "plan.toml") id_ = s["id"];
    ASSERT_EQ(id_.size(), 16u);
  }

  httplib::Result verify(const json& body) { return server_->request("POST", "/api/plans/" + id_ + "/verification", phys_, body); }

  image::Volume<float> volume(const json& answer, const std::string& name) {
    for (const auto& v : answer["volumes"])
      if (v["name"] == name) {
        auto r = server_->request("GET", v["url"], phys_);
        EXPECT_EQ(r->status, 200) << name;
        const fs::path f = base() / (name + ".nii.gz");
        std::ofstream(f, std::ios::binary) << r->body;
        return io::read_nifti_float(f);
      }
    ADD_FAILURE() << "no volume " << name;
    return {};
  }

  std::unique_ptr<TestServer> server_;
  testing::Login phys_;
  std::string id_;
};

TEST_F(PlanVerification, ListsTheImagesNoPlanOfTheFolderNames) {
  const json study = body_of(server_->request("GET", "/api/plans/" + id_, phys_));
  // territory_left.nii.gz belongs to plan_two_injections.toml: not a post-treatment image.
  EXPECT_EQ(study["post_images"], json::array({"post_pet.nii.gz", "post_spect.nii.gz"}));
}

TEST_F(PlanVerification, AnswersTheNumbersOfSirtkitVerifyAndItsVolumes) {
  auto r = verify({{"delivered", "post_spect.nii.gz"}, {"modality", "spect"}, {"register", true}});
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  const json answer = body_of(r);
  const json served = answer["verification"];
  const auto run = cli_test::run("verify '" + (data_root() / "demo-patient" / "plan.toml").string() + "' --delivered '" +
                                     (data_root() / "demo-patient" / "post_spect.nii.gz").string() + "' --register --json",
                                 false);
  const json cli = json::parse(run.out, nullptr, false);
  ASSERT_FALSE(cli.is_discarded()) << run.out;
  // ITK's rigid registration sums its metric over threads: two runs agree to
  // about 1e-13 in the transform and 1e-10 in the doses, not bit for bit.
  for (const char* key : {"vois", "tumour_to_normal", "delivered", "registration", "tumour_dose_agreement", "tumour_to_normal_agreement",
                          "administered_gbq"})
    expect_close(served[key], cli[key], key);
  EXPECT_EQ(served["notes"].size(), cli["notes"].size());

  const auto planned = volume(answer, "planned_dose"), delivered = volume(answer, "delivered_dose");
  const auto difference = volume(answer, "dose_difference"), check = volume(answer, "registration_check");
  ASSERT_EQ(planned.data.size(), delivered.data.size());
  ASSERT_EQ(difference.data.size(), planned.data.size());
  ASSERT_EQ(check.data.size(), planned.data.size());
  double max_planned = 0;
  for (std::size_t i = 0; i < planned.data.size(); ++i) {
    ASSERT_NEAR(difference.data[i], delivered.data[i] - planned.data[i], 1e-4 * (1 + std::abs(planned.data[i]))) << i;
    ASSERT_GE(check.data[i], 0.0f);
    ASSERT_LE(check.data[i], 1.0f);
    max_planned = std::max<double>(max_planned, planned.data[i]);
  }
  double max_voi = 0;
  for (const auto& v : cli["vois"]) max_voi = std::max(max_voi, v["planned_mean_gy"].get<double>());
  EXPECT_GT(max_planned, max_voi);  // the map's maximum is above every VOI's mean
}

TEST_F(PlanVerification, RefusesImagesOutsideTheStudyAndMalformedRequestsNamingTheField) {
  for (const std::string bad : {"plan.toml", "ct.nii.gz", "../demo-patient/post_spect.nii.gz", "/etc/passwd", "missing.nii.gz"}) {
    auto r = verify({{"delivered", bad}});
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 422) << bad << ": " << r->body;
    EXPECT_EQ(body_of(r)["field"], "delivered") << bad;
    EXPECT_EQ(r->body.find("/etc"), std::string::npos);
  }
  auto pet = verify({{"delivered", "post_pet.nii.gz"}, {"modality", "pet"}});
  EXPECT_EQ(pet->status, 422) << pet->body;
  EXPECT_NE(body_of(pet)["message"].get<std::string>().find("hours-after-injection"), std::string::npos) << pet->body;
  EXPECT_EQ(verify({{"delivered", "post_pet.nii.gz"}, {"modality", "xray"}})->status, 400);
  EXPECT_EQ(verify({{"delivered", "post_pet.nii.gz"}, {"hours_after_injection", -1}})->status, 400);
  EXPECT_EQ(verify({{"delivered", "post_spect.nii.gz"}, {"register", "yes"}})->status, 400);
  auto none = server_->request("GET", "/api/plans/" + id_ + "/verification/0123456789abcdef/volumes/planned_dose", phys_);
  EXPECT_EQ(none->status, 404);
}

TEST(RegistrationCheckerboard, AlternatesScaledBlocksOfEachVolume) {
  image::Grid g;
  g.size = {4, 4, 2};
  image::Volume<float> a(g, 2.0f), b(g, 10.0f);
  const auto c = pipelines::registration_checkerboard(a, b, 2);
  EXPECT_FLOAT_EQ(c.at(0, 0, 0), 1.0f);  // a / its 99.5th percentile
  EXPECT_FLOAT_EQ(c.at(2, 0, 0), 1.0f);  // b / its own
  b.at(2, 0, 0) = 5.0f;
  const auto d = pipelines::registration_checkerboard(a, b, 2);
  EXPECT_FLOAT_EQ(d.at(2, 0, 0), 0.5f);
  EXPECT_FLOAT_EQ(d.at(0, 0, 0), 1.0f);
}

}  // namespace
}  // namespace sirtkit::server
