#pragma once
// The DICOM C-STORE receiver of `sirtkit serve --dicom-port` (DCMTK dcmnet,
// DcmSCP; docs/server.md "Studies from PACS").
//
// Accepts associations only from calling AE titles on the whitelist (an entry
// "AE" or "AE@address": then also only from that IP address), called with
// this receiver's own AE title; an empty whitelist refuses every association.
// Negotiates Verification (C-ECHO) and the storage SOP classes and transfer
// syntaxes of io/dicom_network/dicom_instance_store.h. Each C-STORE dataset is received as
// bytes straight into a temporary file (DCMTK does not parse it on the way:
// its parser is recursive, and a hostile nesting would overflow the stack),
// then checked by the guarded reader and moved into place
// (store_received_instance); a refused object is answered with a failure
// status and an Error Comment, and nothing of it is kept.
//
// Associations are accepted on one thread and each runs on a worker thread of
// its own, up to eight at once, so a long transfer
// from one sender does not hold up another. stop() returns within about a
// second when idle, otherwise after the running associations (each bounded by
// the DIMSE timeout).

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace sirtkit::io {

struct DicomReceiverConfig {
  std::filesystem::path data_root;  // where studies land (must exist)
  int port = 11112;                 // TCP port (all interfaces: DCMTK binds INADDR_ANY)
  std::string ae_title = "SIRTKIT";
  std::vector<std::string> allowed;  // "AE[@IPv4 address][=SITE]" (parse_allowed_sender); empty: refuse all
  int acse_timeout_s = 30;
  int dimse_timeout_s = 60;  // a silent peer is dropped after this
};

// What one association did, for the audit trail: who, what, how many. No patient data.
struct ReceivedSeries {
  std::string study_folder, series_folder, modality;
  int objects = 0;   // stored (replacements included)
  int replaced = 0;  // of which replaced an object already there
};
struct AssociationReport {
  std::string calling_ae;
  std::string site;     // the site its studies are filed under (its whitelist entry's), "" for none
  std::string address;  // peer IP
  bool refused = false;  // the association itself (AE title or address not allowed)
  std::string refusal;   // why (refused association)
  std::vector<ReceivedSeries> series;
  int objects_refused = 0;
  std::vector<std::string> refusal_reasons;  // one per refused object (at most 20 kept)
  int echoes = 0;
};

// One whitelist entry: "AE" (from any address) or "AE@IPv4" (only from that
// address), either followed by "=SITE": the registry site code its studies
// are filed under (io/dicom_network/dicom_instance_store.h), seen only by that site's users.
struct AllowedSender {
  std::string ae_title;
  std::string address;  // "" = any
  std::string site;     // "" = none: every site sees its studies
};
// Error(bad_input) naming --dicom-allow and the entry when it is not of that form.
AllowedSender parse_allowed_sender(const std::string& entry);

// Checks an AE title (PS3.5 Table 6.2-1: 1-16 characters, no backslash or
// control characters, not all spaces); throws Error(bad_input) naming `field`.
void check_ae_title(const std::string& ae, const std::string& field);

class DicomStoreReceiver {
 public:
  using Listener = std::function<void(const AssociationReport&)>;
  // Checks the configuration (AE titles, data root): Error(bad_input/io).
  DicomStoreReceiver(DicomReceiverConfig config, Listener listener);
  ~DicomStoreReceiver();
  DicomStoreReceiver(const DicomStoreReceiver&) = delete;
  DicomStoreReceiver& operator=(const DicomStoreReceiver&) = delete;

  // Opens the port (Error io when it cannot) and starts accepting.
  void start();
  // Stops accepting, waits for the running associations; idempotent.
  void stop();
  const DicomReceiverConfig& config() const { return config_; }

 private:
  class Acceptor;
  DicomReceiverConfig config_;
  Listener listener_;
  std::unique_ptr<Acceptor> acceptor_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
};

}  // namespace sirtkit::io
