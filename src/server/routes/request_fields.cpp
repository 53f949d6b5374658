#include "server/routes/request_fields.h"

#include <algorithm>
#include <charconv>

namespace sirtkit::server {
namespace {

std::optional<long long> parse_int(const std::string& s) {
  long long v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

}  // namespace

std::optional<std::string> safe_echo(const std::string& v) {
  if (v.size() > 40) return std::nullopt;
  for (char c : v)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.' && c != ':') return std::nullopt;
  return v;
}

long long path_id(const ApiRequest& rq, const std::string& name) {
  const auto it = rq.path_params.find(name);
  const std::string v = it == rq.path_params.end() ? "" : it->second;
  const auto n = parse_int(v);
  if (!n || *n <= 0) throw ApiError(400, "bad_field", "expected a positive integer", name, safe_echo(v));
  return *n;
}

long long int_param(const ApiRequest& rq, const std::string& name, long long fallback, long long min, long long max) {
  const std::string v = rq.param(name);
  if (v.empty()) return fallback;
  const auto n = parse_int(v);
  if (!n || *n < min || *n > max)
    throw ApiError(400, "bad_field", "expected an integer from " + std::to_string(min) + " to " + std::to_string(max), name, safe_echo(v));
  return *n;
}

std::string choice_param(const ApiRequest& rq, const std::string& name, const std::vector<std::string>& allowed) {
  const std::string v = rq.param(name);
  if (v.empty() || std::find(allowed.begin(), allowed.end(), v) != allowed.end()) return v;
  std::string list;
  for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
  throw ApiError(400, "bad_field", "expected one of: " + list, name, safe_echo(v));
}

std::optional<std::string> optional_body_string(const ApiRequest& rq, const std::string& name) {
  if (!rq.body.is_object() || !rq.body.contains(name) || rq.body[name].is_null()) return std::nullopt;
  if (!rq.body[name].is_string()) throw ApiError(400, "bad_field", "expected a string", name);
  return rq.body[name].get<std::string>();
}

std::string body_string(const ApiRequest& rq, const std::string& name) {
  auto v = optional_body_string(rq, name);
  if (!v) throw ApiError(400, "missing_field", "required", name);
  return *v;
}

void only_fields(const ApiRequest& rq, const std::vector<std::string>& known) {
  if (!rq.body.is_object()) return;
  for (const auto& [k, v] : rq.body.items())
    if (std::find(known.begin(), known.end(), k) == known.end())
      throw ApiError(400, "unknown_field", "not a field of this request", k, safe_echo(k));
}

}  // namespace sirtkit::server
