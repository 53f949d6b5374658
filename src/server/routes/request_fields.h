#pragma once
// Reading and checking the fields of an API request; each refusal is an
// ApiError 400 naming the field (and the value when it is safe to repeat).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "server/routes/route_table.h"

namespace sirtkit::server {

// A value as an error may repeat it: only when short and plain (at most 40
// digits, letters, - _ . :), never free text or markup; else nullopt.
std::optional<std::string> safe_echo(const std::string& value);
// A positive integer path parameter (e.g. {id}).
long long path_id(const ApiRequest& rq, const std::string& name);
// An integer query parameter in [min, max]; `fallback` when absent.
long long int_param(const ApiRequest& rq, const std::string& name, long long fallback, long long min, long long max);
// A query parameter that must be one of `allowed` ("" when absent).
std::string choice_param(const ApiRequest& rq, const std::string& name, const std::vector<std::string>& allowed);
// A required string field of the JSON body; `echo` = the value may be repeated in an error.
std::string body_string(const ApiRequest& rq, const std::string& name);
std::optional<std::string> optional_body_string(const ApiRequest& rq, const std::string& name);
// Refuses a body field not in `known` (a typo must not pass silently).
void only_fields(const ApiRequest& rq, const std::vector<std::string>& known);

}  // namespace sirtkit::server
