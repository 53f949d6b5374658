#pragma once
// `sirtkit response recist|mrecist lesions.csv`: lesion measurements per patient →
// time-point responses → best overall response (unconfirmed and confirmed).

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "clinical/response/best_response.h"
#include "clinical/response/irecist.h"
#include "clinical/response/landmark_response.h"
#include "clinical/response/recist.h"
#include "pipelines/clinical/clinical_tables.h"
#include "report/clinical/tumour_response.h"

namespace sirtkit::pipelines {

// Rendered by report/clinical/tumour_response.h.
using report::PatientResponse;
using report::ResponseOptions;
using report::ResponseReport;

// Lesion CSV: patient_id, date, lesion_id, kind (target|non_target|new), and optional organ,
// node (yes/no), diameter_mm (number, TSTM or NE), perpendicular_mm (EASL), status,
// typical_hcc (mRECIST new intrahepatic lesions), index_lesion (yes on one target per
// patient, used with index_lesion_only), treatment_start, slice_thickness_mm (baseline
// measurability: > 5 mm raises the minimum target size to twice the thickness).
ResponseReport response_from_csv(const CsvRows& csv, const ResponseOptions& opt);
ResponseReport run_response(const std::filesystem::path& lesions_csv, const ResponseOptions& opt);

}  // namespace sirtkit::pipelines
