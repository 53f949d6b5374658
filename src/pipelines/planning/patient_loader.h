#pragma once
// Reads the images a plan names and puts them on one dose grid: the SPECT
// grid, or a cubic grid of the stated spacing over the SPECT field of view.
// Images on other grids are resampled only when the plan asks for it
// (labels, masks and CT density by nearest neighbour, so that each VOI keeps
// its own tissue's mass; counts by volume of overlap, conserving the total);
// otherwise the mismatch is refused, saying what differs. A CT that gives the
// density must look like its declared units (pipelines/planning/ct_units.h).

#include "dosimetry/planning/patient_data.h"
#include "pipelines/planning/plan_file.h"

namespace sirtkit::pipelines {

struct LoadedPatient {
  dosimetry::PatientData data;
  std::vector<std::string> notes;  // what was resampled, from which grid
  std::string frame_of_reference_uid;  // of the planning CT, when it came from DICOM
};

LoadedPatient load_patient(const PlanSpec& spec);

// A cubic grid of `spacing_mm` covering the same physical box as `g`.
image::Grid cubic_grid_over(const image::Grid& g, double spacing_mm);

}  // namespace sirtkit::pipelines
