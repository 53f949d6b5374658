// The C-STORE receiver against DCMTK's own storescu/echoscu programs on
// loopback: real associations, real files, no mocks.
#include "io/dicom_network/dicom_store_receiver.h"

#include <dcmtk/dcmnet/scu.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <mutex>
#include <thread>

#include "core/error.h"
#include "../dicom_fixture.h"
#include "../dicom_hostile.h"
#include "../dicom_push.h"
#include "io/dicom_network/dicom_instance_store.h"
#include "io/dicom/dicom_series.h"
#include "io/file_hash.h"

namespace sirtkit::io {
namespace {

namespace fs = std::filesystem;

using namespace push;

class Receiver {
 public:
  Receiver(const fs::path& root, std::vector<std::string> allowed) {
    DicomReceiverConfig c;
    c.data_root = root;
    c.port = free_port();
    c.ae_title = "SIRTKIT";
    c.allowed = std::move(allowed);
    c.dimse_timeout_s = 10;
    rx_ = std::make_unique<DicomStoreReceiver>(c, [this](const AssociationReport& r) {
      std::lock_guard lock(mutex_);
      reports_.push_back(r);
    });
    rx_->start();
  }
  int port() const { return rx_->config().port; }
  DicomStoreReceiver& receiver() { return *rx_; }
  // The reports once `n` have arrived (the receiver reports after releasing the association).
  std::vector<AssociationReport> reports(std::size_t n) {
    for (int i = 0; i < 500; ++i) {
      {
        std::lock_guard lock(mutex_);
        if (reports_.size() >= n) return reports_;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::lock_guard lock(mutex_);
    return reports_;
  }
  std::string storescu(const std::string& calling, const std::string& files, const std::string& called = "SIRTKIT") const {
    return push::storescu(port(), calling, files, called);
  }

 private:
  std::unique_ptr<DicomStoreReceiver> rx_;
  std::mutex mutex_;
  std::vector<AssociationReport> reports_;
};

image::Volume<float> small_ct() {
  image::Grid g;
  g.size = {5, 4, 3};
  g.spacing_mm = {0.8, 0.8, 2.5};
  image::Volume<float> v(g);
  for (std::size_t n = 0; n < v.data.size(); ++n) v.data[n] = static_cast<float>(-500 + 37 * static_cast<int>(n));
  return v;
}

#define REQUIRE_STORESCU() \
  if (!have_dcmtk_programs()) GTEST_SKIP() << no_dcmtk_programs

}  // namespace

TEST(DicomStoreReceiver, StoresAPushedCtSeriesUnderFoldersThatNameNoPatientData) {
  REQUIRE_STORESCU();
  const fs::path src = fixture::fresh_dir("rx_src");
  const fs::path root = fixture::fresh_dir("rx_root");
  fixture::SeriesSpec spec;  // patient DOE^JANE, PID-12345, born 19510317, study 20240115
  const auto v = small_ct();
  fixture::write_slices(src, v, spec);
  Receiver rx(root, {"SCANNER"});
  const Program r = run(rx.storescu("SCANNER", "+sd " + src.string()));
  ASSERT_EQ(r.status, 0) << r.output;

  const auto files = stored_files(root);
  ASSERT_EQ(files.size(), 3u);
  const std::string study = study_folder_name(spec.study_uid);
  const std::string series = "ct-" + sha256_of_bytes(spec.series_uid).substr(0, 16);
  for (const auto& f : files) {
    EXPECT_EQ(f.rfind(study + "/" + series + "/", 0), 0u) << f;
    for (const char* secret : {"DOE", "JANE", "PID", "12345", "19510317", "20240115", "Example", spec.study_uid.c_str(), spec.series_uid.c_str()})
      EXPECT_EQ(f.find(secret), std::string::npos) << f << " carries " << secret;
    EXPECT_EQ(fs::path(f).extension(), ".dcm");
  }
  EXPECT_EQ(incoming_files(root), 0u) << "no temporary file left behind";

  // The stored series reads back voxel for voxel.
  const DicomVolume back = read_dicom_series(root / study / series);
  ASSERT_EQ(back.volume.data.size(), v.data.size());
  for (std::size_t n = 0; n < v.data.size(); ++n) ASSERT_FLOAT_EQ(back.volume.data[n], v.data[n]) << n;
  EXPECT_EQ(back.series_uid, spec.series_uid);

  const auto reports = rx.reports(1);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_FALSE(reports[0].refused);
  EXPECT_EQ(reports[0].calling_ae, "SCANNER");
  EXPECT_EQ(reports[0].address, "127.0.0.1");
  ASSERT_EQ(reports[0].series.size(), 1u);
  EXPECT_EQ(reports[0].series[0].objects, 3);
  EXPECT_EQ(reports[0].series[0].replaced, 0);
  EXPECT_EQ(reports[0].series[0].modality, "CT");
  EXPECT_EQ(reports[0].series[0].study_folder, study);
  EXPECT_EQ(reports[0].objects_refused, 0);

  // Sent again: the same three files, replaced, not duplicated.
  ASSERT_EQ(run(rx.storescu("SCANNER", "+sd " + src.string())).status, 0);
  EXPECT_EQ(stored_files(root), files);
  const auto again = rx.reports(2);
  ASSERT_EQ(again.size(), 2u);
  ASSERT_EQ(again[1].series.size(), 1u);
  EXPECT_EQ(again[1].series[0].replaced, 3);
}

TEST(DicomStoreReceiver, RefusesCallingAeTitlesOffTheWhitelistAndAWrongCalledTitle) {
  REQUIRE_STORESCU();
  const fs::path src = fixture::fresh_dir("rx_src_ae");
  const fs::path root = fixture::fresh_dir("rx_root_ae");
  fixture::write_slices(src, small_ct(), {});
  Receiver rx(root, {"SCANNER", "PACS@127.0.0.2"});
  const Program intruder = run(rx.storescu("INTRUDER", "+sd " + src.string()));
  EXPECT_NE(intruder.status, 0) << intruder.output;
  EXPECT_NE(intruder.output.find("Calling AE Title Not Recognized"), std::string::npos) << intruder.output;
  // PACS is allowed only from 127.0.0.2; storescu connects from 127.0.0.1.
  EXPECT_NE(run(rx.storescu("PACS", "+sd " + src.string())).status, 0);
  // The right calling title, but calling another AE than this receiver.
  const Program wrong_called = run(rx.storescu("SCANNER", "+sd " + src.string(), "OTHERAE"));
  EXPECT_NE(wrong_called.status, 0) << wrong_called.output;
  EXPECT_TRUE(stored_files(root).empty());

  const auto reports = rx.reports(3);
  ASSERT_EQ(reports.size(), 3u);
  for (const auto& r : reports) EXPECT_TRUE(r.refused);
  EXPECT_EQ(reports[0].calling_ae, "INTRUDER");
  EXPECT_NE(reports[0].refusal.find("not on the whitelist"), std::string::npos) << reports[0].refusal;
  EXPECT_EQ(reports[1].calling_ae, "PACS");
  EXPECT_NE(reports[2].refusal.find("called AE title 'OTHERAE'"), std::string::npos) << reports[2].refusal;

  // C-ECHO from an allowed AE is answered.
  const Program echo = run("echoscu -aet SCANNER -aec SIRTKIT 127.0.0.1 " + std::to_string(rx.port()));
  EXPECT_EQ(echo.status, 0) << echo.output;
  const auto with_echo = rx.reports(4);
  ASSERT_EQ(with_echo.size(), 4u);
  EXPECT_FALSE(with_echo[3].refused);
  EXPECT_EQ(with_echo[3].echoes, 1);
}

TEST(DicomStoreReceiver, AnEmptyWhitelistRefusesEveryone) {
  REQUIRE_STORESCU();
  const fs::path root = fixture::fresh_dir("rx_root_empty");
  Receiver rx(root, {});
  EXPECT_NE(run("echoscu -aet SCANNER -aec SIRTKIT 127.0.0.1 " + std::to_string(rx.port())).status, 0);
  const auto reports = rx.reports(1);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_NE(reports[0].refusal.find("--dicom-allow is empty"), std::string::npos) << reports[0].refusal;
}

TEST(DicomStoreReceiver, AHostileObjectIsRefusedWithAFailureStatusAndNothingKeptWhileTheNextIsStored) {
  REQUIRE_STORESCU();
  const fs::path src = fixture::fresh_dir("rx_src_hostile");
  const fs::path root = fixture::fresh_dir("rx_root_hostile");
  // 64 nested sequences: DCMTK (storescu) reads and sends it; the guard allows 32.
  hostile::deep_nesting(src / "a_deep.dcm", 64);
  const fs::path good = hostile::ct_slice(src, "b_good.dcm");
  Receiver rx(root, {"SCANNER"});
  const Program r = run(rx.storescu("SCANNER", "-v " + (src / "a_deep.dcm").string() + " " + good.string()));
  // storescu -v prints each response: the hostile object's status, then the good one's.
  const auto refused_at = r.output.find("Received Store Response (Error: CannotUnderstand)");
  EXPECT_NE(refused_at, std::string::npos) << r.output;
  EXPECT_NE(r.output.find("Received Store Response (Success)", refused_at), std::string::npos) << r.output;

  const auto files = stored_files(root);
  ASSERT_EQ(files.size(), 1u) << "only the good object is kept";
  EXPECT_EQ(incoming_files(root), 0u) << "the refused object's temporary file is removed";
  const auto reports = rx.reports(1);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].objects_refused, 1);
  ASSERT_EQ(reports[0].refusal_reasons.size(), 1u);
  EXPECT_NE(reports[0].refusal_reasons[0].find("at most 32 nested sequences"), std::string::npos) << reports[0].refusal_reasons[0];
  ASSERT_EQ(reports[0].series.size(), 1u);
  EXPECT_EQ(reports[0].series[0].objects, 1);
}

// A sender keeping its association open (a long transfer, a slow PACS) must
// not hold up another: with one association at a time, the second sender's
// A-ASSOCIATE-RQ would wait unanswered past its 3 s ACSE timeout.
TEST(DicomStoreReceiver, AnOpenAssociationDoesNotHoldUpAnotherSender) {
  REQUIRE_STORESCU();
  const fs::path src = fixture::fresh_dir("rx_concurrent_src");
  const fs::path root = fixture::fresh_dir("rx_concurrent_root");
  fixture::write_slices(src, small_ct(), fixture::SeriesSpec{});
  Receiver rx(root, {"SCANNER", "HOLDER"});

  DcmSCU holder;
  holder.setAETitle("HOLDER");
  holder.setPeerAETitle("SIRTKIT");
  holder.setPeerHostName("127.0.0.1");
  holder.setPeerPort(static_cast<Uint16>(rx.port()));
  OFList<OFString> ts;
  ts.push_back(UID_LittleEndianExplicitTransferSyntax);
  holder.addPresentationContext(UID_VerificationSOPClass, ts);
  ASSERT_TRUE(holder.initNetwork().good());
  const OFCondition negotiated = holder.negotiateAssociation();
  ASSERT_TRUE(negotiated.good()) << negotiated.text();
  ASSERT_TRUE(holder.sendECHORequest(0).good());

  const auto t0 = std::chrono::steady_clock::now();
  const Program other = run("storescu -ta 3 -to 3 -nh -aet SCANNER -aec SIRTKIT 127.0.0.1 " + std::to_string(rx.port()) + " +sd " + src.string());
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(other.status, 0) << other.output;
  EXPECT_LT(s, 3.0);
  EXPECT_TRUE(holder.sendECHORequest(0).good()) << "the first association is still served";
  EXPECT_TRUE(holder.releaseAssociation().good());

  const auto reports = rx.reports(2);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].calling_ae, "SCANNER") << "the second sender finished first";
  ASSERT_EQ(reports[0].series.size(), 1u);
  EXPECT_EQ(reports[0].series[0].objects, 3);
  EXPECT_EQ(reports[1].calling_ae, "HOLDER");
  EXPECT_EQ(reports[1].echoes, 2);
}

