#include "io/dicom_network/dicom_store_receiver.h"

#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/scpthrd.h>
#include <signal.h>

#include <algorithm>
#include <list>
#include <cstdio>
#include <mutex>

#include "core/error.h"
#include "core/text.h"
#include "io/dicom_network/dicom_instance_store.h"

namespace sirtkit::io {
namespace fs = std::filesystem;
namespace {

std::string trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\0')) s.pop_back();
  const auto first = s.find_first_not_of(' ');
  return first == std::string::npos ? std::string() : s.substr(first);
}

// A printable copy of a peer's AE title for logs and the audit trail
// (a peer may send any bytes; AE titles are not patient data).
std::string printable(const std::string& s) { return printable_ascii(s); }

constexpr std::size_t kReasonsKept = 20;
constexpr std::size_t kErrorCommentChars = 64;  // Error Comment (0000,0902) is LO: at most 64 characters (PS3.5 6.2)

}  // namespace

void check_ae_title(const std::string& ae, const std::string& field) {
  const std::string t = trim(ae);
  const bool bad_char = std::any_of(ae.begin(), ae.end(), [](unsigned char c) { return c < 0x20 || c >= 0x7F || c == '\\'; });
  if (t.empty() || ae.size() > 16 || bad_char)
    fail_input("serve", field, printable(ae), "an AE title: 1 to 16 printable characters, no backslash, not only spaces (PS3.5 Table 6.2-1)");
}

AllowedSender parse_allowed_sender(const std::string& entry) {
  const auto eq = entry.find('=');
  const std::string sender = entry.substr(0, eq);
  const auto at = sender.find('@');
  AllowedSender a{trim(sender.substr(0, at)), at == std::string::npos ? "" : trim(sender.substr(at + 1)), eq == std::string::npos ? "" : trim(entry.substr(eq + 1))};
  check_ae_title(sender.substr(0, at), "--dicom-allow");
  if (at != std::string::npos && (a.address.empty() || a.address.find_first_not_of("0123456789.") != std::string::npos))
    fail_input("serve", "--dicom-allow", printable(entry), "AE, AE@address with an IPv4 address (e.g. PACS@10.1.2.3), either followed by =SITE");
  if (eq != std::string::npos) check_site_code(a.site, "serve", "--dicom-allow (site of " + printable(a.ae_title) + ")");
  return a;
}

namespace {

// What every association's worker shares: the configuration, the whitelist,
// and the listener, called by one worker at a time.
struct ReceiverContext {
  const DicomReceiverConfig& config;
  std::vector<AllowedSender> allowed;
  const DicomStoreReceiver::Listener& listener;
  std::mutex listener_mutex;

  void notify(const AssociationReport& r) {
    try {
      const std::lock_guard lock(listener_mutex);
      if (listener) listener(r);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sirtkit serve: DICOM receiver: recording the association failed: %s\n", e.what());
    }
  }
};

// The DCMTK settings of every association: our AE title, timeouts, the
// Verification and storage presentation contexts.
void configure(DcmSCPConfig& cfg, const DicomReceiverConfig& c) {
  cfg.setPort(static_cast<Uint16>(c.port));
  cfg.setAETitle(c.ae_title.c_str());
  cfg.setRespondWithCalledAETitle(OFFalse);
  cfg.setHostLookupEnabled(OFFalse);  // the peer's IP address, not a name a DNS server chose
  // Non-blocking accept with a 1 s timeout, so stop() is seen within a second.
  cfg.setConnectionBlockingMode(DUL_NOBLOCK);
  cfg.setConnectionTimeout(1);
  cfg.setDIMSEBlockingMode(DIMSE_NONBLOCKING);
  cfg.setDIMSETimeout(static_cast<Uint32>(c.dimse_timeout_s));
  cfg.setACSETimeout(static_cast<Uint32>(c.acse_timeout_s));
  cfg.setProgressNotificationMode(OFFalse);
  OFList<OFString> basic;
  basic.push_back(UID_LittleEndianExplicitTransferSyntax);
  basic.push_back(UID_LittleEndianImplicitTransferSyntax);
  cfg.addPresentationContext(UID_VerificationSOPClass, basic);
  OFList<OFString> all;
  for (const auto& ts : accepted_transfer_syntaxes()) all.push_back(ts.c_str());
  for (const auto& cls : accepted_storage_sop_classes()) cfg.addPresentationContext(cls.uid, all);
}

// One association, on a thread of its own: negotiation (AE titles checked
// against the whitelist), then each C-ECHO and C-STORE until release.
class AssociationWorker : public DcmThreadSCP {
 public:
  explicit AssociationWorker(ReceiverContext& context) : context_(context) {}

