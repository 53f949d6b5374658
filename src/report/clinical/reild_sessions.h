#pragma once
// Text and JSON of radioembolization-induced liver disease per SIRT session
// (`sirtkit reild`): the verdict and its reasons, and the count.

#include <string>
#include <vector>

#include "clinical/toxicity/reild.h"

namespace sirtkit::report {

std::string reild_text(const std::vector<clinical::ReildResult>& r);
std::string reild_json(const std::vector<clinical::ReildResult>& r);

}  // namespace sirtkit::report
