#include "core/error.h"

namespace sirtkit {

Error::Error(ErrorCategory category, const std::string& message)
    : std::runtime_error(message), category_(category) {}

int exit_code(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::internal: return 1;
    case ErrorCategory::bad_input: return 2;
    case ErrorCategory::infeasible: return 3;
    case ErrorCategory::io: return 4;
  }
  return 1;
}

const char* category_name(ErrorCategory category) {
  switch (category) {
    case ErrorCategory::internal: return "internal error";
    case ErrorCategory::bad_input: return "bad input";
    case ErrorCategory::infeasible: return "infeasible";
    case ErrorCategory::io: return "I/O error";
  }
  return "error";
}

void fail_input(const std::string& where, const std::string& field, const std::string& value,
                const std::string& expected) {
  throw Error(ErrorCategory::bad_input,
              where + ": " + field + " = " + value + ": " + expected);
}

void fail_input(const std::string& message) { throw Error(ErrorCategory::bad_input, message); }

void fail_io(const std::string& path, const std::string& what) {
  throw Error(ErrorCategory::io, path + ": " + what);
}

}  // namespace sirtkit
