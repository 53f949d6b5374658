#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/json_text_output.h"
#include "pipelines/dicom/dicom_jobs.h"

namespace sirtkit::cli {
namespace {

struct DicomArgs {
  std::string in, out, reference, extra, series, key;
  bool json = false;
  std::vector<std::string> keep_private;
  bool skip_refused = false;
};

}  // namespace

void add_dicom_commands(CLI::App& app) {
  auto a = std::make_shared<DicomArgs>();

  CLI::App* deid = app.add_subcommand("deid", "De-identify a DICOM folder (whitelist; PS3.15 modified dates, keyed UIDs)");
  deid->add_option("IN_DIR", a->in, "folder of DICOM files")->required();
  deid->add_option("OUT_DIR", a->out, "absent or empty output folder")->required();
  deid->add_option("--key", a->key, "HMAC key file (>= 32 bytes; default $SIRTKIT_REGISTRY_KEY)");
  deid->add_option("--keep-private", a->keep_private, "keep a numeric private attribute: GGGG,xxEE,CREATOR (repeatable)");
  deid->add_flag("--skip-refused", a->skip_refused, "write the files that pass and report the refused ones (burned-in text, duplicates)");
  deid->add_flag("--json", a->json, "print the report as JSON");
  deid->callback([a] {
    io::DeidOptions options;
    for (const auto& spec : a->keep_private) options.keep_private.push_back(io::parse_private_attribute(spec));
    options.skip_refused = a->skip_refused;
    const report::CommandOutput o = report::dicom_deid_output(pipelines::dicom_deid(a->in, a->out, a->key, options));
    // Replaces bytes that are not UTF-8 rather than throwing after the files are written.
    std::fputs(a->json ? report::json_document(o.json, true).c_str() : o.text.c_str(), stdout);
  });

  CLI::App* dicom = app.add_subcommand("dicom", "DICOM series, contours and dose");
  dicom->require_subcommand(1);

  CLI::App* info = dicom->add_subcommand("info", "List the series in a folder (UID, modality, size, spacing)");
  info->add_option("DIR", a->in, "folder of DICOM files")->required();
  info->add_flag("--json", a->json, "print as JSON");
  info->callback([a] { print_json_or_text(report::dicom_info_output(pipelines::dicom_info(a->in)), a->json); });

  CLI::App* nifti = dicom->add_subcommand("to-nifti", "Convert one image series to NIfTI");
  nifti->add_option("DIR", a->in, "folder of DICOM files, or one multi-frame file")->required();
  nifti->add_option("OUT", a->out, "output .nii or .nii.gz")->required();
  nifti->add_option("--series", a->series, "Series Instance UID (needed when the folder holds several)");
  nifti->add_flag("--json", a->json, "print as JSON");
  nifti->callback([a] { print_json_or_text(report::dicom_conversion_output(pipelines::dicom_to_nifti(a->in, a->out, a->series)), a->json); });

  CLI::App* contours = dicom->add_subcommand("contours", "Rasterise RTSTRUCT contours onto a reference image (label = ROI number)");
  contours->add_option("RTSTRUCT", a->in, "RT Structure Set file")->required();
  contours->add_option("REFERENCE", a->reference, "reference NIfTI, or DICOM series folder (frame of reference checked)")->required();
  contours->add_option("OUT_LABELS", a->out, "output label map .nii.gz")->required();
  contours->add_option("--series", a->series, "series UID in a REFERENCE folder holding several");
  contours->add_flag("--json", a->json, "print as JSON");
  contours->callback([a] { print_json_or_text(report::dicom_contours_output(pipelines::dicom_contours(a->in, a->reference, a->out, a->series)), a->json); });

  CLI::App* seg = dicom->add_subcommand("seg", "DICOM SEG onto a reference image (binary: label map; fractional: fraction map)");
  seg->add_option("SEG", a->in, "Segmentation file")->required();
  seg->add_option("REFERENCE", a->reference, "reference NIfTI, or DICOM series folder (frame of reference checked)")->required();
  seg->add_option("OUT", a->out, "output .nii.gz")->required();
  seg->add_option("--series", a->series, "series UID in a REFERENCE folder holding several");
  seg->add_flag("--json", a->json, "print as JSON");
  seg->callback([a] { print_json_or_text(report::dicom_seg_output(pipelines::dicom_seg(a->in, a->reference, a->out, a->series)), a->json); });

  CLI::App* rtdose = dicom->add_subcommand("rtdose", "Write a dose map (NIfTI, Gy) as RTDOSE in a CT's frame of reference");
  rtdose->add_option("DOSE", a->in, "dose map .nii.gz in Gy")->required();
  rtdose->add_option("CT_DIR", a->reference, "planning CT series folder (or one of its files)")->required();
  rtdose->add_option("OUT", a->out, "output RTDOSE .dcm")->required();
  rtdose->add_option("--series", a->series, "CT series UID in a folder holding several");
  rtdose->add_flag("--json", a->json, "print as JSON");
  rtdose->callback([a] { print_json_or_text(report::dicom_rtdose_output(pipelines::dicom_rtdose(a->in, a->reference, a->out, a->series)), a->json); });
}

}  // namespace sirtkit::cli
