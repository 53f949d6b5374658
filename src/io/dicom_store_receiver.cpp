#include "io/dicom_store_receiver.h"

#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/dcmnet/diutil.h>
#include <dcmtk/dcmnet/scp.h>
#include <signal.h>

#include <algorithm>
#include <cstdio>

#include "core/error.h"
#include "core/text.h"
#include "io/dicom_instance_store.h"

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

class DicomStoreReceiver::Scp : public DcmSCP {
 public:
  Scp(const DicomReceiverConfig& c, const Listener& listener, const std::atomic<bool>& stop) : c_(c), listener_(listener), stop_(stop) {
    setPort(static_cast<Uint16>(c.port));
    setAETitle(c.ae_title.c_str());
    setRespondWithCalledAETitle(OFFalse);
    setHostLookupEnabled(OFFalse);  // the peer's IP address, not a name a DNS server chose
    // Non-blocking accept with a 1 s timeout, so stop() is seen within a second.
    setConnectionBlockingMode(DUL_NOBLOCK);
    setConnectionTimeout(1);
    setDIMSEBlockingMode(DIMSE_NONBLOCKING);
    setDIMSETimeout(static_cast<Uint32>(c.dimse_timeout_s));
    setACSETimeout(static_cast<Uint32>(c.acse_timeout_s));
    setProgressNotificationMode(OFFalse);
    OFList<OFString> basic;
    basic.push_back(UID_LittleEndianExplicitTransferSyntax);
    basic.push_back(UID_LittleEndianImplicitTransferSyntax);
    addPresentationContext(UID_VerificationSOPClass, basic);
    OFList<OFString> all;
    for (const auto& ts : accepted_transfer_syntaxes()) all.push_back(ts.c_str());
    for (const auto& cls : accepted_storage_sop_classes()) addPresentationContext(cls.uid, all);
    for (const auto& entry : c.allowed) allowed_.push_back(parse_allowed_sender(entry));
  }

 protected:
  void notifyAssociationRequest(const T_ASC_Parameters& params, DcmSCPActionType& action) override {
    report_ = {};
    report_.calling_ae = printable(trim(params.DULparams.callingAPTitle));
    report_.address = printable(params.DULparams.callingPresentationAddress);
    (void)action;
  }

  OFBool checkCalledAETitleAccepted(const OFString& called) override {
    if (trim(called.c_str()) == trim(c_.ae_title)) return OFTrue;
    refuse_association("called AE title '" + printable(trim(called.c_str())) + "' is not this receiver's (" + c_.ae_title + ")");
    return OFFalse;
  }

  OFBool checkCallingAETitleAccepted(const OFString& calling) override {
    const std::string ae = trim(calling.c_str());
    for (const auto& a : allowed_)
      if (a.ae_title == ae && (a.address.empty() || a.address == report_.address)) {
        report_.site = a.site;
        return OFTrue;
      }
    refuse_association(allowed_.empty() ? "no calling AE title is allowed (--dicom-allow is empty)"
                                        : "calling AE title '" + printable(ae) + "' from " + report_.address + " is not on the whitelist (--dicom-allow)");
    return OFFalse;
  }

  void handleAssociation() override {
    DcmSCP::handleAssociation();
    notify(report_);
    report_ = {};
  }

  OFCondition handleIncomingCommand(T_DIMSE_Message* msg, const DcmPresentationContextInfo& info) override {
    if (msg->CommandField == DIMSE_C_ECHO_RQ) ++report_.echoes;
    if (msg->CommandField != DIMSE_C_STORE_RQ) return DcmSCP::handleIncomingCommand(msg, info);
    T_DIMSE_C_StoreRQ& rq = msg->msg.CStoreRQ;
    fs::path temp;
    try {
      temp = new_incoming_path(c_.data_root);
    } catch (const Error& e) {
      std::fprintf(stderr, "sirtkit serve: DICOM receiver: %s\n", e.what());
      return DIMSE_BADDATA;  // cannot even receive: the association is aborted
    }
    // The dataset's bytes go to the file as received (DIMSE_receiveDataSetInFile, preceded by a meta header).
    OFCondition cond = receiveSTORERequest(rq, info.presentationContextID, temp.c_str());
    if (cond.bad()) {
      std::error_code ec;
      fs::remove(temp, ec);
      return cond;
    }
    Uint16 status = STATUS_Success;
    std::string reason;
    try {
      const StoredInstance s = store_received_instance(c_.data_root, temp, trim(rq.AffectedSOPInstanceUID), "", report_.site);
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
    cond = sendSTOREResponse(info.presentationContextID, rq.MessageID, rq.AffectedSOPClassUID, rq.AffectedSOPInstanceUID, status, detail);
    delete detail;
    return cond;
  }

  OFBool stopAfterConnectionTimeout() override { return stop_.load() ? OFTrue : OFFalse; }
  OFBool stopAfterCurrentAssociation() override { return stop_.load() ? OFTrue : OFFalse; }

 private:
  void refuse_association(const std::string& why) {
    AssociationReport r = report_;
    r.refused = true;
    r.refusal = why;
    notify(r);
    report_ = {};
  }

  void notify(const AssociationReport& r) {
    try {
      if (listener_) listener_(r);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "sirtkit serve: DICOM receiver: recording the association failed: %s\n", e.what());
    }
  }

  const DicomReceiverConfig& c_;
  const Listener& listener_;
  const std::atomic<bool>& stop_;
  std::vector<AllowedSender> allowed_;
  AssociationReport report_;
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
  if (scp_) return;
  // A peer that closes its socket while DCMTK writes must not end the server
  // with SIGPIPE (DCMTK's send() does not pass MSG_NOSIGNAL).
  ::signal(SIGPIPE, SIG_IGN);
  incoming_folder(config_.data_root);
  stop_ = false;
  scp_ = std::make_unique<Scp>(config_, listener_, stop_);
  const OFCondition c = scp_->openListenPort();
  if (c.bad()) {
    scp_.reset();
    fail_io("DICOM port " + std::to_string(config_.port), std::string("cannot listen: ") + c.text());
  }
  thread_ = std::thread([this] {
    const OFCondition r = scp_->acceptAssociations();
    if (r.bad() && r != NET_EC_StopAfterConnectionTimeout && r != NET_EC_StopAfterAssociation)
      std::fprintf(stderr, "sirtkit serve: DICOM receiver stopped: %s\n", r.text());
  });
}

void DicomStoreReceiver::stop() {
  stop_ = true;
  if (thread_.joinable()) thread_.join();
  scp_.reset();
}

}  // namespace sirtkit::io
