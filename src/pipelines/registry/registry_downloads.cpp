#include "pipelines/registry/registry_downloads.h"

#include <set>

#include "io/text_formats/csv_table.h"
#include "registry/redcap/redcap_export.h"
#include "registry/derived/time_to_event.h"
#include "registry/derived/tumour_response.h"
#include "core/csv_text.h"

namespace sirtkit::pipelines {
namespace {

// ADaM names a date *DT and a date-time *DTM (ADaM IG 1.3 section 3.1.4).
bool is_adam_date(const std::string& name) {
  const auto ends_with = [&](const char* s) { return name.size() > std::string(s).size() && name.ends_with(s); };
  return ends_with("DT") || ends_with("DTM");
}

// The REDCap fields validated as dates or date-times by the dictionary.
std::set<std::string> redcap_date_fields(const std::string& dictionary_csv) {
  const io::CsvTable d = io::CsvTable::parse(dictionary_csv, "registry dictionary");
  const std::size_t name = d.column_index("Variable / Field Name");
  const std::size_t validation = d.column_index("Text Validation Type OR Show Slider Number");
  std::set<std::string> out;
  for (std::size_t r = 0; r < d.rows(); ++r)
    if (d.cell(r, validation).rfind("date", 0) == 0) out.insert(d.cell(r, name));
  return out;
}

Download adam_scoped(Download d, bool without_dates) {
  if (!without_dates) return d;
  const io::CsvTable t = io::CsvTable::parse(d.csv, d.filename);
  std::set<std::string> dates;
  for (const auto& h : t.header())
    if (is_adam_date(h)) dates.insert(h);
  d.csv = csv_without_columns(d.csv, d.filename, dates);
  return d;
}

}  // namespace

std::string csv_without_columns(const std::string& csv, const std::string& source, const std::set<std::string>& names) {
  const io::CsvTable t = io::CsvTable::parse(csv, source);
  std::vector<std::size_t> kept;
  std::vector<std::string> header;
  for (std::size_t c = 0; c < t.columns(); ++c)
    if (!names.count(t.header()[c])) {
      kept.push_back(c);
      header.push_back(t.header()[c]);
    }
  if (kept.size() == t.columns()) return csv;
  std::string out = csv_line(header);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    std::vector<std::string> row;
    for (std::size_t c : kept) row.push_back(t.cell(r, c));
    out += csv_line(row);
  }
  return out;
}

Download download_registry(registry::Store& store, const registry::SiteScope& scope, bool without_dates) {
  const registry::ExportResult e = registry::export_redcap(store, "", scope);
  Download d{"registry_deid.csv", e.data_csv};
  if (without_dates) d.csv = csv_without_columns(d.csv, d.filename, redcap_date_fields(e.dictionary_csv));
  return d;
}

Download download_dictionary() { return {"registry_deid_dictionary.csv", registry::catalogue_dictionary_csv()}; }

Download download_adtte(registry::Store& store, const registry::SiteScope& scope, const std::string& endpoint, bool months,
                        bool without_dates) {
  registry::TteOptions o;
  o.endpoint = registry::parse_endpoint(endpoint);
  o.site_ids = scope;
  return adam_scoped({"adtte_" + endpoint + ".csv", registry::adtte_csv(registry::derive_time_to_event(store, o), months)}, without_dates);
}

Download download_adrs(registry::Store& store, const registry::SiteScope& scope, const std::string& criteria, bool without_dates) {
  registry::ResponseDerivationOptions o;
  o.criteria = registry::parse_response_criteria(criteria);
  o.sites = scope;
  return adam_scoped({"adrs_" + criteria + ".csv", registry::adrs_csv(registry::derive_tumour_response(store, o))}, without_dates);
}

}  // namespace sirtkit::pipelines
