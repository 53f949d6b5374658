#include "pipelines/clinical/clinical_reild.h"

#include <fmt/format.h>

#include <map>

#include "clinical/rule_result.h"
#include "clinical/units.h"
#include "core/error.h"
#include "core/format.h"

namespace sirtkit::pipelines {
using namespace sirtkit::clinical;

std::vector<ReildResult> reild_from_csv(const CsvRows& labs, const CsvRows& treatments, ReildDefinition def) {
  std::map<std::string, std::vector<ReildLab>> bili, alb;
  for (const LabRecord& r : lab_records_from_csv(labs, false)) {
    if (r.test != LabTest::bilirubin && r.test != LabTest::albumin) continue;
    const Quantity q{r.value, r.unit, num(r.value) + " " + r.unit};
    double v;
    try {
      v = r.test == LabTest::bilirubin ? bilirubin_mg_dl(q, "bilirubin") : albumin_g_dl(q, "albumin");
    } catch (const Error& e) {
      throw Error(e.category(), r.where + ": " + e.what());
    }
    const double f = v / r.value;  // same conversion for the reference range
    ReildLab l{r.date, v, r.lln ? std::optional<double>(*r.lln * f) : std::nullopt,
               r.uln ? std::optional<double>(*r.uln * f) : std::nullopt};
    (r.test == LabTest::bilirubin ? bili : alb)[r.patient_id].push_back(l);
  }
  const std::size_t c_pid =
      treatments.column("patient") ? *treatments.column("patient") : treatments.require_column("patient_id");
  const std::size_t c_date = treatments.require_column("treatment_date");
  const std::size_t c_asc = treatments.require_column("ascites");
  const std::size_t c_prog = treatments.require_column("tumour_progression");
  const std::size_t c_obs = treatments.require_column("biliary_obstruction");
  std::vector<ReildResult> out;
  for (std::size_t i = 0; i < treatments.rows.size(); ++i) {
    const auto& row = treatments.rows[i];
    const std::string w = treatments.where(i);
    auto flag = [&](std::size_t col, const char* name) -> std::optional<bool> {
      const std::string& t = row[col];
      if (t.empty() || t == "NA") return std::nullopt;
      return parse_yes_no(t, w + " " + name);
    };
    ReildCase c;
    c.patient_id = row[c_pid];
    if (c.patient_id.empty()) fail_input(w, "patient_id", "''", "a patient identifier");
    c.treatment = parse_date(row[c_date], w + " treatment_date");
    c.ascites = flag(c_asc, "ascites");
    c.tumour_progression = flag(c_prog, "tumour_progression");
    c.biliary_obstruction = flag(c_obs, "biliary_obstruction");
    c.bilirubin = bili[c.patient_id];
    c.albumin = alb[c.patient_id];
    out.push_back(assess_reild(c, def));
  }
  return out;
}

std::vector<ReildResult> run_reild(const std::filesystem::path& labs_csv, const std::filesystem::path& treatments_csv,
                                   ReildDefinition def) {
  return reild_from_csv(read_csv(labs_csv), read_csv(treatments_csv), def);
}

}  // namespace sirtkit::pipelines
