#pragma once
// Number formatting for messages: enough digits to be unambiguous, never a
// silent rounding of a value that a user must act on.

#include <string>

namespace sirtkit {

// Shortest representation that round-trips (fmt's "{}" for double).
std::string num(double value);

// A count and its share, the one way every table writes it: "4 (14.3%)",
// one decimal; "4 (-)" when there is no denominator (n = 0).
std::string count_percent(long long k, long long n);
// "4/28 (14.3%)": the same with its denominator; "0/0 (-)" when n = 0.
std::string fraction_percent(long long k, long long n);

}  // namespace sirtkit