 protected:
  void notifyAssociationRequest(const T_ASC_Parameters& params, DcmSCPActionType& action) override {
    report_ = {};
    report_.calling_ae = printable(trim(params.DULparams.callingAPTitle));
    report_.address = printable(params.DULparams.callingPresentationAddress);
    (void)action;
  }

  OFBool checkCalledAETitleAccepted(const OFString& called) override {
    if (trim(called.c_str()) == trim(context_.config.ae_title)) return OFTrue;
    refuse_association("called AE title '" + printable(trim(called.c_str())) + "' is not this receiver's (" + context_.config.ae_title + ")");
    return OFFalse;
  }

  OFBool checkCallingAETitleAccepted(const OFString& calling) override {
    const std::string ae = trim(calling.c_str());
    for (const auto& a : context_.allowed)
      if (a.ae_title == ae && (a.address.empty() || a.address == report_.address)) {
        report_.site = a.site;
        return OFTrue;
      }
    refuse_association(context_.allowed.empty()
                           ? "no calling AE title is allowed (--dicom-allow is empty)"
                           : "calling AE title '" + printable(ae) + "' from " + report_.address + " is not on the whitelist (--dicom-allow)");
    return OFFalse;
  }

  void handleAssociation() override {
    DcmSCP::handleAssociation();
    context_.notify(report_);
    report_ = {};
  }

  OFCondition handleIncomingCommand(T_DIMSE_Message* msg, const DcmPresentationContextInfo& info) override {
    if (msg->CommandField == DIMSE_C_ECHO_RQ) ++report_.echoes;
    if (msg->CommandField != DIMSE_C_STORE_RQ) return DcmSCP::handleIncomingCommand(msg, info);
    return receive_and_store(msg->msg.CStoreRQ, info.presentationContextID);
  }

 private:
  // Receives one C-STORE dataset into a temporary file, files it (or refuses
  // it with a failure status and an Error Comment) and answers.
  OFCondition receive_and_store(T_DIMSE_C_StoreRQ& rq, T_ASC_PresentationContextID context_id) {
    const fs::path& data_root = context_.config.data_root;
    fs::path temp;
    try {
      temp = new_incoming_path(data_root);
    } catch (const Error& e) {
      std::fprintf(stderr, "sirtkit serve: DICOM receiver: %s\n", e.what());
      return DIMSE_BADDATA;  // cannot even receive: the association is aborted
    }
    // The dataset's bytes go to the file as received (DIMSE_receiveDataSetInFile, preceded by a meta header).
    OFCondition cond = receiveSTORERequest(rq, context_id, temp.c_str());
    if (cond.bad()) {
      std::error_code ec;
      fs::remove(temp, ec);
      return cond;
    }
    Uint16 status = STATUS_Success;
    std::string reason;
    try {
      const StoredInstance s = store_received_instance(data_root, temp, trim(rq.AffectedSOPInstanceUID), "", report_.site);
      auto it = std::find_if(report_.series.begin(), report_.series.end(),
                             [&](const ReceivedSeries& r) { return r.study_folder == s.study_folder && r.series_folder == s.series_folder; });
      if (it == report_.series.end()) it = report_.series.insert(report_.series.end(), {s.study_folder, s.series_folder, s.modality, 0, 0});
      ++it->objects;
      if (s.replaced) ++it->replaced;
    } catch (const InstanceRefused& e) {
      status = e.status();
      reason = e.what();
    } catch (const std::exception& e) {
      status = store_status::out_of_resources;
      reason = std::string("cannot store the object: ") + e.what();
    }
    DcmDataset* detail = nullptr;
    if (status != STATUS_Success) {
      ++report_.objects_refused;
      if (report_.refusal_reasons.size() < kReasonsKept) report_.refusal_reasons.push_back(reason);
      DcmLongString comment(DCM_ErrorComment);
      comment.putString(reason.substr(0, kErrorCommentChars).c_str());
      addStatusDetail(&detail, &comment);
    }
    cond = sendSTOREResponse(context_id, rq.MessageID, rq.AffectedSOPClassUID, rq.AffectedSOPInstanceUID, status, detail);
    delete detail;
    return cond;
  }

  void refuse_association(const std::string& why) {
    AssociationReport r = report_;
    r.refused = true;
    r.refusal = why;
    context_.notify(r);
    report_ = {};
  }

  ReceiverContext& context_;
  AssociationReport report_;
};

}  // namespace

// Accepts associations on one thread and runs each on a worker thread of its
// own, up to kMaxAssociations at once; a further one is rejected as "local
// limit exceeded" (transient: the sender retries). DCMTK's DcmBaseSCPPool does
// the same, but it opens the port only inside its listening loop, where
// start() cannot report failure, and with DCMTK 3.6.7 here a second
// association's negotiation failed under it and stop() then hung.
class DicomStoreReceiver::Acceptor {
 public:
  static constexpr std::size_t kMaxAssociations = 8;

