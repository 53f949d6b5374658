#include "clinical/response/lirads_tr.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "core/text.h"
#include "core/error.h"
#include "core/format.h"

namespace sirtkit::clinical {

LrTr parse_lr_tr(const std::string& text, const std::string& where) {
  std::string t;
  for (char c : text)
    if (c != ' ' && c != '-' && c != '_') t += c;
  t = ascii_lower(t);
  if (t.rfind("lrtr", 0) == 0) t = t.substr(4);
  if (t == "nonviable") return LrTr::nonviable;
  if (t == "equivocal") return LrTr::equivocal;
  if (t == "nonevaluable") return LrTr::nonevaluable;
  if (t == "viable") return LrTr::viable;
  fail_input(where, "category", shown_value(text), "LR-TR Nonviable, Equivocal, Nonevaluable or Viable");
}

const char* lr_tr_name(LrTr c) {
  switch (c) {
    case LrTr::nonviable: return "LR-TR Nonviable";
    case LrTr::equivocal: return "LR-TR Equivocal";
    case LrTr::nonevaluable: return "LR-TR Nonevaluable";
    case LrTr::viable: return "LR-TR Viable";
  }
  return "?";
}

std::vector<LrTrPatientScan> aggregate_lr_tr(const std::vector<LrTrScan>& scans) {
  std::vector<LrTrPatientScan> out;
  for (size_t i = 0; i < scans.size(); ++i) {
    const LrTrScan& s = scans[i];
    if (i > 0 && !(scans[i - 1].date < s.date))
      fail_input("LI-RADS TR", "date", "(value not shown: a date)",
                 scans[i - 1].date == s.date ? "duplicate time point" : "dates out of order");
    if (s.observations.empty()) fail_input("LI-RADS TR", "date", "(value not shown: a date)", "at least one observation");
    LrTrPatientScan p;
    p.date = s.date;
    std::set<std::string> ids;
    for (const LrTrObservation& o : s.observations) {
      if (!ids.insert(o.observation_id).second)
        fail_input(o.where, "observation_id", "(value not shown)", "one category per observation and scan");
      if (o.viable_mm) {
        if (o.category != LrTr::viable)
          fail_input(o.where, "viable_mm", num(*o.viable_mm), "a viable-tissue size only for LR-TR Viable");
        if (!(*o.viable_mm >= 0) || *o.viable_mm > 500)
          fail_input(o.where, "viable_mm", num(*o.viable_mm), "0 to 500 mm");
        p.largest_viable_mm = std::max(p.largest_viable_mm, *o.viable_mm);
      }
      switch (o.category) {
        case LrTr::viable: ++p.viable; break;
        case LrTr::equivocal: ++p.equivocal; break;
        case LrTr::nonevaluable: ++p.nonevaluable; break;
        case LrTr::nonviable: ++p.nonviable; break;
      }
    }
    // The least certain category wins (see header)
    p.patient_category = p.viable ? LrTr::viable
                         : p.nonevaluable ? LrTr::nonevaluable
                         : p.equivocal ? LrTr::equivocal
                                       : LrTr::nonviable;
    out.push_back(p);
  }
  return out;
}

}  // namespace sirtkit::clinical
