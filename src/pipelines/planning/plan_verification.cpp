#include "pipelines/planning/plan_verification.h"

#include <openssl/evp.h>

#include <algorithm>
#include <fmt/format.h>

#include "core/error.h"
#include "report/planning/plan_verification.h"

namespace sirtkit::pipelines {
namespace fs = std::filesystem;
namespace {

std::string request_id(const std::string& study_id, const VerificationRequest& r) {
  std::string text = study_id + "\n" + r.delivered + "\n" + (r.modality == PostModality::pet ? "pet" : "spect") + "\n" +
                     (r.hours_after_injection ? fmt::format("{}", *r.hours_after_injection) : "-") + "\n" + (r.register_images ? "1" : "0");
  for (double a : r.activity_gbq) text += fmt::format("\n{}", a);
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_Digest(text.data(), text.size(), digest, &n, EVP_sha256(), nullptr) != 1) throw Error(ErrorCategory::internal, "SHA-256 failed");
  std::string hex;
  for (unsigned int i = 0; i < 8 && i < n; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

double percentile_995_positive(const image::Volume<float>& v) {
  std::vector<float> positive;
  for (float x : v.data)
    if (x > 0) positive.push_back(x);
  if (positive.empty()) return 0;
  const std::size_t k = static_cast<std::size_t>(0.995 * static_cast<double>(positive.size() - 1));
  std::nth_element(positive.begin(), positive.begin() + static_cast<std::ptrdiff_t>(k), positive.end());
  return positive[k];
}

}  // namespace

const std::vector<std::string>& verification_volume_names() {
  static const std::vector<std::string> names = {"planned_dose", "delivered_dose", "dose_difference", "registration_check"};
  return names;
}

image::Volume<float> registration_checkerboard(const image::Volume<float>& a, const image::Volume<float>& b, int block) {
  if (a.grid.size != b.grid.size) throw Error(ErrorCategory::internal, "registration checkerboard: the volumes are on different grids");
  const double sa = percentile_995_positive(a), sb = percentile_995_positive(b);
  image::Volume<float> out(a.grid, 0.0f);
  const auto& n = a.grid.size;
  for (int k = 0; k < n[2]; ++k)
    for (int j = 0; j < n[1]; ++j)
      for (int i = 0; i < n[0]; ++i) {
        const std::size_t at = a.grid.index(i, j, k);
        const bool from_a = ((i / block) + (j / block) + (k / block)) % 2 == 0;
        const double scale = from_a ? sa : sb;
        const float x = from_a ? a.data[at] : b.data[at];
        out.data[at] = scale > 0 ? static_cast<float>(std::min(1.0, std::max(0.0, x / scale))) : 0.0f;
      }
  return out;
}

std::shared_ptr<const StudyVerification> verify_study(const PlanStudy& s, const fs::path& root, const VerificationRequest& r) {
  if (std::find(s.post_images.begin(), s.post_images.end(), r.delivered) == s.post_images.end())
    fail_input(s.info.plan_file, "delivered", "(a name not among the study's post-treatment images)",
               "one of the NIfTI files or folders of the study folder that the plan does not name");
  const fs::path delivered = root / s.info.folder / r.delivered;
  if (!path_inside(root, delivered))
    fail_input(s.info.plan_file, "delivered", "(a path outside the data root)", "a file inside the server's data root (--data)");
  VerifyOptions o;
  o.delivered = delivered;
  o.modality = r.modality;
  o.hours_after_injection = r.hours_after_injection;
  o.register_images = r.register_images;
  o.administered_gbq = r.activity_gbq;
  const VerifyOutcome v = verify_patient(s.spec, o);

  auto out = std::make_shared<StudyVerification>();
  out->id = request_id(s.info.id, r);
  out->study_id = s.info.id;
  out->view = verification_view(v);
  out->view.mass_kg = out->view.planned_dose_gy = out->view.delivered_dose_gy = nullptr;  // v goes out of scope
  image::Volume<float> difference = v.delivered_dose_gy;
  for (std::size_t i = 0; i < difference.data.size(); ++i) difference.data[i] -= v.plan.dose_gy.data[i];
  out->volumes["planned_dose"] = nifti_gz_bytes(v.plan.dose_gy);
  out->volumes["delivered_dose"] = nifti_gz_bytes(v.delivered_dose_gy);
  out->volumes["dose_difference"] = nifti_gz_bytes(difference);
  // 8-voxel squares: a few per organ on the demo's 4 mm grid, small enough to show edges.
  out->volumes["registration_check"] = nifti_gz_bytes(registration_checkerboard(v.plan.planning_counts, v.delivered_dose_gy, 8));
  return out;
}

}  // namespace sirtkit::pipelines
