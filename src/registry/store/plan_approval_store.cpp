#include "registry/store/plan_approval_store.h"

#include <openssl/evp.h>

#include "core/error.h"

namespace sirtkit::registry {
namespace {

long long to_ll(const Value& v) { return v ? std::stoll(*v) : 0; }
std::string text(const Value& v) { return v ? *v : std::string(); }

// RFC 4648 base64 through OpenSSL: the PDF's bytes in a TEXT column, the same
// on SQLite and PostgreSQL.
std::string base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3), '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string unbase64(const std::string& text, const std::string& where) {
  if (text.size() % 4 != 0) throw Error(ErrorCategory::internal, where + ": not base64");
  std::string out(3 * text.size() / 4, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) throw Error(ErrorCategory::internal, where + ": not base64");
  // EVP_DecodeBlock counts the padding as zero bytes.
  std::size_t size = static_cast<std::size_t>(n);
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) --size;
  out.resize(size);
  return out;
}

const char* approval_select =
    "SELECT id, study_key, folder, plan_file, version, patient_id, treatment_id, meaning, signed_by, signed_at, activity_gbq, "
    "summary, inputs, plan_sha256, report_sha256 FROM plan_approvals ";

std::vector<StoredPlanApproval> approvals_from(const ResultSet& r) {
  std::vector<StoredPlanApproval> out;
  for (std::size_t i = 0; i < r.size(); ++i) {
    StoredPlanApproval a;
    a.id = to_ll(r.at(i, "id"));
    a.study_key = text(r.at(i, "study_key"));
    a.folder = text(r.at(i, "folder"));
    a.plan_file = text(r.at(i, "plan_file"));
    a.version = to_ll(r.at(i, "version"));
    a.patient_id = to_ll(r.at(i, "patient_id"));
    a.treatment_id = to_ll(r.at(i, "treatment_id"));
    a.meaning = text(r.at(i, "meaning"));
    a.signed_by = text(r.at(i, "signed_by"));
    a.signed_at = text(r.at(i, "signed_at"));
    a.activity_gbq = text(r.at(i, "activity_gbq"));
    a.summary = text(r.at(i, "summary"));
    a.inputs = text(r.at(i, "inputs"));
    a.plan_sha256 = text(r.at(i, "plan_sha256"));
    a.report_sha256 = text(r.at(i, "report_sha256"));
    out.push_back(std::move(a));
  }
  return out;
}

}  // namespace

long long next_plan_approval_version(Store& store, const std::string& study_key) {
  return to_ll(store.scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM plan_approvals WHERE study_key = ?", {study_key}));
}

long long insert_plan_approval(Store& store, StoredPlanApproval& a, const PlanApprovalDocuments& d) {
  if (a.version != next_plan_approval_version(store, a.study_key))
    throw Error(ErrorCategory::internal, "plan approval version " + std::to_string(a.version) + " is not the next one");
  a.id = store.insert_returning_id(
      "INSERT INTO plan_approvals (study_key, folder, plan_file, version, patient_id, treatment_id, meaning, signed_by, signed_at, "
      "activity_gbq, summary, inputs, plan_sha256, report_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {a.study_key, a.folder, a.plan_file, std::to_string(a.version), std::to_string(a.patient_id), std::to_string(a.treatment_id),
       a.meaning, a.signed_by, a.signed_at, a.activity_gbq, a.summary, a.inputs, a.plan_sha256, a.report_sha256});
  store.execute("INSERT INTO plan_approval_documents (approval_id, plan_json, report_html, report_pdf_base64) VALUES (?, ?, ?, ?)",
                {std::to_string(a.id), d.plan_json, d.report_html, base64(d.report_pdf)});
  return a.id;
}

std::vector<StoredPlanApproval> plan_approvals(Store& store, const std::string& study_key) {
  return approvals_from(store.query(std::string(approval_select) + "WHERE study_key = ? ORDER BY version", {study_key}));
}

std::optional<StoredPlanApproval> plan_approval(Store& store, const std::string& study_key, long long version) {
  auto r = approvals_from(
      store.query(std::string(approval_select) + "WHERE study_key = ? AND version = ?", {study_key, std::to_string(version)}));
  if (r.empty()) return std::nullopt;
  return r.front();
}

PlanApprovalDocuments plan_approval_documents(Store& store, long long approval_id) {
  const ResultSet r = store.query("SELECT plan_json, report_html, report_pdf_base64 FROM plan_approval_documents WHERE approval_id = ?",
                                  {std::to_string(approval_id)});
  if (r.empty()) throw Error(ErrorCategory::internal, "plan approval " + std::to_string(approval_id) + " has no documents");
  return {text(r.at(0, "plan_json")), text(r.at(0, "report_html")),
          unbase64(text(r.at(0, "report_pdf_base64")), "plan_approval_documents " + std::to_string(approval_id))};
}

}  // namespace sirtkit::registry
