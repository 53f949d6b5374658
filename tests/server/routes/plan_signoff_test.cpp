// Sign-off of a plan in the workspace (issue 14 item 3) over HTTP, on SQLite
// and on a real PostgreSQL server: a physicist approves the demo plan with the
// password re-entered; the approval is version 1 with the hashes of its
// documents (checked against the bytes served), its plan JSON carries the
// numbers of the what-if at the same activity and the signature, the PDF names
// the signer, the registry patient's treatment record holds the planned doses
// exactly, and the audit trail has who and why. A later approval is version 2
// and edits the same treatment; version 1 stays as signed. Wrong password,
// lockout, wrong role, another site, an undeliverable plan and another patient
// are refused with nothing written; the tables refuse UPDATE and DELETE.

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/error.h"
#include "io/file_hash.h"
#include "pipelines/planning/plan_workspace.h"
#include "../server_fixture.h"

namespace sirtkit::server {
namespace {

namespace fs = std::filesystem;
using testing::body_of;
using testing::json;
using testing::TestServer;

const std::string password = "correct horse battery";

fs::path base() { return fs::temp_directory_path() / ("sirtkit_plan_signoff_" + std::to_string(::getpid())); }
fs::path data_root() { return base() / "data"; }

std::string pdf_text(const std::string& pdf_bytes) {
  const fs::path f = base() / "report.pdf";
  std::ofstream(f, std::ios::binary) << pdf_bytes;
  std::string out;
  FILE* p = ::popen(("pdftotext '" + f.string() + "' - 2>&1").c_str(), "r");
  if (!p) return out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
  ::pclose(p);
  return out;
}

class PlanSignoff : public ::testing::TestWithParam<registry::Dialect> {
 protected:
  static void SetUpTestSuite() {
    fs::remove_all(base());
    ASSERT_TRUE(pipelines::write_demo_study(data_root()));
  }
  static void TearDownTestSuite() { fs::remove_all(base()); }

  void SetUp() override {
    server_ = std::make_unique<TestServer>(GetParam(), "", "", "", data_root().string());
    server_->add_user("phys", Role::physicist, {"Rennes"}, password);
    server_->add_user("inv", Role::investigator, {"Rennes"}, password);
    phys_ = server_->login("phys", password);
    ASSERT_EQ(phys_.status, 200);
    const json list = body_of(server_->request("GET", "/api/plans", phys_));
    for (const auto& s : list["studies"])
      if (s["folder"] == "demo-patient" && s["plan_file"] == "plan.toml") id_ = s["id"];
    ASSERT_EQ(id_.size(), 16u) << list.dump();
    const json study = body_of(server_->request("GET", "/api/plans/" + id_, phys_));
    optimum_ = study["optimum_gbq"][0];
    EXPECT_EQ(study["may_approve"], true);
    // A patient of the physicist's site, and one of another site.
    const json mine = body_of(server_->request("GET", "/api/patients?limit=5", phys_));
    ASSERT_FALSE(mine["patients"].empty());
    ASSERT_GE(mine["patients"].size(), 2u);
    patient_ = mine["patients"][0]["id"];
    second_patient_ = mine["patients"][1]["id"];
    ASSERT_EQ(mine["patients"][0]["site"], "Rennes");
    // The demo cohort is all at Rennes: a second site and a patient there.
    {
      auto lease = server_->http().state().pool().acquire();
      registry::Transaction tx(*lease, "test");
      lease->execute("INSERT INTO sites (study_id, code) SELECT study_id, 'Lyon' FROM sites WHERE code = 'Rennes'");
      tx.commit();
    }
    server_->add_user("all", Role::admin, {}, password);
    auto made = server_->request("POST", "/api/patients", server_->login("all", password), {{"site", "Lyon"}, {"index_date", "2024-01-10"}});
    ASSERT_EQ(made->status, 201) << made->body;
    other_site_patient_ = body_of(made)["id"];
  }

  httplib::Result approve(const testing::Login& who, double gbq, long long patient, const std::string& pw, long long day = 3) {
    return server_->request("POST", "/api/plans/" + id_ + "/approve", who,
                            {{"password", pw}, {"activity_gbq", {gbq}}, {"patient_id", patient}, {"treatment_day", day}});
  }

