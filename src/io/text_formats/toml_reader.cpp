#include "io/text_formats/toml_reader.h"

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <toml++/toml.h>

#include "core/atomic_file.h"
#include "core/error.h"
#include "core/format.h"
#include "core/number_text.h"

namespace sirtkit::io {
namespace {

// A plan-file number is read as the command line reads one (core/number_text.h):
// TOML's hexadecimal, octal and binary integers (0x10 is 16), a negative zero and
// subnormals (1e-320) are refused with the reason; nullopt when the node is fine.
// The text of a one-line token as written in the file (empty when unknown):
// an integer -0 is 0 once parsed, and 1e-400 is 0.0, so a zero is judged by its text.
std::string token_text(const std::string& text, const toml::source_region& r) {
  if (r.begin.line == 0 || r.begin.line != r.end.line || r.end.column <= r.begin.column) return "";
  std::size_t at = 0;
  for (toml::source_index line = 1; line < r.begin.line; ++line) {
    at = text.find('\n', at);
    if (at == std::string::npos) return "";
    ++at;
  }
  const std::size_t from = at + r.begin.column - 1, to = at + r.end.column - 1;
  if (to > text.size()) return "";
  return text.substr(from, to - from);
}

std::optional<std::string> number_node_problem(const toml::node& n, const std::string& text) {
  if (const auto* i = n.as_integer()) {
    const auto f = i->flags();
    if ((f & toml::value_flags::format_as_hexadecimal) != toml::value_flags::none ||
        (f & toml::value_flags::format_as_octal) != toml::value_flags::none ||
        (f & toml::value_flags::format_as_binary) != toml::value_flags::none)
      return "a hexadecimal, octal or binary integer: write the number in decimal";
    if (i->get() == 0 && token_text(text, n.source()).rfind('-', 0) == 0) return "a negative zero (write 0)";
    return std::nullopt;
  }
  if (const auto* d = n.as_floating_point()) {
    if (d->get() == 0 && !std::signbit(d->get())) {
      const std::string token = token_text(text, n.source());
      const std::size_t exponent = token.find_first_of("eE");
      if (token.substr(0, exponent).find_first_of("123456789") != std::string::npos)
        return "too small to be held exactly (it underflows a double to 0)";
    }
    return number_value_problem(d->get());
  }
  return std::nullopt;
}

std::string show(const toml::node& node) {
  std::ostringstream out;
  if (auto s = node.as_string()) return "\"" + s->get() + "\"";
  node.visit([&out](const auto& n) { out << n; });
  return out.str();
}

}  // namespace

TomlTable::TomlTable(std::shared_ptr<const toml::table> root, std::shared_ptr<const std::string> text, const toml::table* table,
                     std::string file, std::string path)
    : root_(std::move(root)), text_(std::move(text)), table_(table), file_(std::move(file)), path_(std::move(path)) {}

TomlTable TomlTable::parse_text(const std::string& text, const std::string& file_name) {
  try {
    auto root = std::make_shared<const toml::table>(toml::parse(text, file_name));
    const toml::table* t = root.get();
    return TomlTable(std::move(root), std::make_shared<const std::string>(text), t, file_name, "");
  } catch (const toml::parse_error& e) {
    const auto& where = e.source().begin;
    fail_input(file_name + ":" + std::to_string(where.line) + ":" + std::to_string(where.column) +
               ": not valid TOML: " + std::string(e.description()));
  }
}

TomlTable TomlTable::parse_file(const std::filesystem::path& path) {
  return parse_text(read_text_file(path), path.string());
}

std::filesystem::path TomlTable::folder() const {
  return std::filesystem::absolute(std::filesystem::path(file_)).parent_path();
}

std::string TomlTable::key_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

void TomlTable::fail(const std::string& key, const std::string& value, const std::string& expected) const {
  std::string hint;
  if (value == "(missing)")
    for (const auto& [k, v] : *table_)
      if (key.rfind(std::string(k.str()) + "_", 0) == 0)
        hint = "; found '" + std::string(k.str()) + "' — keys carry their unit: did you mean '" + key + "'?";
  fail_input(file_, key_path(key), value, expected + hint);
}

bool TomlTable::has(const std::string& key) const { return table_->contains(key); }

const toml::node* TomlTable::get(const std::string& key) {
  read_.insert(key);
  return table_->get(key);
}

std::optional<double> TomlTable::optional_number(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  std::optional<double> v = n->value<double>();
  if (!n->is_number() || !v) fail(key, show(*n), "expected a number");
  if (!std::isfinite(*v)) fail(key, show(*n), "expected a finite number");
  if (auto problem = number_node_problem(*n, *text_)) fail(key, show(*n), *problem);
  return v;
}

double TomlTable::number(const std::string& key) {
  auto v = optional_number(key);
  if (!v) fail(key, "(missing)", "a number is required");
  return *v;
}

std::optional<std::string> TomlTable::optional_string(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_string()) fail(key, show(*n), "expected a string");
  return n->as_string()->get();
}

