#pragma once
// The de-identified data sets as downloads for `sirtkit serve` (issue 13 item 3,
// "data export by role"): the same registry code and bytes as `sirtkit registry
// export` (REDCap-shaped CSV and its dictionary, registry/redcap/redcap_export.h) and
// `sirtkit registry derive` (ADaM ADTTE, registry/derived/time_to_event.h; ADRS,
// registry/derived/tumour_response.h), restricted to the patients of a site scope.
//
// `without_dates`: the statistician's sets carry no calendar date at all, as
// the statistician's patient view (the registry keeps one, the shifted index
// date, and every date of the downloads derives from it): the registry CSV
// loses the fields its dictionary validates as dates, ADTTE and ADRS every
// ADaM date column (a name ending in DT or DTM).

#include <set>
#include <string>

#include "registry/derived/patient_view.h"
#include "registry/store/store.h"

namespace sirtkit::pipelines {

struct Download {
  std::string filename;  // suggested file name
  std::string csv;
};

Download download_registry(registry::Store& store, const registry::SiteScope& scope, bool without_dates);
Download download_dictionary();
// endpoint os | pfs | ttp (origin: the index date); AVAL in months when `months`.
Download download_adtte(registry::Store& store, const registry::SiteScope& scope, const std::string& endpoint, bool months,
                        bool without_dates);
// criteria recist | mrecist.
Download download_adrs(registry::Store& store, const registry::SiteScope& scope, const std::string& criteria, bool without_dates);

// The CSV without the named columns (RFC 4180 in and out).
std::string csv_without_columns(const std::string& csv, const std::string& source, const std::set<std::string>& names);

}  // namespace sirtkit::pipelines