TEST(DicomStoreReceiver, StopsWithinAFewSecondsAndFreesThePort) {
  REQUIRE_STORESCU();
  const fs::path root = fixture::fresh_dir("rx_root_stop");
  auto rx = std::make_unique<Receiver>(root, std::vector<std::string>{"SCANNER"});
  const int port = rx->port();
  const auto t0 = std::chrono::steady_clock::now();
  rx->receiver().stop();
  const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(s, 3.0);
  EXPECT_NE(run("echoscu -to 2 -aet SCANNER -aec SIRTKIT 127.0.0.1 " + std::to_string(port)).status, 0) << "nobody listens after stop()";
}

TEST(DicomStoreReceiver, RefusesABadConfiguration) {
  const fs::path root = fixture::fresh_dir("rx_root_conf");
  const auto make = [&](const std::string& ae, const std::vector<std::string>& allowed, int port) {
    DicomReceiverConfig c;
    c.data_root = root;
    c.ae_title = ae;
    c.allowed = allowed;
    c.port = port;
    DicomStoreReceiver r(c, {});
  };
  EXPECT_THROW(make("A_TITLE_LONGER_THAN_16", {}, 11112), Error);
  EXPECT_THROW(make("SIRTKIT", {"BAD\\AE"}, 11112), Error);
  EXPECT_THROW(make("SIRTKIT", {"PACS@host.example"}, 11112), Error);
  EXPECT_THROW(make("SIRTKIT", {}, 0), Error);
  EXPECT_NO_THROW(make("SIRTKIT", {"PACS@10.1.2.3", "CT01"}, 11112));
  EXPECT_NO_THROW(make("SIRTKIT", {"PACS@10.1.2.3=Rennes", "CT01=CHU-Lyon"}, 11112));
  EXPECT_THROW(make("SIRTKIT", {"PACS="}, 11112), Error);
  EXPECT_THROW(make("SIRTKIT", {"PACS=../x"}, 11112), Error);
  EXPECT_THROW(make("SIRTKIT", {"PACS@=Rennes"}, 11112), Error);
}

