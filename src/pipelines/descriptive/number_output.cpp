#include "pipelines/descriptive/number_output.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace sirtkit::pipelines {

std::string r_number_label(double d) {
  if (!std::isfinite(d)) return std::isnan(d) ? "NaN" : (d > 0 ? "Inf" : "-Inf");
  if (d == 0) return "0";
  // 15 significant digits in scientific form, then the digits actually needed.
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.14e", d);
  const std::string sci = buf;
  const auto epos = sci.find('e');
  const int exponent = std::atoi(sci.c_str() + epos + 1);
  std::string digits;
  for (std::size_t i = 0; i < epos; ++i)
    if (sci[i] >= '0' && sci[i] <= '9') digits += sci[i];
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  const int nsig = static_cast<int>(digits.size());
  const int neg = d < 0 ? 1 : 0;
  // formatReal: fixed width vs scientific width, fixed when not wider.
  const int rgt = std::max(0, nsig - exponent - 1);
  const int left = exponent >= 0 ? exponent + 1 : 1;
  const int width_fixed = neg + left + (rgt > 0 ? rgt + 1 : 0);
  const int width_sci = neg + (nsig > 1 ? nsig + 1 : 1) + (std::abs(exponent) >= 100 ? 5 : 4);
  if (width_fixed <= width_sci) return fmt::format("{:.{}f}", d, rgt);
  return fmt::format("{}{}{}{}e{}{:02d}", neg ? "-" : "", digits[0], nsig > 1 ? "." : "", std::string_view(digits).substr(1),
                     exponent < 0 ? '-' : '+', std::abs(exponent));
}

}  // namespace sirtkit::pipelines
