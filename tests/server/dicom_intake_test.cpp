// `sirtkit serve --dicom-port`: studies pushed with DCMTK's storescu land in
// the data root and every association is in the audit trail, without patient data.
#include "server/dicom_intake.h"

#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "../io/dicom_fixture.h"
#include "../io/dicom_push.h"
#include "io/dicom_network/dicom_instance_store.h"
#include "server_fixture.h"

namespace sirtkit::server::testing {
namespace {

namespace fs = std::filesystem;
using namespace io::push;

image::Volume<float> two_slices() {
  image::Grid g;
  g.size = {3, 2, 2};
  g.spacing_mm = {1.0, 1.0, 3.0};
  image::Volume<float> v(g);
  for (std::size_t n = 0; n < v.data.size(); ++n) v.data[n] = static_cast<float>(10 * n);
  return v;
}

// The audit entries of dicom_receipts, oldest first, once `n` are there.
json receipts(TestServer& s, const Login& admin, std::size_t n) {
  json entries;
  for (int i = 0; i < 300; ++i) {
    entries = body_of(s.request("GET", "/api/audit?table=dicom_receipts", admin))["entries"];
    if (entries.is_array() && entries.size() >= n) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  json out = json::array();
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) out.push_back(*it);
  return out;
}

}  // namespace

TEST(DicomIntake, PushedSeriesAreStoredAndAuditedByCallingAeWithoutPatientData) {
  if (!have_dcmtk_programs()) GTEST_SKIP() << no_dcmtk_programs;
  const fs::path root = io::fixture::fresh_dir("intake_root");
  const fs::path src = io::fixture::fresh_dir("intake_src");
  io::fixture::SeriesSpec ct;  // DOE^JANE, PID-12345, 19510317, ACC998877
  io::fixture::write_slices(src, two_slices(), ct);
  io::fixture::SeriesSpec nm = ct;
  nm.series_uid = io::fixture::new_uid();
  io::fixture::write_nm_tomo(src / "nm.dcm", two_slices(), nm);
  const int dicom_port = free_port();
  std::string log;
  {
    TestServer s(registry::Dialect::sqlite, "", "", "", root.string(), [&](ServerConfig& c) {
      c.dicom_port = dicom_port;
      c.dicom_ae = "PLANNING";
      c.dicom_allow = {"SCANNER=Rennes"};  // the demo cohort's site
    });
    EXPECT_EQ(s.http().dicom_port(), dicom_port);
    const Program ok = run(storescu(dicom_port, "SCANNER", "+sd " + src.string(), "PLANNING"));
    ASSERT_EQ(ok.status, 0) << ok.output;
    const Program bad = run(storescu(dicom_port, "MODALITY7", "+sd " + src.string(), "PLANNING"));
    EXPECT_NE(bad.status, 0);

    const Login admin = s.login(s.admin().username, s.admin().password);
    const json r = receipts(s, admin, 3);
    ASSERT_EQ(r.size(), 3u) << r.dump();
    // One row per stored series (CT: 2 slices, NM: 1 multi-frame object), then the refused association.
    std::map<std::string, json> stored;
    for (const auto& e : r) {
      EXPECT_EQ(e["action"], "INSERT");
      const json row = e["new_row"];
      if (row["outcome"] == "stored") stored[row["modality"]] = row;
    }
    ASSERT_EQ(stored.size(), 2u) << r.dump();
    EXPECT_EQ(stored["CT"]["objects"], 2);
    EXPECT_EQ(stored["NM"]["objects"], 1);
    EXPECT_EQ(stored["CT"]["study_folder"], io::study_folder_name(ct.study_uid, "Rennes"));
    EXPECT_EQ(stored["CT"]["site"], "Rennes");
    EXPECT_EQ(stored["CT"]["channel"], "c-store");
    EXPECT_EQ(stored["CT"]["sender"], "SCANNER");
    EXPECT_EQ(r[0]["actor"], "dicom:SCANNER");
    EXPECT_EQ(r[2]["actor"], "dicom:MODALITY7");
    EXPECT_EQ(r[2]["new_row"]["outcome"], "association_refused");
    EXPECT_EQ(r[2]["new_row"]["address"], "127.0.0.1");
    const std::string all = r.dump();
    for (const char* secret : {"DOE", "JANE", "PID-12345", "19510317", "20240115", "ACC998877", "Example", ct.study_uid.c_str()})
      EXPECT_EQ(all.find(secret), std::string::npos) << "the audit trail carries " << secret;
    EXPECT_EQ(stored_files(root).size(), 3u);
  }
  // The server stopped: its receiver too.
  EXPECT_NE(run("echoscu -to 2 -aet SCANNER -aec PLANNING 127.0.0.1 " + std::to_string(dicom_port)).status, 0);
}

TEST(DicomIntake, UnfinishedTransfersOlderThanAnHourAreRemovedAtStartYoungerOnesKept) {
  const fs::path root = io::fixture::fresh_dir("intake_stale");
  fs::create_directories(root / ".incoming");
  const fs::path old_file = root / ".incoming" / "0011.partial", young = root / ".incoming" / "0022.partial", other = root / ".incoming" / "keep.txt";
  for (const auto& p : {old_file, young, other}) std::ofstream(p) << "partial";
  fs::last_write_time(old_file, fs::file_time_type::clock::now() - std::chrono::minutes(61));
  fs::last_write_time(other, fs::file_time_type::clock::now() - std::chrono::hours(5));
  fs::last_write_time(young, fs::file_time_type::clock::now() - std::chrono::minutes(59));
  TestServer s(registry::Dialect::sqlite, "", "", "", root.string());
  EXPECT_FALSE(fs::exists(old_file));
  EXPECT_TRUE(fs::exists(young));
  EXPECT_TRUE(fs::exists(other)) << "only the receiver's own temporary files (*.partial) are removed";
}

TEST(DicomIntake, ASenderFiledUnderASiteTheRegistryDoesNotHaveIsRefusedAtStart) {
  const fs::path root = io::fixture::fresh_dir("intake_no_site");
  try {
    TestServer s(registry::Dialect::sqlite, "", "", "", root.string(), [](ServerConfig& c) {
      c.dicom_port = free_port();
      c.dicom_allow = {"SCANNER=Rennes", "PACS=Nowhere"};
    });
    ADD_FAILURE() << "a site the registry does not have must be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("PACS=Nowhere"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("--dicom-allow"), std::string::npos) << e.what();
  }
}

TEST(DicomIntake, AReceiverWithoutADataRootIsRefusedAtStart) {
  EXPECT_THROW(TestServer(registry::Dialect::sqlite, "", "", "", "", [](ServerConfig& c) { c.dicom_port = free_port(); }), Error);
}

}  // namespace sirtkit::server::testing
