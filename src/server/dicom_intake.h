#pragma once
// The DICOM C-STORE receiver of `sirtkit serve --dicom-port` (io/dicom_network/dicom_store_receiver.h)
// wired to the server: received objects go to the data root (--data), each
// association is written to the registry's dicom_receipts (audited; actor
// "dicom:<calling AE title>") and one line to stderr, with AE titles,
// addresses, hashed folder names and counts only (docs/server.md).

#include <memory>

namespace sirtkit::io {
class DicomStoreReceiver;
}

namespace sirtkit::server {

class ServerState;

// Stops and deletes a receiver (defined where the receiver is: the
// statistics-only build has none).
struct DicomReceiverStop {
  void operator()(io::DicomStoreReceiver* r) const;
};
using DicomReceiverHandle = std::unique_ptr<io::DicomStoreReceiver, DicomReceiverStop>;

// Removes temporary files older than an hour from DATA/.incoming (a server
// stopped mid-transfer leaves them; a younger one may be another server's
// transfer in progress) and says how many on stderr. Nothing without a data root.
void clean_incoming(ServerState& state);

// Starts the receiver of state.config() (dicom_port != 0): Error(bad_input)
// for a bad AE title or no data root, Error(io) when the port cannot be opened.
DicomReceiverHandle start_dicom_receiver(ServerState& state);

}  // namespace sirtkit::server
