#include "report/dicom/dicom_summaries.h"

#include <fmt/format.h>

#include "image/geometry_check.h"

namespace sirtkit::report {
namespace {

using nlohmann::json;

json grid_json(const image::Grid& g) {
  return {{"size", g.size}, {"spacing_mm", g.spacing_mm}, {"origin_mm", g.origin_mm}, {"direction", g.direction}};
}

}  // namespace

CommandOutput dicom_info_output(const DicomFolderInfo& info) {
  CommandOutput out;
  out.json = json::array();
  out.text = fmt::format("{} series in {}\n", info.series.size(), info.dir);
  for (const auto& s : info.series) {
    json j{{"series_uid", s.series_uid}, {"modality", s.modality},
           {"files", s.files.size()},    {"frames", s.frames}, {"frame_of_reference_uid", s.frame_of_reference_uid}};
    // No Series Description and no date: free text and dates read from a file may identify the patient.
    out.text += fmt::format("\n{}  {}  {} file(s), {} frame(s)\n", s.series_uid, s.modality, s.files.size(), s.frames);
    if (s.grid) {
      j["grid"] = grid_json(*s.grid);
      out.text += fmt::format("  size {}x{}x{}  spacing {:.4g} x {:.4g} x {:.4g} mm\n", s.grid->size[0], s.grid->size[1], s.grid->size[2],
                              s.grid->spacing_mm[0], s.grid->spacing_mm[1], s.grid->spacing_mm[2]);
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

CommandOutput dicom_conversion_output(const DicomConversion& c) {
  CommandOutput out;
  out.json = {{"series_uid", c.series_uid}, {"modality", c.modality}, {"units", c.units}, {"frame_of_reference_uid", c.frame_of_reference_uid},
              {"grid", grid_json(c.grid)},   {"output", c.output}};
  out.text = fmt::format("{} series {} ({}) -> {}\n{}\n", c.modality, c.series_uid, c.units, c.output, image::describe(c.grid));
  out.json["warnings"] = c.warnings;
  for (const auto& w : c.warnings) out.text += "warning: " + w + "\n";
  if (c.pet) {
    const io::PetDecayInfo& p = c.pet->decay;
    out.json["pet"] = {{"units", p.units}, {"decay_correction", p.decay_correction}, {"reference_time", c.pet->reference_time},
                       {"half_life_s", p.half_life_s}, {"injected_dose_bq", p.injected_dose_bq}, {"patient_weight_kg", p.patient_weight_kg}};
    out.text += fmt::format("PET decay correction {} (reference time {}), half-life {} s\n", p.decay_correction, c.pet->reference_time,
                            p.half_life_s);
  }
  return out;
}

CommandOutput dicom_contours_output(const DicomContours& c) {
  CommandOutput out;
  out.json = {{"frame_of_reference_uid", c.frame_of_reference_uid}, {"frame_of_reference_checked", c.frame_of_reference_checked},
              {"output", c.output}, {"rois", json::array()}};
  out.text = fmt::format("{} ROI(s) -> {}\n", c.rois.size(), c.output);
  for (const auto& roi : c.rois) {
    const double ml = roi.voxels * c.voxel_volume_ml;
    out.json["rois"].push_back({{"label", roi.number}, {"name", roi.name}, {"contours", roi.contours}, {"voxels", roi.voxels}, {"volume_ml", ml}});
    out.text += fmt::format("  label {:3}  {:<24} {:4} contour(s)  {:10.2f} mL\n", roi.number, roi.name, roi.contours, ml);
  }
  if (!c.frame_of_reference_checked)
    out.text += "note: the reference is NIfTI, which carries no frame of reference; give the DICOM series folder to have it checked\n";
  return out;
}

CommandOutput dicom_seg_output(const DicomSegmentationWritten& s) {
  CommandOutput out;
  out.json = {{"type", s.fractional ? "FRACTIONAL" : "BINARY"}, {"output", s.output}, {"segments", json::array()}};
  out.text = fmt::format("{} segmentation, {} segment(s) -> {}{}\n", s.fractional ? "fractional" : "binary", s.segments.size(), s.output,
                         s.fractional ? " (fraction of segment " + std::to_string(s.segments.front().number) + ")" : "");
  for (const auto& seg : s.segments) {
    out.json["segments"].push_back({{"label", seg.number}, {"name", seg.label}, {"volume_ml", seg.volume_ml}});
    out.text += fmt::format("  segment {:3}  {:<24} {:10.2f} mL\n", seg.number, seg.label, seg.volume_ml);
  }
  return out;
}

CommandOutput dicom_rtdose_output(const DicomRtdoseWritten& r) {
  CommandOutput out;
  out.json = {{"output", r.output}, {"frame_of_reference_uid", r.frame_of_reference_uid}, {"study_uid", r.study_uid},
              {"dose_grid_scaling", r.dose_grid_scaling_gy}, {"grid", grid_json(r.grid)}};
  out.text = fmt::format("RTDOSE -> {}\nframe of reference {} (series {}), Dose Grid Scaling {:.6g} Gy\n", r.output, r.frame_of_reference_uid,
                         r.series_uid, r.dose_grid_scaling_gy);
  return out;
}

CommandOutput dicom_deid_output(const io::DeidReport& r) {
  CommandOutput out;
  json refused = json::array();
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
      r.files_written, r.inputs, r.attributes_removed, r.private_removed, r.un_removed, r.uids_replaced, r.labels_replaced, r.dates_shifted);
  if (r.pixel_samples_cleaned > 0)
    out.text += fmt::format("  cleared the bits above Bits Stored in {} pixel sample(s) (a retired overlay place, PS3.5 8.1.2)\n", r.pixel_samples_cleaned);
  if (r.skipped_not_dicom > 0) out.text += fmt::format("  {} file(s) not DICOM, not copied\n", r.skipped_not_dicom);
  if (!r.refused.empty()) out.text += fmt::format("  {} file(s) refused, not written:\n", r.refused.size());
  for (const auto& f : r.refused) out.text += fmt::format("    input #{}: {}\n", f.input, f.reason);
  return out;
}

}  // namespace sirtkit::report
