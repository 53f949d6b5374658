#pragma once
// The name of the operating-system user running sirtkit: the default actor of the audit
// trail for command-line writes ($USER, else the password database, else "uid-N").

#include <string>

namespace sirtkit {

std::string os_user_name();

}  // namespace sirtkit
