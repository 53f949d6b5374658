#pragma once
// Factor labels of numeric levels as R writes them. The number formatting of
// results (JSON null for NA, p-values) is report/number_output.h's; the jobs
// not yet rendered in report/ reach it through these names.

#include <string>

#include "report/number_output.h"

namespace sirtkit::pipelines {

using report::json_array_or_null;
using report::json_number;
using report::json_or_null;
using report::table_p_value;

// A number as R's as.character(<double>) writes it, which is how factor()
// labels numeric levels (survfit strata "g=1e+05", coxph terms "g1e-04"): at
// most 15 significant digits, trailing zeros dropped, and fixed notation
// unless scientific is shorter (formatReal, scipen = 0): 100000 -> "1e+05",
// 123456 -> "123456", 0.0001 -> "1e-04", 0.00012 -> "0.00012".
std::string r_number_label(double d);

}  // namespace sirtkit::pipelines
