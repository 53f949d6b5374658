#pragma once
// How the analysis jobs write numbers: JSON null where R gives NA (NaN, Inf),
// and p-values in the readable tables.

#include <nlohmann/json.hpp>
#include <string>

namespace sirtkit::pipelines {

nlohmann::json json_or_null(double v);  // null unless finite
std::string table_p_value(double p);         // "NA", "1.23e-05" below 1e-4, else "0.0123"

}  // namespace sirtkit::pipelines
