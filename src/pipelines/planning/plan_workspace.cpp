#include "pipelines/planning/plan_workspace.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <fmt/format.h>
#include <fstream>
#include <set>
#include <sstream>

#include "core/atomic_file.h"
#include "core/error.h"
#include "io/dicom_network/dicom_instance_store.h"
#include "io/image/image_reader.h"
#include "io/image/nifti.h"
#include "pipelines/planning/phantom.h"
#include "pipelines/planning/plan_verification.h"
#include "report/planning/plan_report.h"

namespace sirtkit::pipelines {
namespace fs = std::filesystem;
namespace {

std::string sha256_hex16(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &n, EVP_sha256(), nullptr) != 1) throw Error(ErrorCategory::internal, "SHA-256 failed");
  std::string hex;
  for (unsigned int i = 0; i < 8 && i < n; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

// Refuses (bad_input) a path of the plan that leaves the data root, naming the key only.
void require_inside(const fs::path& root, const fs::path& path, const std::string& plan_name, const std::string& key) {
  const auto refuse = [&] {
    fail_input(plan_name, key, "(a path outside the data root)", "a file inside the server's data root (--data), links resolved");
  };
  if (!path_inside(root, path)) refuse();
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    // A DICOM folder: every file in it, and every link, must stay inside too.
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (!path_inside(root, it->path())) refuse();
  }
}

void check_confined(const fs::path& root, const PlanSpec& spec) {
  const std::string plan = spec.file.filename().string();
  require_inside(root, spec.ct, plan, "images.ct");
  require_inside(root, spec.spect, plan, "images.spect");
  if (spec.labels) require_inside(root, *spec.labels, plan, "images.labels");
  for (std::size_t i = 0; i < spec.vois.size(); ++i) {
    const VoiSpec& v = spec.vois[i];
    if (v.mask) require_inside(root, *v.mask, plan, fmt::format("voi[{}].mask", i + 1));
    if (v.rtstruct) require_inside(root, *v.rtstruct, plan, fmt::format("voi[{}].rtstruct", i + 1));
  }
}

// Later roles are painted over earlier ones: tumours inside the liver stay visible.
int paint_order(dosimetry::VoiRole r) {
  switch (r) {
    case dosimetry::VoiRole::liver: return 0;
    case dosimetry::VoiRole::other: return 1;
    case dosimetry::VoiRole::territory: return 2;
    case dosimetry::VoiRole::lungs: return 3;
    case dosimetry::VoiRole::tumour: return 4;
  }
  return 1;
}

void build_labels(PlanStudy& s) {
  const auto& model = s.prepared.model;
  std::vector<std::size_t> order(s.spec.vois.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return paint_order(s.spec.vois[a].role) < paint_order(s.spec.vois[b].role); });
  s.label_map = image::LabelMap(model.mass_kg.grid, 0);
  int value = 0;
  for (std::size_t i : order) {
    const dosimetry::Voi& voi = model.voi(s.spec.vois[i].name);
    ++value;
    s.label_legend.push_back({value, voi.name, dosimetry::role_name(voi.role)});
    for (std::size_t v = 0; v < voi.mask.data.size(); ++v)
      if (voi.mask.data[v]) s.label_map.data[v] = value;
  }
}

std::vector<double> isodose_levels(const PlanSpec& spec, const dosimetry::DoseModel& model) {
  std::vector<double> levels;
  for (const auto& g : spec.rules.goals) {
    levels.push_back(g.min_gy);
    if (g.aim_gy) levels.push_back(*g.aim_gy);
  }
  for (const auto& c : spec.rules.constraints)
    if (model.voi(c.voi).role != dosimetry::VoiRole::lungs) levels.push_back(c.max_gy);  // lungs: a formula, not the map
  levels.erase(std::remove_if(levels.begin(), levels.end(), [](double x) { return !(x > 0); }), levels.end());
  std::sort(levels.begin(), levels.end());
  levels.erase(std::unique(levels.begin(), levels.end()), levels.end());
  return levels;
}