std::string TomlTable::string(const std::string& key) {
  auto v = optional_string(key);
  if (!v) fail(key, "(missing)", "a string is required");
  return *v;
}

std::optional<bool> TomlTable::optional_boolean(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_boolean()) fail(key, show(*n), "expected true or false");
  return n->as_boolean()->get();
}

std::optional<DateTime> TomlTable::optional_date_time(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  const auto* dt = n->as_date_time();
  if (!dt) fail(key, show(*n), "expected a date-time with UTC offset, e.g. 2026-11-29T12:00:00-05:00");
  const toml::date_time& v = dt->get();
  if (!v.offset) fail(key, show(*n), "the date-time needs a UTC offset (e.g. -05:00 or Z)");
  return make_date_time(v.date.year, v.date.month, v.date.day, v.time.hour, v.time.minute, v.time.second,
                        v.offset->minutes);
}

std::vector<double> TomlTable::numbers(const std::string& key) {
  const toml::node* n = get(key);
  std::vector<double> out;
  if (!n) return out;
  if (n->is_number()) return {*optional_number(key)};
  const toml::array* a = n->as_array();
  if (!a) fail(key, show(*n), "expected an array of numbers");
  for (const toml::node& e : *a) {
    auto v = e.value<double>();
    if (!e.is_number() || !v || !std::isfinite(*v)) fail(key, show(*n), "expected an array of finite numbers");
    if (auto problem = number_node_problem(e, *text_)) fail(key, show(*n), *problem);
    out.push_back(*v);
  }
  return out;
}

std::vector<int> TomlTable::integers(const std::string& key) {
  const toml::node* n = get(key);
  std::vector<int> out;
  if (!n) return out;
  // Whole numbers as int, never wrapped: 5000000000 is refused, not read as 705032704.
  const auto whole = [&](const toml::node& e) {
    if (auto problem = number_node_problem(e, *text_)) fail(key, show(*n), *problem);
    const std::int64_t v = e.as_integer()->get();
    if (v < std::numeric_limits<int>::min() || v > std::numeric_limits<int>::max())
      fail(key, show(*n), "a whole number within [-2147483648, 2147483647]");
    return static_cast<int>(v);
  };
  if (n->is_integer()) return {whole(*n)};
  const toml::array* a = n->as_array();
  if (!a) fail(key, show(*n), "expected a whole number or an array of whole numbers");
  for (const toml::node& e : *a) {
    if (!e.is_integer()) fail(key, show(*n), "expected an array of whole numbers");
    out.push_back(whole(e));
  }
  return out;
}

std::vector<std::string> TomlTable::strings(const std::string& key) {
  const toml::node* n = get(key);
  std::vector<std::string> out;
  if (!n) return out;
  if (n->is_string()) return {n->as_string()->get()};
  const toml::array* a = n->as_array();
  if (!a) fail(key, show(*n), "expected a string or an array of strings");
  for (const toml::node& e : *a) {
    if (!e.is_string()) fail(key, show(*n), "expected an array of strings");
    out.push_back(e.as_string()->get());
  }
  return out;
}

std::optional<TomlTable> TomlTable::optional_table(const std::string& key) {
  const toml::node* n = get(key);
  if (!n) return std::nullopt;
  if (!n->is_table()) fail(key, show(*n), "expected a table [" + key_path(key) + "]");
  return TomlTable(root_, text_, n->as_table(), file_, key_path(key));
}

TomlTable TomlTable::table(const std::string& key) {
  auto t = optional_table(key);
  if (!t) fail(key, "(missing)", "the table [" + key_path(key) + "] is required");
  return *t;
}

std::vector<TomlTable> TomlTable::tables(const std::string& key) {
  const toml::node* n = get(key);
  std::vector<TomlTable> out;
  if (!n) return out;
  const toml::array* a = n->as_array();
  if (!a) fail(key, show(*n), "expected an array of tables [[" + key_path(key) + "]]");
  for (size_t i = 0; i < a->size(); ++i) {
    const toml::node& e = (*a)[i];
    if (!e.is_table()) fail(key, show(*n), "expected an array of tables [[" + key_path(key) + "]]");
    out.push_back(TomlTable(root_, text_, e.as_table(), file_, key_path(key) + "[" + std::to_string(i) + "]"));
  }
  return out;
}

std::vector<std::string> TomlTable::keys() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : *table_) out.emplace_back(k.str());
  return out;
}

void TomlTable::finish() const {
  for (const auto& [k, v] : *table_) {
    const std::string key(k.str());
    if (read_.count(key)) continue;
    std::string hint = "unknown key";
    for (const std::string& known : read_)
      if (known.rfind(key + "_", 0) == 0) hint += "; did you mean '" + known + "'? (keys carry their unit)";
    fail(key, show(v), hint);
  }
}

}  // namespace sirtkit::io
