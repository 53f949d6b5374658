// PlanWorkspace::find (pipelines/planning/plan_workspace.h): the entry list() gives,
// answered from the last listing while the root, the study folder and its
// .site file keep their stamps, and listed again when one changed.
#include "pipelines/planning/plan_workspace.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <stop_token>
#include <thread>

#include "core/error.h"

namespace sirtkit::pipelines {
namespace {

namespace fs = std::filesystem;

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

// File times a minute old: stamps the workspace trusts (younger ones it lists again).
void age(const fs::path& p) { fs::last_write_time(p, fs::file_time_type::clock::now() - std::chrono::minutes(1)); }

TEST(PlanWorkspace, FindIsTheListingsEntryAndSeesChangedFoldersAndSites) {
  const fs::path root = fs::temp_directory_path() / ("sirtkit_plan_workspace_" + std::to_string(::getpid()));
  fs::remove_all(root);
  fs::create_directories(root / "a");
  fs::create_directories(root / "b");
  fs::create_directories(root / ".hidden");
  write(root / "a" / "plan.toml", "");
  write(root / "a" / "other.toml", "");
  write(root / "b" / "p.toml", "");
  write(root / "b" / ".site", "Rennes\n");
  write(root / ".hidden" / "x.toml", "");
  for (const fs::path& p : {root / "b" / ".site", root / "a", root / "b", root})
    age(p);
  const PlanWorkspace w(root);
  const auto all = w.list();
  ASSERT_EQ(all.size(), 3u);
  for (const auto& e : all) {
    const auto found = w.find(e.id);
    ASSERT_TRUE(found) << e.folder << "/" << e.plan_file;
    EXPECT_EQ(found->folder, e.folder);
    EXPECT_EQ(found->plan_file, e.plan_file);
    EXPECT_EQ(found->site, e.site);
  }
  EXPECT_FALSE(w.find("0123456789abcdef"));
  const auto id_of = [&](const std::string& folder, const std::string& plan) {
    for (const auto& e : all)
      if (e.folder == folder && e.plan_file == plan) return e.id;
    return std::string();
  };
  EXPECT_EQ(w.find(id_of("b", "p.toml"))->site, "Rennes");
  // Filed under another site: .site has another size, the study another site.
  write(root / "b" / ".site", "Lyon\n");
  age(root / "b" / ".site");
  EXPECT_EQ(w.find(id_of("b", "p.toml"))->site, "Lyon");
  // A plan file gone: its folder's time changed, so the folder is listed again.
  fs::remove(root / "a" / "other.toml");
  EXPECT_FALSE(w.find(id_of("a", "other.toml")));
  EXPECT_TRUE(w.find(id_of("a", "plan.toml")));
  // The listing is what find answers from: with every time put back by hand, a
  // removed plan file is still found until something else changes (no file
  // system offers a cheaper check; the route then fails to open the plan).
  age(root / "a");
  ASSERT_TRUE(w.find(id_of("a", "plan.toml")));  // lists again and trusts the aged stamps
  const auto stamp = fs::last_write_time(root / "a");
  fs::remove(root / "a" / "plan.toml");
  fs::last_write_time(root / "a", stamp);
  EXPECT_TRUE(w.find(id_of("a", "plan.toml")));
  // A study folder removed: the root's time changed.
  fs::remove_all(root / "b");
  EXPECT_FALSE(w.find(id_of("b", "p.toml")));
  fs::remove_all(root);
}

// prepare_folder prepares each study of the folder and encodes its volumes, as
// a first visit would: with the images then removed, every study still opens
// and serves its CT from what was prepared. A stop requested before it starts
// prepares nothing (the images' removal then shows).
TEST(PlanWorkspace, PrepareFolderLeavesEveryStudyAndVolumeReady) {
  const fs::path root = fs::temp_directory_path() / ("sirtkit_plan_workspace_prepare_" + std::to_string(::getpid()));
  fs::remove_all(root);
  ASSERT_TRUE(write_demo_study(root));
  PlanWorkspace stopped(root), prepared(root);
  std::stop_source stop;
  stop.request_stop();
  stopped.prepare_folder(kDemoStudyFolder, stop.get_token());
  prepared.prepare_folder(kDemoStudyFolder);
  const fs::path folder = root / kDemoStudyFolder;
  fs::remove(folder / "ct.nii.gz");
  fs::remove(folder / "maa_spect.nii.gz");
  const auto studies = prepared.list();
  ASSERT_EQ(studies.size(), 3u);  // plan.toml, plan_standard.toml, plan_two_injections.toml
  for (const auto& info : studies) {
    const auto study = prepared.open(info);
    for (const std::string& name : study->volume_names()) EXPECT_FALSE(study->volume_nifti(name).empty()) << info.plan_file << " " << name;
    EXPECT_THROW(stopped.open(info), Error) << info.plan_file;
  }
  fs::remove_all(root);
}

// A prepared study is answered while another is being prepared: open() holds
// the preparation's lock only to prepare (a what-if used to wait for the demo's
// other plans being prepared in the background, bench/whatif_wrk.py). Opened
// 20 ms into the other's preparation (which takes far longer), the prepared
// study comes back in a small part of that preparation's time, not at its end.
TEST(PlanWorkspace, APreparedStudyOpensWhileAnotherIsPrepared) {
  const fs::path root = fs::temp_directory_path() / ("sirtkit_plan_workspace_concurrent_" + std::to_string(::getpid()));
  fs::remove_all(root);
  ASSERT_TRUE(write_demo_study(root));
  PlanWorkspace workspace(root);
  const auto studies = workspace.list();
  ASSERT_GE(studies.size(), 2u);
  const auto first = workspace.open(studies[0]);
  std::shared_ptr<const PlanStudy> second;
  std::jthread preparing([&] { second = workspace.open(studies[1]); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(workspace.open(studies[0]), first);
  const double waited_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  preparing.join();
  ASSERT_TRUE(second);
  // Waiting for the other's lock would take the rest of its preparation: about prepare_s - 0.02 s.
  ASSERT_GT(second->prepare_s, 0.05) << "the premise: a preparation long enough to be waited for";
  EXPECT_LT(waited_s, (second->prepare_s - 0.02) / 2) << "the prepared study waited for the other's preparation";
  fs::remove_all(root);
}

}  // namespace
}  // namespace sirtkit::pipelines