TEST(DicomStoreReceiver, AWhitelistEntryNamesItsSenderAddressAndSite) {
  const AllowedSender a = parse_allowed_sender("PACS@10.1.2.3=Rennes");
  EXPECT_EQ(a.ae_title, "PACS");
  EXPECT_EQ(a.address, "10.1.2.3");
  EXPECT_EQ(a.site, "Rennes");
  const AllowedSender b = parse_allowed_sender("CT01=Lyon");
  EXPECT_EQ(b.ae_title, "CT01");
  EXPECT_EQ(b.address, "");
  EXPECT_EQ(b.site, "Lyon");
  const AllowedSender c = parse_allowed_sender("CT02");
  EXPECT_EQ(c.site, "");
  try {
    parse_allowed_sender("CT02=a/b");
    ADD_FAILURE() << "a site code with a slash must be refused";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--dicom-allow"), std::string::npos) << e.what();
  }
}

// An AE whose entry names a site files its studies under that site (issue 14: site scoping).
TEST(DicomStoreReceiver, StudiesFromASitesSenderAreFiledUnderThatSite) {
  REQUIRE_STORESCU();
  const fs::path src = fixture::fresh_dir("rx_site_src");
  const fs::path root = fixture::fresh_dir("rx_site_root");
  fixture::SeriesSpec spec;
  fixture::write_slices(src, small_ct(), spec);
  Receiver rx(root, {"SCANNER=Rennes", "OTHER"});
  ASSERT_EQ(run(rx.storescu("SCANNER", "+sd " + src.string())).status, 0);
  ASSERT_EQ(run(rx.storescu("OTHER", "+sd " + src.string())).status, 0);
  const std::string rennes = study_folder_name(spec.study_uid, "Rennes"), none = study_folder_name(spec.study_uid);
  EXPECT_EQ(study_site(root / rennes), "Rennes");
  EXPECT_EQ(study_site(root / none), "");
  const auto files = stored_files(root);
  ASSERT_EQ(files.size(), 6u);
  EXPECT_EQ(std::count_if(files.begin(), files.end(), [&](const std::string& f) { return f.rfind(rennes + "/", 0) == 0; }), 3);
  const auto reports = rx.reports(2);
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0].site, "Rennes");
  ASSERT_EQ(reports[0].series.size(), 1u);
  EXPECT_EQ(reports[0].series[0].study_folder, rennes);
  EXPECT_EQ(reports[1].site, "");
}

}  // namespace sirtkit::io
