#include "registry/store/dicom_receipt_store.h"

namespace sirtkit::registry {
namespace {

Value or_null(const std::string& s) { return s.empty() ? Value() : Value(s); }
std::string text(const Value& v) { return v ? *v : std::string(); }
long long to_ll(const Value& v) { return v ? std::stoll(*v) : 0; }

}  // namespace

long long insert_dicom_receipt(Store& store, const DicomReceipt& r) {
  return store.insert_returning_id(
      "INSERT INTO dicom_receipts (received_at, channel, sender, address, outcome, study_folder, series_folder, modality, objects, replaced, detail, site) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.received_at, r.channel, r.sender, or_null(r.address), r.outcome, or_null(r.study_folder), or_null(r.series_folder),
       or_null(r.modality), std::to_string(r.objects), std::to_string(r.replaced), or_null(r.detail), or_null(r.site)});
}

std::vector<DicomReceipt> recent_dicom_receipts(Store& store, long long limit) {
  const ResultSet rs = store.query(
      "SELECT id, received_at, channel, sender, address, outcome, study_folder, series_folder, modality, objects, replaced, detail, site "
      "FROM dicom_receipts ORDER BY id DESC LIMIT ?",
      {std::to_string(limit)});
  std::vector<DicomReceipt> out;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    DicomReceipt r;
    r.id = to_ll(rs.at(i, "id"));
    r.received_at = text(rs.at(i, "received_at"));
    r.channel = text(rs.at(i, "channel"));
    r.sender = text(rs.at(i, "sender"));
    r.address = text(rs.at(i, "address"));
    r.outcome = text(rs.at(i, "outcome"));
    r.study_folder = text(rs.at(i, "study_folder"));
    r.series_folder = text(rs.at(i, "series_folder"));
    r.modality = text(rs.at(i, "modality"));
    r.objects = to_ll(rs.at(i, "objects"));
    r.replaced = to_ll(rs.at(i, "replaced"));
    r.detail = text(rs.at(i, "detail"));
    r.site = text(rs.at(i, "site"));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace sirtkit::registry
