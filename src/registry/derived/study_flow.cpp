#include "registry/derived/study_flow.h"

#include <map>

#include "registry/store/schema.h"

namespace sirtkit::registry {

StudyFlow study_flow(Store& store, const std::string& study) {
  require_current_schema(store);
  const ResultSet r = store.query(
      "SELECT COALESCE(a.code, '') AS arm, "
      "EXISTS (SELECT 1 FROM treatments t WHERE t.patient_id = p.id AND t.kind = 'sirt') AS sirt, "
      "EXISTS (SELECT 1 FROM treatments t WHERE t.patient_id = p.id) AS any_treatment "
      "FROM patients p JOIN studies st ON st.id = p.study_id LEFT JOIN arms a ON a.id = p.arm_id "
      "WHERE (? = '' OR st.code = ?)",
      {study, study});
  std::map<std::string, ArmFlow> by_arm;
  StudyFlow flow;
  for (std::size_t i = 0; i < r.size(); ++i) {
    const std::string arm = *r.at(i, "arm");
    ArmFlow& a = by_arm[arm];
    a.arm = arm;
    ++a.allocated;
    ++flow.registered;
    // SQLite gives 0/1, PostgreSQL t/f for a boolean.
    const auto yes = [](const Value& v) { return v && (*v == "1" || *v == "t" || *v == "true"); };
    if (yes(r.at(i, "sirt"))) ++a.received_sirt;
    else if (yes(r.at(i, "any_treatment"))) ++a.received_other_only;
    else ++a.untreated;
  }
  for (auto& [code, a] : by_arm)
    if (!code.empty()) flow.arms.push_back(a);
  if (by_arm.count("")) flow.arms.push_back(by_arm[""]);
  return flow;
}

}  // namespace sirtkit::registry