  std::string scalar(const std::string& sql, const registry::Params& p = {}) {
    auto lease = server_->http().state().pool().acquire();
    return lease->scalar(sql, p).value_or("NULL");
  }
  long long count(const std::string& table) { return std::stoll(scalar("SELECT COUNT(*) FROM " + table)); }

  json treatment(long long id) {
    const json rec = body_of(server_->request("GET", "/api/patients/" + std::to_string(patient_), phys_));
    for (const auto& t : rec["treatments"])
      if (t["id"] == id) return t;
    ADD_FAILURE() << "no treatment " << id << " in " << rec["treatments"].dump();
    return {};
  }

  std::string document(long long version, const std::string& name) {
    auto r = server_->request("GET", "/api/plans/" + id_ + "/approvals/" + std::to_string(version) + "/" + name, phys_);
    EXPECT_TRUE(r);
    if (!r) return "";
    EXPECT_EQ(r->status, 200) << r->body;
    EXPECT_NE(r->get_header_value("Content-Disposition").find("attachment"), std::string::npos);
    return r->body;
  }

  std::unique_ptr<TestServer> server_;
  testing::Login phys_;
  std::string id_;
  double optimum_ = 0;
  long long patient_ = 0, second_patient_ = 0, other_site_patient_ = 0;
};

INSTANTIATE_TEST_SUITE_P(Stores, PlanSignoff, ::testing::Values(registry::Dialect::sqlite, registry::Dialect::postgres),
                         registry::testing::store_name);

void same(const json& stored, double expected) {
  ASSERT_TRUE(stored.is_number()) << stored.dump();
  EXPECT_NEAR(stored.get<double>(), expected, 1e-14 * std::abs(expected));
}

double mean_of(const json& plan, const std::string& voi) {
  for (const auto& v : plan["vois"])
    if (v["name"] == voi) return v["mean_gy"];
  ADD_FAILURE() << "no VOI " << voi;
  return -1;
}

TEST_P(PlanSignoff, ApprovalIsAVersionWithHashedDocumentsATreatmentRecordAndAnAuditEntry) {
  const long long treatments_before = count("treatments");
  auto r = approve(phys_, optimum_, patient_, password, 3);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const json a = body_of(r)["approval"];
  EXPECT_EQ(a["version"], 1);
  EXPECT_EQ(a["meaning"], "approved");
  EXPECT_EQ(a["signed_by"], "phys");
  EXPECT_EQ(a["patient_id"], patient_);
  EXPECT_EQ(a["activity_gbq"], json::array({optimum_}));

  // The documents are the bytes whose hashes were recorded.
  const std::string plan_text = document(1, "plan.json"), pdf = document(1, "report.pdf"), html = document(1, "report.html");
  EXPECT_EQ(io::sha256_of_bytes(plan_text), a["plan_sha256"]);
  EXPECT_EQ(io::sha256_of_bytes(pdf), a["report_sha256"]);
  const json plan = json::parse(plan_text);
  EXPECT_EQ(plan["signature"]["signed_by"], "phys");
  EXPECT_EQ(plan["signature"]["role"], "physicist");
  EXPECT_EQ(plan["signature"]["meaning"], "approved");
  EXPECT_EQ(plan["signature"]["version"], 1);
  EXPECT_EQ(plan["inputs"], a["inputs"]);
  EXPECT_GE(plan["inputs"].size(), 4u) << plan["inputs"].dump();  // plan file, CT, SPECT, labels, masks
  // The signed numbers are the what-if's at the same activity.
  const json what_if = body_of(server_->request("POST", "/api/plans/" + id_ + "/what-if", phys_, {{"activity_gbq", {optimum_}}, {"answer", "plan"}}))["plan"];
  for (const char* key : {"vois", "goals", "constraints", "lung", "injections", "status", "inputs"}) EXPECT_EQ(plan[key], what_if[key]) << key;
  // The PDF names the signer, the meaning, the version and the plan hash.
  ASSERT_EQ(pdf.rfind("%PDF-", 0), 0u);
  std::string text = pdf_text(pdf);
  std::erase_if(text, [](char c) { return c == ' ' || c == '\n' || c == '\f'; });
  for (const std::string& s : {std::string("Electronicsignature"), std::string("phys(physicist)"), std::string("approved"),
                               a["plan_sha256"].get<std::string>()})
    EXPECT_NE(text.find(s), std::string::npos) << s;
  EXPECT_NE(html.find("Electronic signature"), std::string::npos);

  // The registry treatment: the planned dosimetry, to the registry's precision
  // (written with 17 significant digits; SQLite 3.40 reads REAL back as text with 15).
  EXPECT_EQ(count("treatments"), treatments_before + 1);
  const json t = treatment(a["treatment_id"]);
  EXPECT_EQ(t["kind"], "sirt");
  EXPECT_EQ(t["start_day"], 3);
  EXPECT_EQ(t["device"], "glass");
  same(t["planned_activity_gbq"], optimum_);
  same(t["planned_tumour_dose_gy"], mean_of(plan, "index tumour"));
  same(t["planned_normal_liver_dose_gy"], mean_of(plan, "perfused normal liver: right lobar"));
  same(t["planned_lung_dose_gy"], plan["lung"]["dose_gy"]);
  same(t["lung_shunt_fraction_pct"], 100 * plan["quantification"]["lung_shunt_fraction"].get<double>());
  EXPECT_EQ(a["summary"]["planned_tumour_dose_gy"], mean_of(plan, "index tumour"));

  // The audit trail: who signed, and why the treatment appeared.
  EXPECT_EQ(scalar("SELECT actor FROM audit_log WHERE table_name = 'plan_approvals' AND action = 'INSERT'"), "phys");
  EXPECT_EQ(scalar("SELECT reason FROM audit_log WHERE table_name = 'treatments' AND row_id = ?", {a["treatment_id"].dump()}),
            "plan demo-patient/plan.toml approved (version 1)");
  const json listed = body_of(server_->request("GET", "/api/plans/" + id_ + "/approvals", phys_));
  ASSERT_EQ(listed["approvals"].size(), 1u);
  EXPECT_EQ(listed["approvals"][0], a);
}

TEST_P(PlanSignoff, ALaterApprovalIsANewVersionEditingTheSameTreatmentAndTheFirstStaysAsSigned) {
  const json v1 = body_of(approve(phys_, optimum_, patient_, password))["approval"];
  const std::string v1_plan = document(1, "plan.json");
  const double lower = 0.75 * optimum_;
  auto r = approve(phys_, lower, patient_, password, 5);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const json v2 = body_of(r)["approval"];
  EXPECT_EQ(v2["version"], 2);
  EXPECT_EQ(v2["treatment_id"], v1["treatment_id"]);
  EXPECT_NE(v2["plan_sha256"], v1["plan_sha256"]);
  EXPECT_EQ(document(1, "plan.json"), v1_plan);
  const json t = treatment(v2["treatment_id"]);
  same(t["planned_activity_gbq"], lower);
  EXPECT_EQ(t["start_day"], 5);
  EXPECT_NEAR(t["planned_lung_dose_gy"].get<double>(), 0.75 * v1["summary"]["planned_lung_dose_gy"].get<double>(), 1e-9);
  // 0.75 x the optimum (the optimum aims at 250 Gy) falls short of the index tumour's 205 Gy goal: said in the version.
  EXPECT_EQ(v1["summary"]["goals_met"], true);
  EXPECT_EQ(v2["summary"]["goals_met"], false);
  ASSERT_EQ(v2["summary"]["goals_not_met"].size(), 1u) << v2["summary"].dump();
  EXPECT_LT(v2["summary"]["goals_not_met"][0]["value_gy"].get<double>(), v2["summary"]["goals_not_met"][0]["limit_gy"].get<double>());
  EXPECT_EQ(scalar("SELECT reason FROM audit_log WHERE table_name = 'treatments' AND action = 'UPDATE' AND row_id = ?",
                   {v2["treatment_id"].dump()}),
            "plan demo-patient/plan.toml version 2 approved, replacing version 1");
  // Another patient for the same study: refused, nothing written.
  const long long before = count("plan_approvals");
  auto other = approve(phys_, lower, second_patient_, password);
  ASSERT_TRUE(other);
  EXPECT_EQ(other->status, 409) << other->body;
  EXPECT_EQ(count("plan_approvals"), before);
}

TEST_P(PlanSignoff, WrongPasswordSignsNothingAndCountsTowardTheLockout) {
  const long long approvals = count("plan_approvals"), treatments = count("treatments");
  for (int i = 0; i < 4; ++i) {
    auto r = approve(phys_, optimum_, patient_, "not my password");
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403);
    EXPECT_EQ(body_of(r)["error"], "wrong_password");
    EXPECT_EQ(r->body.find("not my password"), std::string::npos);
  }
  auto fifth = approve(phys_, optimum_, patient_, "not my password");
  EXPECT_EQ(body_of(fifth)["error"], "locked");
  // Locked: even the right password signs nothing, and logging in again is refused.
  EXPECT_EQ(fifth->status, 429);
  auto right = approve(phys_, optimum_, patient_, password);
  EXPECT_EQ(right->status, 429);
  EXPECT_EQ(body_of(right)["error"], "locked");
  EXPECT_EQ(server_->login("phys", password).status, 429);
  EXPECT_EQ(count("plan_approvals"), approvals);
  EXPECT_EQ(count("treatments"), treatments);
  EXPECT_EQ(std::stoll(scalar("SELECT COUNT(*) FROM auth_events WHERE username = 'phys' AND event = 'lockout'")), 1);
}

TEST_P(PlanSignoff, OnlyAPhysicistOfThePatientsSiteApprovesADeliverablePlan) {
  const long long approvals = count("plan_approvals"), treatments = count("treatments");
  const auto inv = server_->login("inv", password);
  EXPECT_EQ(approve(inv, optimum_, patient_, password)->status, 403);
  EXPECT_EQ(approve(server_->login("all", password), optimum_, patient_, password)->status, 403);
  auto elsewhere = approve(phys_, optimum_, other_site_patient_, password);
  EXPECT_EQ(elsewhere->status, 404) << elsewhere->body;
  EXPECT_EQ(body_of(elsewhere)["field"], "patient_id");
  // 2.5 x the optimum breaks the lung limit (30 Gy; about 16 Gy at the optimum): not deliverable, not signable.
  auto broken = approve(phys_, 2.5 * optimum_, patient_, password);
  EXPECT_EQ(broken->status, 422) << broken->body;
  EXPECT_EQ(body_of(broken)["error"], "plan_not_deliverable");
  auto no_day = server_->request("POST", "/api/plans/" + id_ + "/approve", phys_,
                                 {{"password", password}, {"activity_gbq", {optimum_}}, {"patient_id", patient_}});
  EXPECT_EQ(no_day->status, 400);
  EXPECT_EQ(body_of(no_day)["field"], "treatment_day");
  EXPECT_EQ(count("plan_approvals"), approvals);
  EXPECT_EQ(count("treatments"), treatments);
  // No approved version yet: its documents are not found.
  auto none = server_->request("GET", "/api/plans/" + id_ + "/approvals/1/report.pdf", phys_);
  EXPECT_EQ(none->status, 404);
}

TEST_P(PlanSignoff, ApprovedVersionsCannotBeChangedOrDeleted) {
  ASSERT_EQ(approve(phys_, optimum_, patient_, password)->status, 201);
  auto lease = server_->http().state().pool().acquire();
  for (const std::string sql : {"UPDATE plan_approvals SET signed_by = 'someone else'", "DELETE FROM plan_approvals",
                                "UPDATE plan_approval_documents SET plan_json = '{}'", "DELETE FROM plan_approval_documents"})
    EXPECT_THROW(lease->execute(sql), sirtkit::Error) << sql;
  EXPECT_EQ(lease->scalar("SELECT signed_by FROM plan_approvals").value_or(""), "phys");
}

}  // namespace
}  // namespace sirtkit::server
