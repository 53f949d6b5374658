#include "clinical/response/response.h"

#include <cctype>
#include <string>

#include "core/text.h"
#include "core/error.h"

namespace sirtkit::clinical {

const char* response_name(Response r) {
  switch (r) {
    case Response::cr: return "CR";
    case Response::pr: return "PR";
    case Response::sd: return "SD";
    case Response::non_cr_non_pd: return "NON-CR/NON-PD";
    case Response::pd: return "PD";
    case Response::ne: return "NE";
    case Response::missing: return "MISSING";
    case Response::not_applicable: return "NA";
  }
  return "?";
}

Response parse_response(std::string_view text, std::string_view field) {
  std::string t;
  for (char c : text) t += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (Response r : {Response::cr, Response::pr, Response::sd, Response::non_cr_non_pd, Response::pd, Response::ne,
                     Response::missing, Response::not_applicable})
    if (t == response_name(r)) return r;
  fail_input("value", std::string(field), shown_value(text), "CR, PR, SD, NON-CR/NON-PD, PD or NE");
}

int response_rank(Response r) {
  switch (r) {
    case Response::cr: return 1;
    case Response::pr: return 2;
    case Response::sd: return 3;
    case Response::non_cr_non_pd: return 4;
    case Response::pd: return 5;
    case Response::ne: return 6;
    case Response::missing: return 7;
    case Response::not_applicable: return 8;
  }
  return 8;
}

}  // namespace sirtkit::clinical