  Acceptor(const DicomReceiverConfig& config, const Listener& listener) : context_{config, {}, listener, {}} {
    for (const auto& entry : config.allowed) context_.allowed.push_back(parse_allowed_sender(entry));
    DcmSCPConfig cfg;
    configure(cfg, config);
    shared_ = DcmSharedSCPConfig(cfg);
    const OFCondition c = ASC_initializeNetwork(NET_ACCEPTOR, config.port, config.acse_timeout_s, &network_);
    if (c.bad()) fail_io("DICOM port " + std::to_string(config.port), std::string("cannot listen: ") + c.text());
  }
  ~Acceptor() { ASC_dropNetwork(&network_); }
  Acceptor(const Acceptor&) = delete;
  Acceptor& operator=(const Acceptor&) = delete;

  // Accepts until `stop` (seen within the 1 s connection timeout), then waits
  // for the running associations (each bounded by the DIMSE timeout).
  void run(const std::atomic<bool>& stop) {
    while (!stop.load()) {
      reap_finished();
      T_ASC_Association* assoc = nullptr;
      const OFCondition c = ASC_receiveAssociation(network_, &assoc, ASC_DEFAULTMAXPDU, nullptr, nullptr, OFFalse, DUL_NOBLOCK, 1);
      if (c.good()) {
        hand_over(assoc);
      } else {
        if (c != DUL_NOASSOCIATIONREQUEST) std::fprintf(stderr, "sirtkit serve: DICOM receiver: receiving an association failed: %s\n", c.text());
        ASC_dropAssociation(assoc);
        ASC_destroyAssociation(&assoc);
      }
    }
    for (auto& w : workers_) w.thread.join();
    workers_.clear();
  }

 private:
  struct Running {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> done;
  };

  void hand_over(T_ASC_Association* assoc) {
    if (workers_.size() >= kMaxAssociations) {
      T_ASC_RejectParameters rej{ASC_RESULT_REJECTEDTRANSIENT, ASC_SOURCE_SERVICEPROVIDER_PRESENTATION_RELATED,
                                 ASC_REASON_SP_PRES_LOCALLIMITEXCEEDED};
      ASC_rejectAssociation(assoc, &rej);
      ASC_dropAssociation(assoc);
      ASC_destroyAssociation(&assoc);
      return;
    }
    auto done = std::make_shared<std::atomic<bool>>(false);
    workers_.push_back({std::thread([this, assoc, done] {
                          AssociationWorker worker(context_);
                          worker.setSharedConfig(shared_);
                          worker.run(assoc);  // negotiates, serves, then drops and destroys the association
                          done->store(true);
                        }),
                        done});
  }

  void reap_finished() {
    for (auto it = workers_.begin(); it != workers_.end();) {
      if (!it->done->load()) {
        ++it;
        continue;
      }
      it->thread.join();
      it = workers_.erase(it);
    }
  }

  ReceiverContext context_;
  DcmSharedSCPConfig shared_{DcmSCPConfig()};
  T_ASC_Network* network_ = nullptr;
  std::list<Running> workers_;
};

DicomStoreReceiver::DicomStoreReceiver(DicomReceiverConfig config, Listener listener)
    : config_(std::move(config)), listener_(std::move(listener)) {
  check_ae_title(config_.ae_title, "--dicom-ae");
  for (const auto& entry : config_.allowed) parse_allowed_sender(entry);
  if (config_.port <= 0 || config_.port > 65535)
    fail_input("serve", "--dicom-port", std::to_string(config_.port), "a TCP port from 1 to 65535");
  std::error_code ec;
  if (!fs::is_directory(config_.data_root, ec)) fail_io(config_.data_root.string(), "no such folder (the data root, --data)");
  config_.data_root = fs::canonical(config_.data_root);
}

DicomStoreReceiver::~DicomStoreReceiver() { stop(); }

void DicomStoreReceiver::start() {
  if (acceptor_) return;
  // A peer that closes its socket while DCMTK writes must not end the server
  // with SIGPIPE (DCMTK's send() does not pass MSG_NOSIGNAL).
  ::signal(SIGPIPE, SIG_IGN);
  incoming_folder(config_.data_root);
  stop_ = false;
  acceptor_ = std::make_unique<Acceptor>(config_, listener_);  // opens the port, or Error(io)
  thread_ = std::thread([this] { acceptor_->run(stop_); });
}

void DicomStoreReceiver::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  acceptor_.reset();
}

}  // namespace sirtkit::io
