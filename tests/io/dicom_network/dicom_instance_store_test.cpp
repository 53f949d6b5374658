#include "io/dicom_network/dicom_instance_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <thread>
#include <vector>

#include "../dicom_hostile.h"
#include "io/file_hash.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;

// Copies `file` into DATA/.incoming as a receiver would have written it.
fs::path incoming_copy(const fs::path& root, const fs::path& file) {
  const fs::path temp = new_incoming_path(root);
  fs::copy_file(file, temp);
  return temp;
}

std::uint16_t refusal_status(const std::function<void()>& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const InstanceRefused& e) {
    if (message) *message = e.what();
    return e.status();
  }
  return 0;
}

std::string uid_of(const fs::path& file, const DcmTagKey& key) {
  DcmFileFormat f;
  f.loadFile(file.c_str());
  OFString s;
  f.getDataset()->findAndGetOFString(key, s);
  return s.c_str();
}

}  // namespace

TEST(DicomInstanceStore, MovesAnObjectIntoHashedStudyAndSeriesFolders) {
  const fs::path src = fixture::fresh_dir("store_src");
  const fs::path root = fixture::fresh_dir("store_root");
  const fs::path ct = hostile::ct_slice(src);
  const fs::path temp = incoming_copy(root, ct);
  const StoredInstance s = store_received_instance(root, temp);
  const std::string study_uid = uid_of(ct, DCM_StudyInstanceUID), series_uid = uid_of(ct, DCM_SeriesInstanceUID);
  EXPECT_EQ(s.study_folder, "study-" + sha256_of_bytes(study_uid).substr(0, 16));
  EXPECT_EQ(s.series_folder, "ct-" + sha256_of_bytes(series_uid).substr(0, 16));
  EXPECT_EQ(s.file_name, sha256_of_bytes(uid_of(ct, DCM_SOPInstanceUID)).substr(0, 16) + ".dcm");
  EXPECT_EQ(s.modality, "CT");
  EXPECT_FALSE(s.replaced);
  EXPECT_FALSE(fs::exists(temp));
  EXPECT_EQ(sha256_of_path(root / s.study_folder / s.series_folder / s.file_name), sha256_of_path(ct)) << "stored byte for byte";
  EXPECT_TRUE(store_received_instance(root, incoming_copy(root, ct)).replaced);
}

TEST(DicomInstanceStore, RefusesWithTheDicomStatusAndKeepsNothing) {
  const fs::path src = fixture::fresh_dir("store_refuse_src");
  const fs::path root = fixture::fresh_dir("store_refuse_root");
  const fs::path ct = hostile::ct_slice(src);

  // Not a storage class sirtkit plans with (RT Plan).
  DcmFileFormat plan;
  plan.loadFile(ct.c_str());
  plan.getDataset()->putAndInsertString(DCM_SOPClassUID, UID_RTPlanStorage);
  plan.getMetaInfo()->putAndInsertString(DCM_MediaStorageSOPClassUID, UID_RTPlanStorage);
  ASSERT_TRUE(plan.saveFile((src / "plan.dcm").c_str(), EXS_LittleEndianExplicit).good());
  std::string m;
  fs::path temp = incoming_copy(root, src / "plan.dcm");
  EXPECT_EQ(refusal_status([&] { store_received_instance(root, temp); }, &m), store_status::sop_class_not_supported);
  EXPECT_NE(m.find(UID_RTPlanStorage), std::string::npos) << m;
  EXPECT_FALSE(fs::exists(temp));

  // A dataset without File Meta Information.
  DcmFileFormat raw;
  raw.loadFile(ct.c_str());
  ASSERT_TRUE(raw.getDataset()->saveFile((src / "raw.dcm").c_str(), EXS_LittleEndianExplicit).good());
  temp = incoming_copy(root, src / "raw.dcm");
  EXPECT_EQ(refusal_status([&] { store_received_instance(root, temp); }, &m), store_status::cannot_understand);
  EXPECT_NE(m.find("File Meta Information"), std::string::npos) << m;

  // Another SOP instance than the C-STORE request announced.
  temp = incoming_copy(root, ct);
  EXPECT_EQ(refusal_status([&] { store_received_instance(root, temp, "1.2.3.4"); }), store_status::does_not_match_sop_class);
  // Another study than the STOW-RS request names.
  temp = incoming_copy(root, ct);
  EXPECT_EQ(refusal_status([&] { store_received_instance(root, temp, "", "1.2.3.4"); }), store_status::does_not_match_sop_class);

  // Hostile: truncated in the pixel data, too many items.
  hostile::truncate_copy(ct, src / "cut.dcm", fs::file_size(ct) - 7);
  temp = incoming_copy(root, src / "cut.dcm");
  EXPECT_EQ(refusal_status([&] { store_received_instance(root, temp); }, &m), store_status::cannot_understand);
  EXPECT_NE(m.find("truncated"), std::string::npos) << m;
  hostile::many_items(src / "items.dcm", 1'000'001);
  temp = incoming_copy(root, src / "items.dcm");
  EXPECT_EQ(refusal_status([&] { store_received_instance(root, temp); }, &m), store_status::cannot_understand);
  EXPECT_NE(m.find("sequence items"), std::string::npos) << m;

  // Nothing but the empty .incoming folder.
  std::size_t left = 0;
  for (const auto& e : fs::recursive_directory_iterator(root)) left += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(left, 0u);
  EXPECT_EQ(std::distance(fs::directory_iterator(root), fs::directory_iterator()), 1);
}

}  // namespace sirtkit::io

