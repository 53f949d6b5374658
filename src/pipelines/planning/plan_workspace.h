#pragma once
// The planning studies of a data root, for `sirtkit serve --data DIR`
// (docs/server.md, issue 14): each plan file (*.toml) in a folder directly
// under the root is a study. A study is prepared once (images, dose per GBq
// of each injection: pipelines/planning/plan_patient.h) and kept; a what-if then only
// scales and sums those unit doses (the engine is linear in activity), with
// the same decide_plan as `sirtkit plan --activity`, so both print the same
// numbers.
//
// Confinement: the plan file and every image it names (CT, SPECT, label map,
// masks, RTSTRUCT, every file of a DICOM folder) must resolve, symbolic links
// followed, inside the data root; otherwise the study is refused naming the
// plan key (never the path, which may name a patient).

#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <sys/stat.h>
#include <time.h>
#include <vector>

#include "pipelines/planning/plan_file.h"
#include "pipelines/planning/plan_patient.h"

namespace sirtkit::pipelines {

struct StudyVerification;  // pipelines/planning/plan_verification.h

// A volume as gzip-compressed NIfTI-1 bytes (what the workspace serves).
std::string nifti_gz_bytes(const image::Volume<float>& volume);
std::string nifti_gz_bytes(const image::LabelMap& volume);

struct PlanStudyInfo {
  std::string id;         // 16 hex digits of SHA-256 of "folder/plan file": stable, names nothing
  std::string folder;     // the study folder's name under the data root
  std::string plan_file;  // the plan file's name
  std::string site;       // registry site code of the folder's .site file (io/dicom_network/dicom_instance_store.h), "" for none: every site sees it
};

struct LabelEntry {
  int value = 0;  // voxel value in the label-map volume
  std::string name;
  std::string role;
};

// One prepared study. Immutable once built, shared between requests.
class PlanStudy {
 public:
  PlanStudyInfo info;
  PlanSpec spec;
  PreparedPlan prepared;
  // The VOIs' voxels and doses per GBq of prepared.model, gathered once: a what-if
  // computes over them only (dosimetry/metrics/voi_doses.h). Refers to prepared.model.
  std::unique_ptr<const dosimetry::VoiDoses> voi_doses;
  PlanDecision optimum;                  // the planner's prescription
  std::vector<LabelEntry> label_legend;  // the input VOIs painted into label_map, later ones over earlier
  image::LabelMap label_map;             // on the dose grid
  std::vector<double> isodose_levels_gy;  // goal minimums and aims, constraint limits (not the lungs' formula)
  std::filesystem::file_time_type plan_mtime;
  double prepare_s = 0;
  // Candidate post-treatment images for verification: the NIfTI files and
  // folders of the study folder that the plan file does not name, sorted.
  std::vector<std::string> post_images;

  // The context of a decision's plan document (schema sirtkit.plan/1, as
  // `sirtkit plan --json`: report::plan_json_value): the study's, with the
  // decision's BSA prescription and the time it took.
  report::PlanContext plan_context(const PlanDecision& decision, double elapsed_s) const;
  // The what-if at one activity per injection (GBq), as `sirtkit plan --activity`
  // (without `voxel_radiobiology`: no VOI radiobiology, the rest the same).
  PlanDecision what_if(const std::vector<double>& activity_gbq, bool voxel_radiobiology = true) const;
  // What a what-if changes: report::what_if_json_value (schema sirtkit.what-if/1)
  // of the decision with the study's context (prepared.context).
  // Volume names: ct, spect, dose (at the prescription), labels, dose_per_gbq_1 .. _N.
  std::vector<std::string> volume_names() const;
  // A volume as gzip-compressed NIfTI bytes (computed once, then cached); empty when no such name.
  std::string volume_nifti(const std::string& name) const;

 private:
  mutable std::mutex volumes_mutex_;
  mutable std::map<std::string, std::string> volumes_;
};

class PlanWorkspace {
 public:
  // Refuses (Error io) a data root that is not a folder.
  explicit PlanWorkspace(const std::filesystem::path& data_root);
  const std::filesystem::path& root() const { return root_; }

  // Every plan file in a folder directly under the root that resolves inside it, sorted.
  std::vector<PlanStudyInfo> list() const;
  // The entry of list() with this id, or nullopt. Without listing again when
  // the root folder, the study's folder and its .site file are as at the
  // listing that found it (modification times; .site's size too): a what-if
  // then costs three stat calls, not a walk of the data root. Stamps younger
  // than a second at listing time are not trusted (a change within the file
  // system's clock tick would not show).
  std::optional<PlanStudyInfo> find(const std::string& id) const;
  // The prepared study of an entry of list() (prepared on first use, again
  // when the plan file changed; one preparation at a time, while studies
  // already prepared are answered). Throws sirtkit::Error for a plan that cannot
  // be planned, a path outside the root (bad_input, naming the key).
  std::shared_ptr<const PlanStudy> open(const PlanStudyInfo& info);
  // Prepares every study of `folder` (a folder directly under the root) and
  // encodes its volumes, as the first visit of each would: `sirtkit serve
  // --demo` runs it for the demo patient on a thread of its own at start-up,
  // so the first visit finds them ready. Stops between steps when `stop` is
  // requested. A study that cannot be prepared is left for its visit to report
  // (a line on stderr names its folder and plan file).
  void prepare_folder(const std::string& folder, std::stop_token stop = {});

  // Verifications computed for the studies (pipelines/planning/plan_verification.h), by
  // their id; the oldest are forgotten beyond `kVerificationsKept`.
  void keep_verification(std::shared_ptr<const StudyVerification> v);
  std::shared_ptr<const StudyVerification> verification(const std::string& id) const;
  static constexpr std::size_t kVerificationsKept = 16;

 private:
  // What list() saw of a study folder: its modification time and its .site file's.
  struct FolderStamp {
    timespec folder_mtime{};
    bool has_site = false;
    timespec site_mtime{};
    long long site_size = 0;
    bool operator==(const FolderStamp& o) const;
  };
  static std::optional<FolderStamp> folder_stamp(const std::filesystem::path& folder);

  std::filesystem::path root_;  // canonical
  mutable std::mutex listing_mutex_;
  mutable std::optional<timespec> listed_root_mtime_;                                   // of the last listing, when trusted
  mutable std::map<std::string, std::pair<PlanStudyInfo, FolderStamp>> listed_;  // by id, trusted stamps only
  // The prepared studies, looked up under studies_mutex_ (held only for the
  // lookup: a what-if on a prepared study never waits for a preparation).
  std::shared_ptr<const PlanStudy> prepared(const std::string& id, std::filesystem::file_time_type plan_mtime) const;
  std::mutex preparing_mutex_;  // one preparation at a time
  mutable std::mutex studies_mutex_;
  std::map<std::string, std::shared_ptr<const PlanStudy>> studies_;
  mutable std::mutex verifications_mutex_;
  std::vector<std::shared_ptr<const StudyVerification>> verifications_;  // oldest first
};

// The check of one path a plan names: inside `root` (canonical) with links resolved.
bool path_inside(const std::filesystem::path& root, const std::filesystem::path& path);

// The demo planning patient's folder under the data root.
inline constexpr const char* kDemoStudyFolder = "demo-patient";

// Writes the demo planning patient (sirtkit phantom) into DIR/demo-patient
// unless that folder exists. Returns true when it wrote it.
bool write_demo_study(const std::filesystem::path& data_root);

}  // namespace sirtkit::pipelines
