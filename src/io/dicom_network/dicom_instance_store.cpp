#include "io/dicom_network/dicom_instance_store.h"

#include <dcmtk/dcmdata/dctk.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <mutex>
#include <fmt/format.h>

#include "core/text.h"
#include "io/dicom/dicom_guard.h"
#include "io/dicom/dicom_tags.h"
#include "io/file_hash.h"

namespace sirtkit::io {
namespace fs = std::filesystem;
namespace {

std::string hash16(const std::string& uid) { return sha256_of_bytes(uid).substr(0, 16); }

bool is_uid(const std::string& v) { return !v.empty() && dicom::shown_uid(v) == v; }

// fsync a file or folder so the rename survives a power cut (as core/atomic_file).
void sync_path(const fs::path& p, bool folder) {
  const int fd = ::open(p.c_str(), folder ? O_RDONLY | O_DIRECTORY : O_RDONLY);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

[[noreturn]] void refuse(std::uint16_t status, const std::string& message, const std::string& sop_class = {}, const std::string& sop_instance = {}) {
  throw InstanceRefused(status, message, is_uid(sop_class) ? sop_class : "", is_uid(sop_instance) ? sop_instance : "");
}

const StorageSopClass* find_class(const std::string& uid) {
  for (const auto& c : accepted_storage_sop_classes())
    if (uid == c.uid) return &c;
  return nullptr;
}

}  // namespace

const std::vector<StorageSopClass>& accepted_storage_sop_classes() {
  // PS3.4 Table B.5-1 (Standard SOP Classes).
  static const std::vector<StorageSopClass> classes = {
      {UID_CTImageStorage, "ct", "CT Image Storage"},
      {UID_EnhancedCTImageStorage, "ct", "Enhanced CT Image Storage"},
      {UID_NuclearMedicineImageStorage, "nm", "Nuclear Medicine Image Storage"},
      {UID_PositronEmissionTomographyImageStorage, "pt", "Positron Emission Tomography Image Storage"},
      {UID_EnhancedPETImageStorage, "pt", "Enhanced PET Image Storage"},
      {UID_SegmentationStorage, "seg", "Segmentation Storage"},
      {UID_RTStructureSetStorage, "rtstruct", "RT Structure Set Storage"},
      {UID_RTDoseStorage, "rtdose", "RT Dose Storage"},
  };
  return classes;
}

const std::vector<std::string>& accepted_transfer_syntaxes() {
  // PS3.5 Annex A. Uncompressed first: an SCU offering both sends those.
  static const std::vector<std::string> ts = {
      UID_LittleEndianExplicitTransferSyntax,
      UID_LittleEndianImplicitTransferSyntax,
      UID_BigEndianExplicitTransferSyntax,
      UID_DeflatedExplicitVRLittleEndianTransferSyntax,
      UID_JPEGProcess14SV1TransferSyntax,
      UID_JPEGProcess14TransferSyntax,
      UID_JPEGProcess1TransferSyntax,
      UID_JPEGProcess2_4TransferSyntax,
      UID_JPEGLSLosslessTransferSyntax,
      UID_JPEGLSLossyTransferSyntax,
      UID_JPEG2000LosslessOnlyTransferSyntax,
      UID_JPEG2000TransferSyntax,
      UID_RLELosslessTransferSyntax,
  };
  return ts;
}

fs::path incoming_folder(const fs::path& data_root) {
  const fs::path dir = data_root / ".incoming";
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail_io(dir.string(), "cannot create the folder of received objects: " + ec.message());
  return dir;
}

fs::path new_incoming_path(const fs::path& data_root) {
  unsigned char r[12];
  if (RAND_bytes(r, sizeof r) != 1) throw Error(ErrorCategory::internal, "RAND_bytes failed");
  std::string name;
  for (unsigned char c : r) name += fmt::format("{:02x}", c);
  return incoming_folder(data_root) / (name + ".partial");
}

std::size_t remove_stale_incoming(const fs::path& data_root, fs::file_time_type::duration min_age) {
  std::size_t removed = 0;
  std::error_code ec;
  const auto now = fs::file_time_type::clock::now();
  for (const auto& e : fs::directory_iterator(data_root / ".incoming", ec)) {
    if (!e.is_regular_file(ec) || e.path().extension() != ".partial") continue;
    const auto t = e.last_write_time(ec);
    if (!ec && now - t > min_age && fs::remove(e.path(), ec)) ++removed;
  }
  return removed;
}

std::string study_folder_name(const std::string& study_uid, const std::string& site) {
  // A line break cannot occur in a UID or a site code: "A\n1.2" is never "A1\n.2".
  return "study-" + hash16(site.empty() ? study_uid : site + "\n" + study_uid);
}

namespace {
constexpr const char* kSiteFile = ".site";

bool valid_site_code(const std::string& code) {
  return !code.empty() && code.size() <= 64 && code[0] != '.' &&
         std::all_of(code.begin(), code.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-'; });
}

// Writes DATA/study-<h>/.site (temporary file, then rename) once, when the study folder is new.
void write_site_file(const fs::path& study_dir, const std::string& site) {
  const fs::path temp = study_dir / (std::string(kSiteFile) + ".partial");
  {
    std::ofstream f(temp, std::ios::binary | std::ios::trunc);
    f << site << '\n';
    if (!f.flush()) throw Error(ErrorCategory::io, "cannot write the site of study folder " + study_dir.filename().string());
  }
  sync_path(temp, false);
  std::error_code ec;
  fs::rename(temp, study_dir / kSiteFile, ec);
  if (ec) throw Error(ErrorCategory::io, "cannot write the site of study folder " + study_dir.filename().string() + ": " + ec.message());
}
}  // namespace

void check_site_code(const std::string& code, const std::string& source, const std::string& field) {
  if (!valid_site_code(code))
    fail_input(source, field, printable_ascii(code, 80), "a registry site code of 1-64 letters, digits, '.', '_' or '-' (not starting with '.')");
}

std::string study_site(const fs::path& study_dir) {
  const fs::path file = study_dir / kSiteFile;
  std::error_code ec;
  if (!fs::exists(file, ec)) return "";
  std::ifstream f(file, std::ios::binary);
  std::string line;
  if (!f || !std::getline(f, line) || !valid_site_code(line))
    fail_io(study_dir.filename().string() + "/" + kSiteFile, "expected one site code (letters, digits, '.', '_', '-'), as written when the study arrived");
  return line;
}

namespace {
// Creates a new study folder with its site file, or checks that an existing
// one belongs to `site` (a folder edited by hand, or a hash collision, would
// otherwise mix two sites' objects).
// One study folder at a time: the C-STORE receiver's associations and
// STOW-RS requests run on several threads, and two of them filing the first
// objects of one new study would otherwise race between creating the folder
// and writing its site file (the second would see a folder of "no site").
void file_under_site(const fs::path& study_dir, const std::string& site, const StoredInstance& s) {
  static std::mutex filing;
  const std::lock_guard lock(filing);
  std::error_code ec;
  try {
    if (!fs::exists(study_dir, ec)) {
      if (site.empty()) return;
      fs::create_directories(study_dir, ec);
      if (ec) throw Error(ErrorCategory::io, "cannot create the study folder " + s.study_folder + ": " + ec.message());
      write_site_file(study_dir, site);
      sync_path(study_dir.parent_path(), true);
      return;
    }
    const std::string there = study_site(study_dir);
    if (there != site)
      refuse(store_status::out_of_resources,
             "study folder " + s.study_folder + " is filed under " + (there.empty() ? std::string("no site") : "site " + there) + ", not " +
                 (site.empty() ? std::string("no site") : "site " + site) + ": nothing stored",
             s.sop_class_uid, s.sop_instance_uid);
  } catch (const InstanceRefused&) {
    throw;
  } catch (const Error& e) {
    refuse(store_status::out_of_resources, e.what(), s.sop_class_uid, s.sop_instance_uid);
  }
}
}  // namespace

StoredInstance store_received_instance(const fs::path& data_root, const fs::path& temp, const std::string& expected_sop_instance_uid,
                                       const std::string& expected_study_uid, const std::string& site) {
  struct RemoveUnlessMoved {
    const fs::path& p;
    bool moved = false;
    ~RemoveUnlessMoved() {
      std::error_code ec;
      if (!moved) fs::remove(p, ec);
    }
  } guard{temp};

  std::unique_ptr<DcmFileFormat> file;
  try {
    file = read_dicom_guarded(temp);
  } catch (const Error& e) {
    // The guard names the file (here a random temporary name, of no use to the
    // sender: left out) and the reason, which holds no patient data.
    std::string m = e.what();
    const std::string label = dicom_file_label(temp) + ": ";
    if (m.rfind(label, 0) == 0) m.erase(0, label.size());
    refuse(store_status::cannot_understand, m);
  }
  DcmMetaInfo& meta = *file->getMetaInfo();
  DcmDataset& ds = *file->getDataset();
  const std::string meta_class = dicom::get_string(meta, DCM_MediaStorageSOPClassUID);
  const std::string meta_instance = dicom::get_string(meta, DCM_MediaStorageSOPInstanceUID);
  if (meta_class.empty() || meta_instance.empty() || dicom::get_string(meta, DCM_TransferSyntaxUID).empty())
    refuse(store_status::cannot_understand, "no File Meta Information (PS3.10 7.1: preamble, \"DICM\", group 0002 with the SOP class, instance and transfer syntax)");

  StoredInstance out;
  out.sop_class_uid = dicom::get_string(ds, DCM_SOPClassUID);
  out.sop_instance_uid = dicom::get_string(ds, DCM_SOPInstanceUID);
  out.study_uid = dicom::get_string(ds, DCM_StudyInstanceUID);
  const std::string series_uid = dicom::get_string(ds, DCM_SeriesInstanceUID);
  const StorageSopClass* cls = find_class(out.sop_class_uid);
  if (!cls)
    refuse(store_status::sop_class_not_supported,
           "SOPClassUID (0008,0016) = " + dicom::shown_uid(out.sop_class_uid) + ": not one of the storage SOP classes sirtkit accepts (CT, NM, PET, SEG, RTSTRUCT, RTDOSE)",
           out.sop_class_uid, out.sop_instance_uid);
  for (const auto& [value, what] : {std::pair{out.sop_instance_uid, "SOPInstanceUID (0008,0018)"}, std::pair{out.study_uid, "StudyInstanceUID (0020,000D)"},
                                    std::pair{series_uid, "SeriesInstanceUID (0020,000E)"}})
    if (!is_uid(value))
      refuse(store_status::does_not_match_sop_class, std::string(what) + " = " + dicom::shown_uid(value) + ": expected a UID (digits and dots, at most 64 characters)", out.sop_class_uid, out.sop_instance_uid);
  if (meta_class != out.sop_class_uid || meta_instance != out.sop_instance_uid)
    refuse(store_status::does_not_match_sop_class,
           "File Meta Information (0002,0002)/(0002,0003) differ from SOPClassUID/SOPInstanceUID of the dataset (PS3.10 7.1)");
  if (!expected_sop_instance_uid.empty() && expected_sop_instance_uid != out.sop_instance_uid)
    refuse(store_status::does_not_match_sop_class,
           "SOPInstanceUID (0008,0018) = " + out.sop_instance_uid + ": differs from the request's Affected SOP Instance UID " + dicom::shown_uid(expected_sop_instance_uid));
  if (!expected_study_uid.empty() && expected_study_uid != out.study_uid)
    refuse(store_status::does_not_match_sop_class,
           "StudyInstanceUID (0020,000D) = " + out.study_uid + ": differs from the study of the request " + dicom::shown_uid(expected_study_uid));
  const std::string modality = dicom::get_string(ds, DCM_Modality);
  out.modality = dicom::shown_modality(modality) == modality ? modality : "";

  out.study_folder = study_folder_name(out.study_uid, site);
  out.site = site;
  out.series_folder = std::string(cls->kind) + "-" + hash16(series_uid);
  out.file_name = hash16(out.sop_instance_uid) + ".dcm";
  file.reset();  // DCMTK keeps large values on disk: close before the move

  const fs::path study_dir = data_root / out.study_folder;
  const fs::path series_dir = study_dir / out.series_folder;
  const fs::path target = series_dir / out.file_name;
  std::error_code ec;
  file_under_site(study_dir, site, out);
  fs::create_directories(series_dir, ec);
  if (ec) refuse(store_status::out_of_resources, "cannot create the series folder " + out.study_folder + "/" + out.series_folder + ": " + ec.message(), out.sop_class_uid, out.sop_instance_uid);
  out.replaced = fs::exists(target, ec);
  sync_path(temp, false);
  fs::rename(temp, target, ec);
  if (ec) refuse(store_status::out_of_resources, "cannot move the object into " + out.study_folder + "/" + out.series_folder + ": " + ec.message(), out.sop_class_uid, out.sop_instance_uid);
  guard.moved = true;
  sync_path(series_dir, true);
  return out;
}

}  // namespace sirtkit::io
