#pragma once
// sirtkit::Error — the one exception type. Bad input never produces a number:
// it raises an Error naming the file, field, value and what was expected.

#include <stdexcept>
#include <string>

namespace sirtkit {

enum class ErrorCategory {
  internal,    // a bug in sirtkit
  bad_input,   // a file, field or argument the user can fix
  infeasible,  // a plan that cannot meet its goals within its constraints
  io,          // a file that cannot be read or written
};

class Error : public std::runtime_error {
 public:
  Error(ErrorCategory category, const std::string& message);
  ErrorCategory category() const { return category_; }

 private:
  ErrorCategory category_;
};

// CLI exit codes (DESIGN.md): 0 ok, 1 internal, 2 bad input, 3 infeasible, 4 I/O.
int exit_code(ErrorCategory category);
const char* category_name(ErrorCategory category);

// "<where>: <field> = <value>: <expected>" — the shape of every bad-input message.
[[noreturn]] void fail_input(const std::string& where, const std::string& field,
                             const std::string& value, const std::string& expected);
[[noreturn]] void fail_input(const std::string& message);
[[noreturn]] void fail_io(const std::string& path, const std::string& what);

}  // namespace sirtkit
