#include "server/dicom_intake.h"

#include <cstdio>

#include "core/error.h"
#include "server/http_server.h"
#include "server/auth/identity_store.h"
#if SIRTKIT_IMAGING
#include <chrono>

#include "io/dicom_network/dicom_instance_store.h"
#include "io/dicom_network/dicom_store_receiver.h"
#include "pipelines/dicom/dicom_arrivals.h"
#endif

namespace sirtkit::server {

#if SIRTKIT_IMAGING

void DicomReceiverStop::operator()(io::DicomStoreReceiver* r) const {
  if (r) r->stop();
  delete r;
}

void clean_incoming(ServerState& state) {
  if (state.config().data_root.empty()) return;
  const std::size_t n = io::remove_stale_incoming(state.config().data_root, std::chrono::hours(1));
  if (n > 0) std::fprintf(stderr, "sirtkit serve: removed %zu unfinished transfers older than an hour from the data root's .incoming\n", n);
}

DicomReceiverHandle start_dicom_receiver(ServerState& state) {
  const ServerConfig& c = state.config();
  if (c.data_root.empty()) fail_input("serve", "--dicom-port", std::to_string(c.dicom_port), "--data DIR too: received studies are stored there");
  io::DicomReceiverConfig rc;
  rc.data_root = c.data_root;
  rc.port = c.dicom_port;
  rc.ae_title = c.dicom_ae;
  rc.allowed = c.dicom_allow;
  // A sender's site must be a site of the registry, or its studies would be
  // filed under a code no user has: seen by administrators only.
  {
    auto lease = state.pool().acquire();
    for (const auto& entry : c.dicom_allow) {
      const io::AllowedSender a = io::parse_allowed_sender(entry);
      if (!a.site.empty() && sites_with_code(*lease, a.site).empty())
        fail_input("serve", "--dicom-allow", entry, "a site code of the registry after '=' (registry sites: see `sirtkit registry` or the admin page)");
    }
  }
  DicomReceiverHandle rx(new io::DicomStoreReceiver(rc, [&state](const io::AssociationReport& r) {
    int stored = 0;
    for (const auto& s : r.series) stored += s.objects;
    if (r.refused) {
      std::fprintf(stderr, "sirtkit serve: DICOM association from %s (%s) refused: %s\n", r.calling_ae.c_str(), r.address.c_str(), r.refusal.c_str());
    } else if (stored + r.objects_refused == 0) {
      return;  // a C-ECHO: nothing arrived
    } else {
      std::fprintf(stderr, "sirtkit serve: DICOM from %s (%s): %d objects stored in %zu series, %d refused\n", r.calling_ae.c_str(), r.address.c_str(),
                   stored, r.series.size(), r.objects_refused);
    }
    auto lease = state.pool().acquire();
    pipelines::record_dicom_association(*lease, r);
  }));
  rx->start();
  return rx;
}

#else

void DicomReceiverStop::operator()(io::DicomStoreReceiver*) const {}

void clean_incoming(ServerState&) {}

DicomReceiverHandle start_dicom_receiver(ServerState& state) {
  fail_input("serve", "--dicom-port", std::to_string(state.config().dicom_port), "the full build (this statistics-only build has no DICOM)");
}

#endif

}  // namespace sirtkit::server
