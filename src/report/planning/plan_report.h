#pragma once
// Human and machine forms of a plan: terminal summary, JSON (schema
// "sirtkit.plan/1", docs/plan-json.md), DVH as CSV, and an HTML report with
// the DVH drawn as SVG.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "dosimetry/prescription/bsa_method.h"
#include "dosimetry/prescription/devices.h"
#include "dosimetry/prescription/dose_model.h"
#include "dosimetry/planning/planner.h"

namespace sirtkit::report {

// An input of the plan and the SHA-256 of its bytes (a DICOM folder: of the
// sorted list of its files' names and hashes), so a report names exactly what
// it was computed from.
struct InputFile {
  std::string role;    // "plan file", "CT", "SPECT", "labels", a VOI name
  std::string name;    // the file or folder name, without the folders above it
  std::string sha256;  // lower-case hex
};

// The electronic signature of an approved plan (the workspace's sign-off,
// docs/server.md): who signed, in which role, when, with which meaning, the
// version it made, and the SHA-256 of the signed plan document (JSON).
struct PlanSignature {
  std::string signed_by;
  std::string role;
  std::string signed_utc;  // ISO 8601 UTC
  std::string meaning;     // "approved"
  long long version = 0;
  std::string plan_sha256;  // of the plan JSON's bytes; empty inside that JSON itself
};

struct PlanContext {
  std::string patient_id;
  std::vector<InputFile> inputs;
  std::string generated_utc;  // when the plan was computed, ISO 8601 UTC
  std::string operator_name;  // who ran it (--operator), "" when not given
  std::optional<PlanSignature> signature;  // only in the documents of an approved version
  std::string plan_file;
  std::string device;             // "glass" or "resin"
  std::string approach;           // as the plan named it
  std::string dose_constant_source;
  double half_life_h = 0;
  double mean_energy_mev = 0;
  std::vector<std::string> notes;  // resampling and other facts worth knowing
  std::optional<dosimetry::BsaPrescription> bsa;
  dosimetry::RadiobiologyParameters tumour_radiobiology, normal_radiobiology;
  dosimetry::LkbParameters liver_ntcp;
  dosimetry::TcpParameters tumour_tcp;
  double elapsed_s = 0;
};

struct PlanView {
  const PlanContext& context;
  const dosimetry::DoseModel& model;
  const dosimetry::PlanResult& result;
  const std::vector<dosimetry::VialChoice>& vials;
  const image::Volume<float>* dose_gy = nullptr;  // the combined dose map, for the slice view in HTML
};

std::string plan_summary_text(const PlanView& plan);

// Decimals for a check's value and margin: 2, or more when 2 would print a
// value on the wrong side of its limit (a failed 204.9999992 >= 205 shows as
// 204.9999992, never as 205.00), so the verdict agrees with the number shown.
int check_digits(const dosimetry::Check& check);
// "3.456 GBq", "no limit up to 1000 GBq", "none (broken at 0 GBq)".
std::string bound_text(double gbq);
std::string plan_json(const PlanView& plan);
// The same document as a value (the server answers it without re-parsing).
nlohmann::json plan_json_value(const PlanView& plan);
// What a what-if changes (schema sirtkit.what-if/1, docs/server.md): status,
// findings, injections (activities, vials), lung dose, goals, constraints and
// each VOI's dose metrics and DVH, the same numbers as plan_json_value; not the
// VOIs' radiobiology, nor the parts that do not depend on the activities. The
// DVH as voxel counts at or above each step when they give its points exactly.
nlohmann::json what_if_json_value(const PlanView& plan);
std::string dvh_csv(const dosimetry::Evaluation& evaluation);
std::string plan_html(const PlanView& plan);
// The plan report as a PDF (A4, fonts embedded): the same tables as the HTML,
// the inputs with their SHA-256, the DVH and dose slice as vectors, and a
// signature block. The file's bytes.
std::string plan_pdf(const PlanView& plan);

}  // namespace sirtkit::report
