// STOW-RS (POST /dicomweb/studies) and the received-study listing, against a
// real server on loopback: valid, hostile and malformed uploads, roles, CSRF,
// size limits; what is kept on disk and in the audit trail.
#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <set>

#include "../../io/dicom_fixture.h"
#include "../../io/dicom_hostile.h"
#include "../../io/dicom_push.h"
#include "io/dicom_network/dicom_instance_store.h"
#include "io/file_hash.h"
#include "../server_fixture.h"

namespace sirtkit::server::testing {
namespace {

namespace fs = std::filesystem;
using io::push::incoming_files;
using io::push::stored_files;

const std::string kPassword = "correct horse battery staple 42";
const std::string kBoundary = "sirtkit-test-boundary-7f3a";
const std::string kStowType = "multipart/related; type=\"application/dicom\"; boundary=" + kBoundary;

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string multipart(const std::vector<std::string>& parts, const std::string& part_type = "application/dicom") {
  std::string b;
  for (const auto& p : parts) b += "--" + kBoundary + "\r\nContent-Type: " + part_type + "\r\n\r\n" + p + "\r\n";
  return b + "--" + kBoundary + "--\r\n";
}

std::string uid_of(const fs::path& file, const DcmTagKey& key) {
  DcmFileFormat f;
  f.loadFile(file.c_str());
  OFString s;
  f.getDataset()->findAndGetOFString(key, s);
  return s.c_str();
}

// The values of an attribute in the items of a DICOM JSON sequence.
std::vector<json> item_values(const json& ds, const std::string& seq, const std::string& tag) {
  std::vector<json> out;
  if (!ds.contains(seq)) return out;
  for (const auto& item : ds[seq]["Value"]) out.push_back(item.contains(tag) ? item[tag]["Value"][0] : json());
  return out;
}

// Sends `bytes` on a fresh connection and reads the answer's status line and
// headers (5 s at most).
std::string raw_exchange(int port, const std::string& bytes) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string out;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 && ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size())) {
    char buf[4096];
    ssize_t n = 0;
    // Until the end of the answer's headers (the server may keep the connection open).
    while (out.find("\r\n\r\n") == std::string::npos && (n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

// The newest last_received of a study's series.
json by_kind_last(const json& study) {
  std::string newest;
  for (const auto& s : study["series"]) newest = std::max(newest, s["last_received"].get<std::string>());
  return newest;
}

class Stow : public ::testing::Test {
 protected:
  void SetUp() override {
    // Per test: ctest runs tests in parallel processes.
    const std::string name = ::testing::UnitTest::GetInstance()->current_test_info()->name();
    root_ = io::fixture::fresh_dir("stow_root_" + name);
    src_ = io::fixture::fresh_dir("stow_src_" + name);
    server_ = std::make_unique<TestServer>(registry::Dialect::sqlite, "", "", "", root_.string(),
                                           [](ServerConfig& c) { c.stow_max_bytes = 256 * 1024; });
    server_->add_user("phys", Role::physicist, {"Rennes"}, kPassword);
    server_->add_user("inv", Role::investigator, {"Rennes"}, kPassword);
    phys_ = server_->login("phys", kPassword);
    // Two CT slices of one series (patient DOE^JANE, PID-12345) and a hostile object.
    image::Grid g;
    g.size = {4, 3, 2};
    g.spacing_mm = {1, 1, 2};
    image::Volume<float> v(g, 5.0f);
    spec_.modality = "CT";
    slices_ = io::fixture::write_slices(src_, v, spec_);
    io::hostile::deep_nesting(src_ / "deep.dcm", 64);
  }

  httplib::Result post(const std::string& body, const Login& s, const std::string& type = kStowType, bool csrf = true,
                       const std::string& path = "/dicomweb/studies") {
    httplib::Headers h;
    if (!s.cookie.empty()) h.emplace("Cookie", s.cookie);
    if (csrf && !s.csrf.empty()) h.emplace("X-CSRF-Token", s.csrf);
    return server_->client().Post(path, h, body, type);
  }

  fs::path root_, src_;
  std::unique_ptr<TestServer> server_;
  Login phys_;
  io::fixture::SeriesSpec spec_;
  std::vector<fs::path> slices_;
};

}  // namespace

TEST_F(Stow, StoresValidPartsRefusesAHostileOneAndAnswersDicomJson) {
  const auto r = post(multipart({slurp(slices_[0]), slurp(src_ / "deep.dcm"), slurp(slices_[1])}), phys_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 202) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/dicom+json");
  const json ds = json::parse(r->body);
  const auto stored = item_values(ds, "00081199", "00081155");
  ASSERT_EQ(stored.size(), 2u) << r->body;
  EXPECT_EQ(stored[0], uid_of(slices_[0], DCM_SOPInstanceUID));
  EXPECT_EQ(stored[1], uid_of(slices_[1], DCM_SOPInstanceUID));
  EXPECT_EQ(item_values(ds, "00081199", "00081150")[0], UID_CTImageStorage);
  const auto reasons = item_values(ds, "00081198", "00081197");
  ASSERT_EQ(reasons.size(), 1u);
  EXPECT_EQ(reasons[0], 0xC000);  // Cannot understand
  EXPECT_EQ(item_values(ds, "00081198", "00090010")[0], "SIRTKIT");
  EXPECT_NE(item_values(ds, "00081198", "00091001")[0].get<std::string>().find("at most 32 nested sequences"), std::string::npos) << r->body;

  // On disk: the two slices, byte for byte, under the hashed folders; nothing of the hostile part.
  const std::string dir = io::study_folder_name(spec_.study_uid, "Rennes") + "/ct-" + io::sha256_of_bytes(spec_.series_uid).substr(0, 16);
  const auto files = stored_files(root_);
  ASSERT_EQ(files.size(), 2u);
  for (const auto& f : files) EXPECT_EQ(f.rfind(dir + "/", 0), 0u) << f;
  EXPECT_EQ(io::sha256_of_path(root_ / dir / (io::sha256_of_bytes(stored[0].get<std::string>()).substr(0, 16) + ".dcm")), io::sha256_of_path(slices_[0]));
  EXPECT_EQ(incoming_files(root_), 0u);

  // Audited under the user's name, without patient data.
  const Login admin = server_->login(server_->admin().username, server_->admin().password);
  const json audit = body_of(server_->request("GET", "/api/audit?table=dicom_receipts", admin))["entries"];
  ASSERT_EQ(audit.size(), 2u) << audit.dump();
  std::map<std::string, json> by_outcome;
  for (const auto& e : audit) {
    EXPECT_EQ(e["actor"], "phys");
    by_outcome[e["new_row"]["outcome"]] = e["new_row"];
  }
  EXPECT_EQ(by_outcome["stored"]["objects"], 2);
  EXPECT_EQ(by_outcome["stored"]["channel"], "stow-rs");
  EXPECT_EQ(by_outcome["stored"]["address"], "127.0.0.1");
  EXPECT_EQ(by_outcome["stored"]["site"], "Rennes");
  EXPECT_EQ(by_outcome["objects_refused"]["objects"], 1);
  for (const char* secret : {"DOE", "PID-12345", "19510317", spec_.study_uid.c_str()}) EXPECT_EQ(audit.dump().find(secret), std::string::npos) << secret;
}

TEST_F(Stow, AnswersTwoHundredWhenAllAreStoredAndFourHundredNineWhenNone) {
  auto r = post(multipart({slurp(slices_[0]), slurp(slices_[1])}), phys_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200) << r->body;
  EXPECT_FALSE(json::parse(r->body).contains("00081198"));
  r = post(multipart({slurp(src_ / "deep.dcm")}), phys_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 409) << r->body;
  EXPECT_FALSE(json::parse(r->body).contains("00081199"));
  // Into a named study: an object of another study fails with A900.
  r = post(multipart({slurp(slices_[0])}), phys_, kStowType, true, "/dicomweb/studies/1.2.3.4");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 409) << r->body;
  EXPECT_EQ(item_values(json::parse(r->body), "00081198", "00081197")[0], 0xA900);
  // A part that is not application/dicom fails, naming its media type.
  r = post(multipart({"hello"}, "text/plain"), phys_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 409);
  EXPECT_NE(r->body.find("text/plain"), std::string::npos) << r->body;
  EXPECT_EQ(stored_files(root_).size(), 2u);
  EXPECT_EQ(incoming_files(root_), 0u);
}

TEST_F(Stow, EnforcesRolesCsrfMediaTypeFramingAndTheSizeLimitKeepingNothing) {
  const std::string body = multipart({slurp(slices_[0])});
  const Login inv = server_->login("inv", kPassword);
  auto r = post(body, inv);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(body_of(r)["error"], "role_not_allowed");
  r = post(body, phys_, kStowType, false);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(body_of(r)["error"], "csrf");
  r = post(body, Login{});
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  r = post(body, phys_, "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 415);
  r = post(body, phys_, "multipart/related; boundary=" + kBoundary);  // no type="application/dicom"
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 415);
  // Truncated: no closing delimiter.
  r = post(body.substr(0, body.size() - 40), phys_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(body_of(r)["error"], "bad_multipart");
  // Over the limit (256 KiB in this test): refused, by Content-Length, before anything is stored.
  std::string big = slurp(slices_[0]);
  big += std::string(300 * 1024, '\0');
  r = post(multipart({big}), phys_);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413) << r->body;
  EXPECT_TRUE(stored_files(root_).empty());
  EXPECT_EQ(incoming_files(root_), 0u);
  // The JSON API still refuses bodies over 1 MiB, before reading them: the
  // answer comes although the 2 MiB announced are never sent.
  const std::string head = "POST /api/logout HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: " + phys_.cookie + "\r\nX-CSRF-Token: " + phys_.csrf +
                           "\r\nContent-Type: application/json\r\nContent-Length: 2097152\r\n\r\n";
  const std::string answer = raw_exchange(server_->port(), head);
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  // The session still works after all this.
  EXPECT_EQ(server_->request("GET", "/api/me", phys_)->status, 200);
}

TEST_F(Stow, TheReceivedStudyIsListedWithAPlanTemplateNamingItsSeries) {
  io::fixture::SeriesSpec nm = spec_;
  nm.series_uid = io::fixture::new_uid();
  image::Grid g;
  g.size = {4, 3, 2};
  image::Volume<float> v(g, 3.0f);
  io::fixture::write_nm_tomo(src_ / "nm.dcm", v, nm);
  ASSERT_EQ(post(multipart({slurp(slices_[0]), slurp(slices_[1]), slurp(src_ / "nm.dcm")}), phys_)->status, 200);
  const json list = body_of(server_->request("GET", "/api/dicom/studies", phys_));
  ASSERT_EQ(list["studies"].size(), 1u) << list.dump();
  const json& study = list["studies"][0];
  const std::string folder = io::study_folder_name(spec_.study_uid, "Rennes");
  EXPECT_EQ(study["folder"], folder);
  EXPECT_EQ(study["site"], "Rennes");
  ASSERT_EQ(study["series"].size(), 2u);
  std::map<std::string, json> by_kind;
  for (const auto& s : study["series"]) by_kind[s["kind"]] = s;
  EXPECT_EQ(by_kind["ct"]["objects"], 2);
  EXPECT_EQ(by_kind["nm"]["objects"], 1);
  EXPECT_EQ(by_kind["ct"]["folder"], "ct-" + io::sha256_of_bytes(spec_.series_uid).substr(0, 16));
  EXPECT_TRUE(study["plans"].empty());
  // The time of the newest object: now (UTC), not the file clock's epoch.
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char year[8];
  std::strftime(year, sizeof year, "%Y", &tm);
  EXPECT_EQ(study["last_received"].get<std::string>().substr(0, 4), year) << study.dump();
  EXPECT_EQ(by_kind_last(study), study["last_received"]);

  const auto t = server_->request("GET", "/api/dicom/studies/" + folder + "/plan-template", phys_);
  ASSERT_EQ(t->status, 200);
  EXPECT_NE(t->body.find("ct = \"" + by_kind["ct"]["folder"].get<std::string>() + "\""), std::string::npos) << t->body;
  EXPECT_NE(t->body.find("spect = \"" + by_kind["nm"]["folder"].get<std::string>() + "\""), std::string::npos) << t->body;
  EXPECT_EQ(server_->request("GET", "/api/dicom/studies/study-0000000000000000/plan-template", phys_)->status, 404);
  EXPECT_EQ(server_->request("GET", "/api/dicom/studies/study-NOTHEX/plan-template", phys_)->status, 400);

  // A plan file saved in the study folder makes it a planning study of the workspace.
  std::ofstream(root_ / folder / "plan.toml") << "[patient]\nid = \"X\"\n";
  const json again = body_of(server_->request("GET", "/api/dicom/studies", phys_));
  ASSERT_EQ(again["studies"][0]["plans"].size(), 1u);
  const std::string id = again["studies"][0]["plans"][0]["id"];
  const json plans = body_of(server_->request("GET", "/api/plans", phys_));
  bool listed = false;
  for (const auto& p : plans["studies"]) listed |= p["id"] == id;
  EXPECT_TRUE(listed) << plans.dump();
}

// Site scoping (issue 14): a study is filed under the uploader's site and
// shown to that site's users only; the same study from another site is
// another folder; a study without a site is the whole server's.
TEST_F(Stow, StudiesAreFiledUnderTheUploadersSiteAndShownToThatSiteOnly) {
  {
    auto lease = server_->http().state().pool().acquire();
    registry::Transaction tx(*lease, "test");
    lease->execute("INSERT INTO sites (study_id, code) SELECT study_id, 'Lyon' FROM sites WHERE code = 'Rennes'");
    tx.commit();
  }
  server_->add_user("phys_lyon", Role::physicist, {"Lyon"}, kPassword);
  server_->add_user("phys_both", Role::physicist, {"Rennes", "Lyon"}, kPassword);
  const Login lyon = server_->login("phys_lyon", kPassword);
  const Login both = server_->login("phys_both", kPassword);
  const Login admin = server_->login(server_->admin().username, server_->admin().password);
  const std::string body = multipart({slurp(slices_[0])});
  const auto folders = [&](const Login& who) {
    std::set<std::string> out;
    const auto resp = server_->request("GET", "/api/dicom/studies", who);
    EXPECT_EQ(resp->status, 200) << resp->body;
    const json listed = body_of(resp);  // a name: a range-for over a member of a temporary reads freed memory
    for (const auto& st : listed["studies"]) out.insert(st["folder"].get<std::string>());
    return out;
  };
  const std::string rennes = io::study_folder_name(spec_.study_uid, "Rennes");
  const std::string lyon_folder = io::study_folder_name(spec_.study_uid, "Lyon");
  const std::string no_site = io::study_folder_name(spec_.study_uid);
  ASSERT_NE(rennes, lyon_folder);

  ASSERT_EQ(post(body, phys_)->status, 200);
  EXPECT_EQ(slurp(root_ / rennes / ".site"), "Rennes\n");
  EXPECT_EQ(folders(phys_), std::set<std::string>{rennes});
  EXPECT_TRUE(folders(lyon).empty());
  EXPECT_EQ(server_->request("GET", "/api/dicom/studies/" + rennes + "/plan-template", lyon)->status, 404);
  EXPECT_EQ(server_->request("GET", "/api/dicom/studies/" + rennes + "/plan-template", phys_)->status, 200);

  // The same study sent from Lyon: its own folder, not mixed with Rennes'.
  ASSERT_EQ(post(body, lyon)->status, 200);
  EXPECT_EQ(folders(lyon), std::set<std::string>{lyon_folder});
  EXPECT_EQ(folders(phys_), std::set<std::string>{rennes});
  EXPECT_EQ(stored_files(root_).size(), 2u);

  // A user of two sites names one; another site, or a site not theirs, is refused before anything is read.
  auto r = post(body, both);
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(body_of(r)["field"], "site");
  EXPECT_NE(r->body.find("Lyon"), std::string::npos) << r->body;
  EXPECT_EQ(post(body, both, kStowType, true, "/dicomweb/studies?site=Lyon")->status, 200);
  EXPECT_EQ(folders(both), (std::set<std::string>{rennes, lyon_folder}));
  r = post(body, lyon, kStowType, true, "/dicomweb/studies?site=Rennes");
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(body_of(r)["field"], "site");
  r = post(body, admin, kStowType, true, "/dicomweb/studies?site=Nowhere");
  EXPECT_EQ(r->status, 400) << r->body;

  // A registry site whose code cannot name a folder cannot file studies.
  {
    auto lease = server_->http().state().pool().acquire();
    registry::Transaction tx(*lease, "test");
    lease->execute("INSERT INTO sites (study_id, code) SELECT study_id, 'Saint Etienne' FROM sites WHERE code = 'Rennes'");
    tx.commit();
  }
  r = post(body, admin, kStowType, true, "/dicomweb/studies?site=Saint%20Etienne");
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(body_of(r)["field"], "site");

  // An administrator without ?site= files it under no site: every site sees it.
  ASSERT_EQ(post(body, admin)->status, 200);
  EXPECT_FALSE(fs::exists(root_ / no_site / ".site"));
  EXPECT_EQ(folders(lyon), (std::set<std::string>{lyon_folder, no_site}));
  EXPECT_EQ(folders(admin), (std::set<std::string>{rennes, lyon_folder, no_site}));
  EXPECT_EQ(stored_files(root_).size(), 3u);

  // A planning study in a Rennes folder: Lyon neither lists nor opens it.
  std::ofstream(root_ / rennes / "plan.toml") << "[patient]\nid = \"X\"\n";
  const auto plan_ids = [&](const Login& who) {
    std::set<std::string> out;
    const json plans = body_of(server_->request("GET", "/api/plans", who));
    for (const auto& p : plans["studies"]) out.insert(p["id"].get<std::string>());
    return out;
  };
  const json listed = body_of(server_->request("GET", "/api/dicom/studies", phys_));
  json rennes_study;
  for (const auto& st : listed["studies"])
    if (st["folder"] == rennes) rennes_study = st;
  ASSERT_EQ(rennes_study["plans"].size(), 1u) << listed.dump();
  EXPECT_EQ(rennes_study["site"], "Rennes");
  const std::string id = rennes_study["plans"][0]["id"];
  EXPECT_EQ(plan_ids(phys_).count(id), 1u);
  EXPECT_EQ(plan_ids(lyon).count(id), 0u);
  EXPECT_EQ(server_->request("GET", "/api/plans/" + id, lyon)->status, 404);
  // Rennes opens it (the plan file is incomplete: refused as a plan, not hidden).
  EXPECT_EQ(server_->request("GET", "/api/plans/" + id, phys_)->status, 422);

  // A .site file that holds no site code hides the study from everyone (and says so on stderr).
  std::ofstream(root_ / lyon_folder / ".site", std::ios::trunc) << "../x\n";
  EXPECT_EQ(folders(admin), (std::set<std::string>{rennes, no_site}));
}

}  // namespace sirtkit::server::testing