template <typename T>
std::string nifti_file_bytes(const image::Volume<T>& volume) {
  static std::atomic<int> counter{0};
  const fs::path tmp = fs::temp_directory_path() / fmt::format("sirtkit-volume-{}-{}.nii.gz", ::getpid(), ++counter);
  io::write_nifti(tmp, volume);
  std::ifstream in(tmp, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::error_code ec;
  fs::remove(tmp, ec);
  if (!in && !in.eof()) fail_io(tmp.string(), "cannot read back the volume just written");
  return bytes.str();
}


void add_named_images(std::set<fs::path>& named, const PlanSpec& spec) {
  named.insert(fs::weakly_canonical(spec.ct));
  named.insert(fs::weakly_canonical(spec.spect));
  if (spec.labels) named.insert(fs::weakly_canonical(*spec.labels));
  for (const auto& v : spec.vois) {
    if (v.mask) named.insert(fs::weakly_canonical(*v.mask));
    if (v.rtstruct) named.insert(fs::weakly_canonical(*v.rtstruct));
  }
}

// The NIfTI files and folders of the study folder that neither this plan nor
// another readable plan file of the folder names: the post-treatment images.
std::vector<std::string> unnamed_images(const fs::path& folder, const PlanSpec& spec) {
  std::set<fs::path> named;
  add_named_images(named, spec);
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(folder, fs::directory_options::skip_permission_denied, ec)) {
    if (e.path().extension() != ".toml" || fs::equivalent(e.path(), spec.file, ec)) continue;
    try {
      add_named_images(named, read_plan_file(e.path()));
    } catch (const Error&) {  // another plan that does not read: its images are not known
    }
  }
  std::vector<std::string> out;
  for (const auto& e : fs::directory_iterator(folder, fs::directory_options::skip_permission_denied, ec)) {
    const std::string name = e.path().filename().string();
    const bool nifti = name.size() > 4 && (name.ends_with(".nii") || name.ends_with(".nii.gz"));
    if (name.empty() || name[0] == '.' || (!nifti && !e.is_directory(ec))) continue;
    // Series folders of a received study that hold no image to verify with (docs/server.md, "Studies from PACS").
    if (name.rfind("rtstruct-", 0) == 0 || name.rfind("seg-", 0) == 0 || name.rfind("rtdose-", 0) == 0) continue;
    if (!named.count(fs::weakly_canonical(e.path(), ec))) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::string nifti_gz_bytes(const image::Volume<float>& v) { return nifti_file_bytes(v); }
std::string nifti_gz_bytes(const image::LabelMap& v) { return nifti_file_bytes(v); }

bool path_inside(const fs::path& root, const fs::path& path) {
  std::error_code ec;
  const fs::path resolved = fs::weakly_canonical(path, ec);
  if (ec) return false;
  const fs::path rel = resolved.lexically_relative(root);
  if (rel.empty() || rel == ".") return false;
  return *rel.begin() != "..";
}

report::PlanContext PlanStudy::plan_context(const PlanDecision& d, double elapsed_s) const {
  report::PlanContext context = prepared.context;
  context.bsa = d.bsa;
  context.elapsed_s = elapsed_s;
  return context;
}

PlanDecision PlanStudy::what_if(const std::vector<double>& activity_gbq, bool voxel_radiobiology) const {
  return decide_plan(spec, *voi_doses, activity_gbq, voxel_radiobiology);
}

std::vector<std::string> PlanStudy::volume_names() const {
  std::vector<std::string> names = {"ct", "spect", "dose", "labels"};
  for (std::size_t k = 0; k < prepared.model.injections.size(); ++k) names.push_back(fmt::format("dose_per_gbq_{}", k + 1));
  return names;
}

std::string PlanStudy::volume_nifti(const std::string& name) const {
  {
    std::lock_guard lock(volumes_mutex_);
    if (const auto it = volumes_.find(name); it != volumes_.end()) return it->second;
  }
  const auto names = volume_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) return {};
  std::string bytes;
  const auto& model = prepared.model;
  if (name == "ct") {
    bytes = nifti_file_bytes(io::read_image(spec.ct, spec.ct_series_uid).volume);
  } else if (name == "spect") {
    bytes = nifti_file_bytes(prepared.planning_counts);
  } else if (name == "dose") {
    bytes = nifti_file_bytes(dosimetry::combined_dose(model, optimum.result.evaluation.administered_gbq));
  } else if (name == "labels") {
    bytes = nifti_file_bytes(label_map);
  } else {
    const std::size_t k = std::stoul(name.substr(std::string("dose_per_gbq_").size())) - 1;
    bytes = nifti_file_bytes(model.unit_dose_gy_per_gbq.at(k));
  }
  std::lock_guard lock(volumes_mutex_);
  return volumes_.emplace(name, std::move(bytes)).first->second;
}

PlanWorkspace::PlanWorkspace(const fs::path& data_root) {
  std::error_code ec;
  if (!fs::is_directory(data_root, ec)) fail_io(data_root.string(), "no such folder (the data root, --data)");
  root_ = fs::canonical(data_root);
}

namespace {

bool operator==(const timespec& a, const timespec& b) { return a.tv_sec == b.tv_sec && a.tv_nsec == b.tv_nsec; }

std::optional<struct stat> stat_of(const fs::path& p) {
  struct stat st {};
  if (::stat(p.c_str(), &st) != 0) return std::nullopt;
  return st;
}

// A modification time at least a second before `now` (CLOCK_REALTIME, as file times are).
bool settled(const timespec& mtime, const timespec& now) { return mtime.tv_sec + 1 < now.tv_sec; }

}  // namespace

bool PlanWorkspace::FolderStamp::operator==(const FolderStamp& o) const {
  return folder_mtime == o.folder_mtime && has_site == o.has_site && (!has_site || (site_mtime == o.site_mtime && site_size == o.site_size));
}

std::optional<PlanWorkspace::FolderStamp> PlanWorkspace::folder_stamp(const fs::path& folder) {
  const auto dir = stat_of(folder);  // links followed, as the listing follows them
  if (!dir) return std::nullopt;
  FolderStamp s;
  s.folder_mtime = dir->st_mtim;
  if (const auto site = stat_of(folder / ".site")) {  // io::study_site's file (io/dicom_network/dicom_instance_store.h)
    s.has_site = true;
    s.site_mtime = site->st_mtim;
    s.site_size = static_cast<long long>(site->st_size);
  }
  return s;
}

std::optional<PlanStudyInfo> PlanWorkspace::find(const std::string& id) const {
  {
    std::lock_guard lock(listing_mutex_);
    const auto it = listed_.find(id);
    if (listed_root_mtime_ && it != listed_.end()) {
      const auto root = stat_of(root_);
      const auto stamp = folder_stamp(root_ / it->second.first.folder);
      if (root && root->st_mtim == *listed_root_mtime_ && stamp && *stamp == it->second.second) return it->second.first;
    }
  }
  for (auto& s : list())
    if (s.id == id) return std::move(s);
  return std::nullopt;
}

std::vector<PlanStudyInfo> PlanWorkspace::list() const {
  std::vector<PlanStudyInfo> out;
  std::error_code ec;
  // Stamps first, contents after: a change made while listing shows as a changed stamp later.
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  const auto root_stat = stat_of(root_);
  std::map<std::string, std::pair<PlanStudyInfo, FolderStamp>> trusted;
  for (const auto& folder : fs::directory_iterator(root_, fs::directory_options::skip_permission_denied, ec)) {
    if (!folder.is_directory(ec) || !path_inside(root_, folder.path())) continue;
    const std::string folder_name = folder.path().filename().string();
    if (folder_name.empty() || folder_name[0] == '.') continue;  // hidden, and an --out folder being written
    const auto stamp = folder_stamp(folder.path());
    const bool trust = stamp && settled(stamp->folder_mtime, now) && (!stamp->has_site || settled(stamp->site_mtime, now));
    std::string site;
    try {
      site = io::study_site(folder.path());
    } catch (const Error& e) {
      // A study whose site cannot be told is shown to no one rather than to everyone.
      std::fprintf(stderr, "sirtkit serve: %s: left out of the workspace\n", e.what());
      continue;
    }
    for (const auto& file : fs::directory_iterator(folder.path(), fs::directory_options::skip_permission_denied, ec)) {
      if (file.path().extension() != ".toml" || !file.is_regular_file(ec) || !path_inside(root_, file.path())) continue;
      const std::string plan = file.path().filename().string();
      out.push_back({sha256_hex16(folder_name + "/" + plan), folder_name, plan, site});
      if (trust) trusted.emplace(out.back().id, std::make_pair(out.back(), *stamp));
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return std::tie(a.folder, a.plan_file) < std::tie(b.folder, b.plan_file); });
  std::lock_guard lock(listing_mutex_);
  listed_root_mtime_.reset();
  if (root_stat && settled(root_stat->st_mtim, now)) listed_root_mtime_ = root_stat->st_mtim;
  listed_ = std::move(trusted);
  return out;
}

std::shared_ptr<const PlanStudy> PlanWorkspace::open(const PlanStudyInfo& info) {
  const std::string& id = info.id;
  const fs::path plan_path = root_ / info.folder / info.plan_file;
  std::error_code ec;
  const auto mtime = fs::last_write_time(plan_path, ec);
  if (auto ready = prepared(id, mtime)) return ready;
  std::lock_guard preparing(preparing_mutex_);
  if (auto ready = prepared(id, mtime)) return ready;  // prepared while this one waited
  const auto start = std::chrono::steady_clock::now();
  auto study = std::make_shared<PlanStudy>();
  study->info = info;
  study->plan_mtime = mtime;
  study->spec = read_plan_file(plan_path);
  check_confined(root_, study->spec);
  study->prepared = prepare_plan(study->spec);
  study->voi_doses = std::make_unique<const dosimetry::VoiDoses>(study->prepared.model);
  study->optimum = decide_plan(study->spec, *study->voi_doses);
  build_labels(*study);
  study->isodose_levels_gy = isodose_levels(study->spec, study->prepared.model);
  study->post_images = unnamed_images(root_ / info.folder, study->spec);
  study->prepare_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::lock_guard lock(studies_mutex_);
  studies_[id] = study;
  return study;
}

std::shared_ptr<const PlanStudy> PlanWorkspace::prepared(const std::string& id, fs::file_time_type plan_mtime) const {
  std::lock_guard lock(studies_mutex_);
  const auto it = studies_.find(id);
  return it != studies_.end() && it->second->plan_mtime == plan_mtime ? it->second : nullptr;
}

void PlanWorkspace::prepare_folder(const std::string& folder, std::stop_token stop) {
  for (const PlanStudyInfo& info : list()) {
    if (info.folder != folder) continue;
    try {
      if (stop.stop_requested()) return;
      const auto study = open(info);
      for (const std::string& name : study->volume_names()) {
        if (stop.stop_requested()) return;
        study->volume_nifti(name);
      }
    } catch (const Error& e) {
      std::fprintf(stderr, "sirtkit serve: %s/%s not prepared in advance (%s): its first visit will say why\n", info.folder.c_str(),
                   info.plan_file.c_str(), category_name(e.category()));
    }
  }
}

void PlanWorkspace::keep_verification(std::shared_ptr<const StudyVerification> v) {
  std::lock_guard lock(verifications_mutex_);
  verifications_.push_back(std::move(v));
  if (verifications_.size() > kVerificationsKept) verifications_.erase(verifications_.begin());
}

std::shared_ptr<const StudyVerification> PlanWorkspace::verification(const std::string& id) const {
  std::lock_guard lock(verifications_mutex_);
  for (const auto& v : verifications_)
    if (v->id == id) return v;
  return nullptr;
}

bool write_demo_study(const fs::path& data_root) {
  const fs::path folder = data_root / kDemoStudyFolder;
  if (fs::exists(folder)) return false;
  fs::create_directories(data_root);
  const fs::path staging = data_root / ".demo-patient.partial";
  fs::remove_all(staging);
  write_phantom(staging);
  // A second plan with two injections: the right lobe as in plan.toml and the
  // left lobe (the liver outside the right-lobe territory) at 80 Gy perfused-liver dose.
  const auto labels = io::read_nifti_labels(staging / "labels.nii.gz");
  auto left = io::read_nifti_labels(staging / "territory_right.nii.gz");
  for (std::size_t i = 0; i < left.data.size(); ++i) left.data[i] = (labels.data[i] >= 1 && labels.data[i] <= 3 && !left.data[i]) ? 1 : 0;
  io::write_nifti(staging / "territory_left.nii.gz", left);
  std::string text = read_text_file(staging / "plan.toml");
  const auto replace = [&text](const std::string& from, const std::string& to) {
    const auto at = text.find(from);
    if (at == std::string::npos) throw Error(ErrorCategory::internal, "demo plan: '" + from + "' not found");
    text.replace(at, from.size(), to);
  };
  replace("[density]", "[[voi]]\nname = \"left lobe\"\nrole = \"territory\"\nmask = \"territory_left.nii.gz\"\n\n[density]");
  replace("[[goal]]", "[[injection]]\nname = \"left lobar\"\nterritory = \"left lobe\"\nperfused_liver_dose_gy = 80\n\n[[goal]]");
  replace("min_percent = 30", "");  // both lobes treated: no reserve left, the 120 Gy limit applies instead
  write_file_atomic(staging / "plan_two_injections.toml", text);
  fs::rename(staging, folder);
  return true;
}

}  // namespace sirtkit::pipelines
