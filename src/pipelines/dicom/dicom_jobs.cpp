#include "pipelines/dicom/dicom_jobs.h"

#include <cstdlib>
#include <fmt/format.h>

#include "core/error.h"
#include "image/geometry_check.h"
#include "io/dicom_deid.h"
#include "io/dicom_seg.h"
#include "io/dicom_series.h"
#include "io/dicom_tags.h"
#include "io/nifti.h"
#include "io/rtdose.h"
#include "io/rtstruct.h"

namespace sirtkit::pipelines {
namespace {

namespace fs = std::filesystem;

nlohmann::json grid_json(const image::Grid& g) {
  return {{"size", g.size}, {"spacing_mm", g.spacing_mm}, {"origin_mm", g.origin_mm}, {"direction", g.direction}};
}

// The grid (and frame of reference, if DICOM) the contours are placed on.
struct Reference {
  image::Grid grid;
  std::string frame_of_reference_uid;  // "" for NIfTI: cannot be checked
};

Reference reference_of(const fs::path& reference, const std::string& series_uid) {
  if (fs::is_directory(reference)) {
    const io::DicomVolume v = io::read_dicom_series(reference, series_uid);
    return {v.volume.grid, v.frame_of_reference_uid};
  }
  return {io::read_nifti_float(reference).grid, ""};
}

}  // namespace

DicomJobOutput dicom_info(const fs::path& dir) {
  DicomJobOutput out;
  out.json = nlohmann::json::array();
  const auto series = io::list_dicom_series(dir);
  out.text = fmt::format("{} series in {}\n", series.size(), dir.string());
  for (const auto& s : series) {
    // Values read from the files are shown only when they are what they claim
    // to be (a UID, a modality): a hostile file can put a name anywhere.
    const std::string uid = io::dicom::shown_uid(s.series_uid), modality = io::dicom::shown_modality(s.modality);
    nlohmann::json j{{"series_uid", uid},        {"modality", modality},
                     {"files", s.files.size()}, {"frames", s.frames}, {"frame_of_reference_uid", io::dicom::shown_uid(s.frame_of_reference_uid)}};
    // No Series Description and no date: free text and dates read from a file may identify the patient.
    out.text += fmt::format("\n{}  {}  {} file(s), {} frame(s)\n", uid, modality, s.files.size(), s.frames);
    if (s.grid) {
      j["grid"] = grid_json(*s.grid);
      out.text += fmt::format("  size {}x{}x{}  spacing {:.4g} x {:.4g} x {:.4g} mm\n", s.grid->size[0], s.grid->size[1],
                              s.grid->size[2], s.grid->spacing_mm[0], s.grid->spacing_mm[1], s.grid->spacing_mm[2]);
    } else if (!s.problem.empty()) {
      j["problem"] = s.problem;
      out.text += "  not readable as a volume: " + s.problem + "\n";
    }
    j["warnings"] = s.warnings;
    for (const auto& w : s.warnings) out.text += "  warning: " + w + "\n";
    out.json.push_back(j);
  }
  return out;
}

DicomJobOutput dicom_to_nifti(const fs::path& dir, const fs::path& out_nifti, const std::string& series_uid) {
  const io::DicomVolume v = io::read_dicom_series(dir, series_uid);
  io::write_nifti(out_nifti, v.volume);
  DicomJobOutput out;
  const std::string uid = io::dicom::shown_uid(v.series_uid), modality = io::dicom::shown_modality(v.modality);
  out.json = {{"series_uid", uid}, {"modality", modality}, {"units", v.units}, {"frame_of_reference_uid", io::dicom::shown_uid(v.frame_of_reference_uid)},
              {"grid", grid_json(v.volume.grid)}, {"output", out_nifti.string()}};
  out.text = fmt::format("{} series {} ({}) -> {}\n{}\n", modality, uid, v.units, out_nifti.string(),
                         image::describe(v.volume.grid));
  out.json["warnings"] = v.warnings;
  for (const auto& w : v.warnings) out.text += "warning: " + w + "\n";
  if (v.pet) {
    out.json["pet"] = {{"units", v.pet->units}, {"decay_correction", v.pet->decay_correction},
                       {"reference_time", io::time_of_day(v.pet->reference_datetime)}, {"half_life_s", v.pet->half_life_s},
                       {"injected_dose_bq", v.pet->injected_dose_bq}, {"patient_weight_kg", v.pet->patient_weight_kg}};
    // The time of day only: the date of a scan identifies (PS3.15 E.1-1).
    out.text += fmt::format("PET decay correction {} (reference time {}), half-life {} s\n", v.pet->decay_correction,
                            io::time_of_day(v.pet->reference_datetime), v.pet->half_life_s);
  }
  return out;
}

DicomJobOutput dicom_contours(const fs::path& rtstruct, const fs::path& reference, const fs::path& out_labels,
                              const std::string& series_uid) {
  const Reference ref = reference_of(reference, series_uid);
  const io::RtStructLabels r = io::read_rtstruct(rtstruct, ref.grid, ref.frame_of_reference_uid);
  io::write_nifti(out_labels, r.labels);
  DicomJobOutput out;
  out.json = {{"frame_of_reference_uid", io::dicom::shown_uid(r.frame_of_reference_uid)}, {"frame_of_reference_checked", !ref.frame_of_reference_uid.empty()},
              {"output", out_labels.string()}, {"rois", nlohmann::json::array()}};
  out.text = fmt::format("{} ROI(s) -> {}\n", r.rois.size(), out_labels.string());
  for (const auto& roi : r.rois) {
    const double ml = roi.voxels * ref.grid.voxel_volume_ml();
    out.json["rois"].push_back({{"label", roi.number}, {"name", roi.name}, {"contours", roi.contours}, {"voxels", roi.voxels}, {"volume_ml", ml}});
    out.text += fmt::format("  label {:3}  {:<24} {:4} contour(s)  {:10.2f} mL\n", roi.number, roi.name, roi.contours, ml);
  }
  if (ref.frame_of_reference_uid.empty())
    out.text += "note: the reference is NIfTI, which carries no frame of reference; give the DICOM series folder to have it checked\n";
  return out;
}

DicomJobOutput dicom_seg(const fs::path& seg, const fs::path& reference, const fs::path& out_nifti, const std::string& series_uid) {
  const Reference ref = reference_of(reference, series_uid);
  const io::DicomSegmentation s = io::read_dicom_seg(seg, ref.grid, ref.frame_of_reference_uid);
  DicomJobOutput out;
  out.json = {{"type", s.fractional ? "FRACTIONAL" : "BINARY"}, {"output", out_nifti.string()}, {"segments", nlohmann::json::array()}};
  if (s.fractional) io::write_nifti(out_nifti, s.fractions.front());
  else io::write_nifti(out_nifti, s.labels);
  out.text = fmt::format("{} segmentation, {} segment(s) -> {}{}\n", s.fractional ? "fractional" : "binary", s.segments.size(),
                         out_nifti.string(), s.fractional ? " (fraction of segment " + std::to_string(s.segments.front().number) + ")" : "");
  for (const auto& seg_info : s.segments) {
    out.json["segments"].push_back({{"label", seg_info.number}, {"name", seg_info.label}, {"volume_ml", seg_info.volume_ml}});
    out.text += fmt::format("  segment {:3}  {:<24} {:10.2f} mL\n", seg_info.number, seg_info.label, seg_info.volume_ml);
  }
  return out;
}

DicomJobOutput dicom_rtdose(const fs::path& dose_nifti, const fs::path& ct_dir, const fs::path& out_dcm, const std::string& series_uid) {
  const image::Volume<float> dose = io::read_nifti_float(dose_nifti);
  const io::DicomReference ref = io::read_dicom_reference(ct_dir, series_uid);
  const double scaling = io::write_rtdose(out_dcm, dose, ref);
  DicomJobOutput out;
  out.json = {{"output", out_dcm.string()}, {"frame_of_reference_uid", io::dicom::shown_uid(ref.frame_of_reference_uid)}, {"study_uid", io::dicom::shown_uid(ref.study_uid)},
              {"dose_grid_scaling", scaling}, {"grid", grid_json(dose.grid)}};
  out.text = fmt::format("RTDOSE -> {}\nframe of reference {} (series {}), Dose Grid Scaling {:.6g} Gy\n", out_dcm.string(),
                         io::dicom::shown_uid(ref.frame_of_reference_uid), io::dicom::shown_uid(ref.series_uid), scaling);
  return out;
}

DicomJobOutput dicom_deid(const fs::path& in_dir, const fs::path& out_dir, const std::string& key_file, const io::DeidOptions& options) {
  std::string path = key_file;
  if (path.empty())
    if (const char* env = std::getenv("SIRTKIT_REGISTRY_KEY"); env && *env) path = env;
  if (path.empty()) fail_input("deid", "--key", "(missing)", "a key file, given by --key or $SIRTKIT_REGISTRY_KEY");
  const std::string key = io::read_deid_key(path);
  const io::DeidReport r = io::deidentify_folder(in_dir, out_dir, key, options);
  // Inputs are named by index only, and no folder is repeated: a path or a
  // value read from an input may name the patient.
  DicomJobOutput out;
  nlohmann::json refused = nlohmann::json::array();
  for (const auto& f : r.refused) refused.push_back({{"input", f.input}, {"reason", f.reason}});
  out.json = {{"inputs", r.inputs},
              {"files_written", r.files_written},
              {"skipped_not_dicom", r.skipped_not_dicom},
              {"refused", refused},
              {"attributes_removed", r.attributes_removed},
              {"private_removed", r.private_removed},
              {"un_removed", r.un_removed},
              {"uids_replaced", r.uids_replaced},
              {"dates_shifted", r.dates_shifted},
              {"labels_replaced", r.labels_replaced},
              {"pixel_samples_cleaned", r.pixel_samples_cleaned}};
  out.text = fmt::format(
      "de-identified {} of {} input file(s) -> OUT_DIR\n"
      "  removed {} attribute(s), {} private and {} of VR UN; replaced {} UID(s) and {} label(s); shifted {} date(s)\n",
      r.files_written, r.inputs, r.attributes_removed, r.private_removed, r.un_removed, r.uids_replaced, r.labels_replaced,
      r.dates_shifted);
  if (r.pixel_samples_cleaned > 0)
    out.text += fmt::format("  cleared the bits above Bits Stored in {} pixel sample(s) (a retired overlay place, PS3.5 8.1.2)\n", r.pixel_samples_cleaned);
  if (r.skipped_not_dicom > 0) out.text += fmt::format("  {} file(s) not DICOM, not copied\n", r.skipped_not_dicom);
  if (!r.refused.empty()) out.text += fmt::format("  {} file(s) refused, not written:\n", r.refused.size());
  for (const auto& f : r.refused) out.text += fmt::format("    input #{}: {}\n", f.input, f.reason);
  return out;
}

}  // namespace sirtkit::pipelines
