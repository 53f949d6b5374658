#pragma once
// Number formatting for messages: enough digits to be unambiguous, never a
// silent rounding of a value that a user must act on.

#include <string>

namespace sirtkit {

// Shortest representation that round-trips (fmt's "{}" for double).
std::string num(double value);

}  // namespace sirtkit
