#include "registry/store/record_version.h"

namespace sirtkit::registry {

long long record_version(Store& store, const std::string& table, long long row_id) {
  const Value v = store.scalar("SELECT COUNT(*) FROM audit_log WHERE table_name = ? AND row_id = ? AND action IN ('INSERT', 'UPDATE')",
                               {table, std::to_string(row_id)});
  return v ? std::stoll(*v) : 0;
}

std::map<long long, long long> record_versions(Store& store, const std::string& table, const std::vector<long long>& row_ids) {
  std::map<long long, long long> out;
  // In chunks: SQLite allows at least 999 bound parameters per statement.
  constexpr std::size_t chunk = 500;
  for (std::size_t start = 0; start < row_ids.size(); start += chunk) {
    std::string marks;
    Params params{table};
    for (std::size_t i = start; i < std::min(row_ids.size(), start + chunk); ++i) {
      marks += marks.empty() ? "?" : ", ?";
      params.push_back(std::to_string(row_ids[i]));
    }
    for (const auto& row : store.query("SELECT row_id, COUNT(*) FROM audit_log WHERE table_name = ? AND action IN ('INSERT', 'UPDATE') AND row_id IN (" +
                                           marks + ") GROUP BY row_id",
                                       params)
                               .rows)
      out[std::stoll(*row[0])] = std::stoll(*row[1]);
  }
  return out;
}

}  // namespace sirtkit::registry
