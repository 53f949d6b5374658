#include "registry/derived/adverse_event_list.h"

#include "registry/store/schema.h"

namespace sirtkit::registry {

std::vector<ArmAdverseEvent> adverse_event_list(Store& store, const std::string& study) {
  require_current_schema(store);
  const ResultSet r = store.query(
      "SELECT p.pseudonym, COALESCE(a.code, '') AS arm, e.term, e.grade, e.onset_day FROM adverse_events e "
      "JOIN patients p ON p.id = e.patient_id JOIN studies st ON st.id = p.study_id LEFT JOIN arms a ON a.id = p.arm_id "
      "WHERE (? = '' OR st.code = ?) ORDER BY 2, p.pseudonym, e.onset_day, e.term",
      {study, study});
  std::vector<ArmAdverseEvent> out;
  out.reserve(r.size());
  for (std::size_t i = 0; i < r.size(); ++i)
    out.push_back({*r.at(i, "pseudonym"), *r.at(i, "arm"), *r.at(i, "term"), std::stoi(*r.at(i, "grade")),
                   std::stoi(*r.at(i, "onset_day"))});
  return out;
}

}  // namespace sirtkit::registry
