#include "report/command_output.h"

namespace sirtkit::report {

std::string json_document(const nlohmann::json& json, bool replace_invalid_utf8) {
  const auto handler = replace_invalid_utf8 ? nlohmann::json::error_handler_t::replace : nlohmann::json::error_handler_t::strict;
  return json.dump(2, ' ', false, handler) + "\n";
}

}  // namespace sirtkit::report
