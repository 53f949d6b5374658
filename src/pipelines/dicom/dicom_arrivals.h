#pragma once
// Studies pushed to `sirtkit serve` (issue 14 item 5; docs/server.md "Studies
// from PACS"): the audit rows of what arrived, and the received studies of the
// data root as the workspace lists them. The objects themselves are stored by
// io/dicom_network/dicom_instance_store.h under DATA/study-<hash>/<kind>-<hash>/.

#include <filesystem>
#include <string>
#include <vector>

#include "io/dicom_network/dicom_store_receiver.h"
#include "io/dicom_network/multipart_related.h"
#include "io/dicom_network/received_studies.h"
#include "registry/store/store.h"

namespace sirtkit::pipelines {

// Writes the receipts of one C-STORE association (one row per stored series,
// one for its refused objects, or one for a refused association) in one
// transaction whose actor is "dicom:<calling AE title>".
void record_dicom_association(registry::Store& store, const io::AssociationReport& report);

// STOW-RS (PS3.18 10.5): stores every part of one request (a part must be
// application/dicom: a PS3.10 file) as C-STORE stores an object
// (io/dicom_network/dicom_instance_store.h), filed under `site` ("" for none), and
// writes the receipts (channel stow-rs, sender and actor `user`) in one
// transaction. `study_uid` ("" for POST /studies) must be every object's
// study. Every part file is gone afterwards (moved into place or removed).
io::StowOutcome store_stow_parts(registry::Store& store, const std::filesystem::path& data_root, const std::vector<io::MultipartPart>& parts,
                                 const std::string& study_uid, const std::string& user, const std::string& address, const std::string& site);

// Every study-<16 hex> folder directly under the root, newest first (a study
// whose .site file cannot be read is left out and said on stderr).
std::vector<io::ReceivedStudyInfo> list_received_studies(const std::filesystem::path& data_root);

}  // namespace sirtkit::pipelines