namespace sirtkit::io {

// Site scoping (issue 14): a site's study folder is h(site, UID) with a .site file.
TEST(DicomInstanceStore, FilesAStudyUnderItsSiteInAFolderOfItsOwn) {
  const fs::path src = fixture::fresh_dir("store_site_src");
  const fs::path root = fixture::fresh_dir("store_site_root");
  const fs::path ct = hostile::ct_slice(src);
  const std::string study_uid = uid_of(ct, DCM_StudyInstanceUID);
  const StoredInstance a = store_received_instance(root, incoming_copy(root, ct), "", "", "Rennes");
  EXPECT_EQ(a.study_folder, "study-" + sha256_of_bytes("Rennes\n" + study_uid).substr(0, 16));
  EXPECT_EQ(a.site, "Rennes");
  EXPECT_EQ(study_site(root / a.study_folder), "Rennes");
  const StoredInstance b = store_received_instance(root, incoming_copy(root, ct), "", "", "Lyon");
  EXPECT_NE(b.study_folder, a.study_folder);
  EXPECT_FALSE(b.replaced) << "another site's copy is another object";
  const StoredInstance none = store_received_instance(root, incoming_copy(root, ct));
  EXPECT_EQ(none.study_folder, study_folder_name(study_uid));
  EXPECT_EQ(study_site(root / none.study_folder), "");
  EXPECT_TRUE(store_received_instance(root, incoming_copy(root, ct), "", "", "Rennes").replaced);

  // A folder whose .site says another site (edited by hand) takes nothing.
  std::ofstream(root / a.study_folder / ".site", std::ios::trunc) << "Lyon\n";
  std::string message;
  const fs::path temp = incoming_copy(root, ct);
  EXPECT_EQ(refusal_status([&] { store_received_instance(root, temp, "", "", "Rennes"); }, &message), store_status::out_of_resources);
  EXPECT_NE(message.find("filed under site Lyon, not site Rennes"), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(temp));
  // A .site that is not a code is an I/O error naming the folder, not an empty site.
  std::ofstream(root / a.study_folder / ".site", std::ios::trunc) << "../../etc\n";
  EXPECT_THROW(study_site(root / a.study_folder), Error);
}

// Associations and STOW-RS requests file objects on several threads: the first
// objects of one new study, arriving at once, must all land in one folder of
// that site (not be refused as "filed under no site" by a thread that saw the
// folder before its site file).
TEST(DicomInstanceStore, ObjectsOfANewStudyArrivingAtOnceAreAllFiledUnderItsSite) {
  const fs::path src = fixture::fresh_dir("store_race_src");
  const fs::path root = fixture::fresh_dir("store_race_root");
  const fs::path ct = hostile::ct_slice(src);
  constexpr int kStudies = 40, kThreads = 4;
  std::atomic<int> refused{0}, stored{0};
  for (int k = 0; k < kStudies; ++k) {
    const std::string site = "site" + std::to_string(k);  // a new study folder each round
    std::vector<fs::path> temps;
    for (int t = 0; t < kThreads; ++t) temps.push_back(incoming_copy(root, ct));
    std::atomic<int> ready{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
      threads.emplace_back([&, t] {
        ++ready;
        while (ready.load() < kThreads) std::this_thread::yield();
        try {
          if (store_received_instance(root, temps[static_cast<std::size_t>(t)], "", "", site).site == site) ++stored;
        } catch (const InstanceRefused&) {
          ++refused;
        }
      });
    for (auto& th : threads) th.join();
    EXPECT_EQ(study_site(root / ("study-" + sha256_of_bytes(site + "\n" + uid_of(ct, DCM_StudyInstanceUID)).substr(0, 16))), site);
  }
  EXPECT_EQ(refused.load(), 0);
  EXPECT_EQ(stored.load(), kStudies * kThreads);
}

TEST(DicomInstanceStore, SiteCodesAreCheckedBeforeTheyNameAFolder) {
  for (const char* ok : {"Rennes", "CHU-Lyon_2", "site.3"}) EXPECT_NO_THROW(check_site_code(ok, "serve", "--dicom-allow")) << ok;
  for (const char* bad : {"", ".hidden", "a/b", "..", "Saint Étienne", "x\n"}) EXPECT_THROW(check_site_code(bad, "serve", "--dicom-allow"), Error) << bad;
  EXPECT_THROW(check_site_code(std::string(65, 'a'), "serve", "--dicom-allow"), Error);
}

}  // namespace sirtkit::io
