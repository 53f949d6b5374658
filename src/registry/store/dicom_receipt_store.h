#pragma once
// Studies received by `sirtkit serve` (migration 9; docs/server.md "Studies
// from PACS"): one append-only, audited row per stored series, refused
// association or batch of refused objects. Folder names are hashes of UIDs;
// no row holds patient data. Every function works inside the caller's transaction.

#include <optional>
#include <string>
#include <vector>

#include "registry/store/store.h"

namespace sirtkit::registry {

struct DicomReceipt {
  long long id = 0;
  std::string received_at;  // ISO 8601 UTC
  std::string channel;      // c-store | stow-rs
  std::string sender;       // calling AE title, or the user of a STOW-RS request
  std::string address;      // peer IP
  std::string outcome;      // stored | objects_refused | association_refused
  std::string study_folder, series_folder, modality;
  long long objects = 0;    // stored, or refused
  long long replaced = 0;   // of the stored, how many replaced an object already there
  std::string detail;       // why refused (no patient data)
  std::string site;         // registry site code the study is filed under, "" for none (migration 10)
};

long long insert_dicom_receipt(Store& store, const DicomReceipt& receipt);
// The newest `limit` receipts, newest first.
std::vector<DicomReceipt> recent_dicom_receipts(Store& store, long long limit);

}  // namespace sirtkit::registry
